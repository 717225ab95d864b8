// The phone's own copy for the calm flow: synced data ("kv") and episodes waiting to be sent
// ("outbox"). Episodes carry the UUID made here, so sending one twice stores it once.
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

const csrf = () => document.querySelector('meta[name="csrf-token"]')?.content ?? "";
let flushing = null;

/** Send waiting episodes, oldest first. Resolves with how many are still waiting. */
export function flush() {
  if (flushing) return flushing;
  flushing = (async () => {
    try {
      const items = (await pending()).sort((a, b) => a.started_at.localeCompare(b.started_at));
      for (const item of items) {
        let response;
        try {
          response = await fetch("/api/v1/calm/episodes", {
            method: "POST",
            credentials: "same-origin",
            headers: { "Content-Type": "application/json", Accept: "application/json", "X-CSRF-Token": csrf() },
            body: JSON.stringify(item),
          });
        } catch {
          break; // still offline: keep everything for next time
        }
        // Stored (201), or refused for good (a 4xx that retrying cannot fix): stop sending it.
        const permanent = response.status >= 400 && response.status < 500 && ![401, 403, 408, 429].includes(response.status);
        if (response.ok || permanent) await remove(item.id);
        else break;
      }
      return (await pending()).length;
    } finally {
      flushing = null;
    }
  })();
  return flushing;
}
