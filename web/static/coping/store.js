// The phone's own copy for the calm flow: synced data ("kv") and episodes waiting to be sent
// ("outbox"). Episodes carry the UUID made here, so sending one twice stores it once, and the
// moment they started (started_at), which the server files them under. Replay honours
// Retry-After (web/static/js/outbox.js).
import { postJson, replay } from "/static/js/outbox.js";

const DB = "groundwork-calm";

function open() {
  return new Promise((resolve, reject) => {
    const req = indexedDB.open(DB, 1);
    req.onupgradeneeded = () => {
      req.result.createObjectStore("kv");
      req.result.createObjectStore("outbox", { keyPath: "id" });
    };
    req.onsuccess = () => resolve(req.result);
    req.onerror = () => reject(req.error);
  });
}

async function run(storeName, mode, fn) {
  const db = await open();
  return new Promise((resolve, reject) => {
    const tx = db.transaction(storeName, mode);
    const req = fn(tx.objectStore(storeName));
    tx.oncomplete = () => { db.close(); resolve(req?.result); };
    tx.onerror = () => { db.close(); reject(tx.error); };
  });
}

export const getKV = (key) => run("kv", "readonly", (s) => s.get(key));
export const putKV = (key, value) => run("kv", "readwrite", (s) => s.put(value, key));
export const enqueue = (item) => run("outbox", "readwrite", (s) => s.put(item));
export const pending = () => run("outbox", "readonly", (s) => s.getAll());
export const remove = (id) => run("outbox", "readwrite", (s) => s.delete(id));

let flushing = null;

/** Send waiting episodes, oldest first. Resolves with how many are still waiting. */
export function flush() {
  if (flushing) return flushing;
  flushing = replay("calm", {
    pending: async () => (await pending()).sort((a, b) => a.started_at.localeCompare(b.started_at)),
    send: (item) => postJson("/api/v1/calm/episodes", item),
    forget: (item) => remove(item.id),
  }).then(({ waiting }) => waiting).finally(() => { flushing = null; });
  return flushing;
}
