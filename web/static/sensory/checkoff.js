// Today's sensory-diet check-off, offline-safe. Online, the form posts as usual (no JS needed).
// Offline, the check-off waits in IndexedDB with its client-made id and is sent to the API when the
// phone is back online; the server stores a replayed id once, so a double send is harmless.
import { api } from "/static/js/http.js";

const DB_NAME = "gw-sensory";
const STORE = "checkoffs";

function openDb() {
  return new Promise((resolve, reject) => {
    const request = indexedDB.open(DB_NAME, 1);
    request.onupgradeneeded = () => request.result.createObjectStore(STORE, { keyPath: "id" });
    request.onsuccess = () => resolve(request.result);
    request.onerror = () => reject(request.error);
  });
}

async function withStore(mode, action) {
  const db = await openDb();
  return new Promise((resolve, reject) => {
    const tx = db.transaction(STORE, mode);
    const result = action(tx.objectStore(STORE));
    tx.oncomplete = () => resolve(result.result ?? result);
    tx.onerror = () => reject(tx.error);
  });
}

const queue = (record) => withStore("readwrite", (store) => store.put(record));
const pending = () => withStore("readonly", (store) => store.getAll());
const forget = (id) => withStore("readwrite", (store) => store.delete(id));

async function flush() {
  if (!navigator.onLine) return;
  let sent = 0;
  for (const record of await pending()) {
    try {
      await api(`/api/v1/sensory/diet/${record.item}/checkoffs`, {
        method: "POST",
        body: { id: record.id, felt_after: record.felt_after, felt_before: record.felt_before, on: record.on },
      });
      await forget(record.id);
      sent += 1;
    } catch (error) {
      // Refused for good (the item was removed, the day is too old): drop it. Otherwise try later.
      if (error.status && error.status < 500 && ![401, 403, 408, 429].includes(error.status)) {
        await forget(record.id);
      } else {
        return;
      }
    }
  }
  if (sent && location.pathname === "/today") location.reload();
}

for (const form of document.querySelectorAll("form[data-sensory-checkoff]")) {
  form.addEventListener("submit", async (event) => {
    if (navigator.onLine) return;
    event.preventDefault();
    const data = new FormData(form);
    await queue({
      id: data.get("id"),
      item: form.dataset.item,
      on: form.dataset.day,
      felt_after: event.submitter?.value || "just_right",
      felt_before: data.get("felt_before") || null,
    });
    const note = document.createElement("p");
    note.className = "done-line";
    note.setAttribute("role", "status");
    note.textContent = "Saved on this phone. It will be sent when you're back online.";
    form.replaceWith(note);
  });
}

addEventListener("online", flush);
flush().catch(() => {});
