// The self-care writes the phone keeps while offline (habit check-ins, mood logs): one IndexedDB
// queue, sent by the shared replay (web/static/js/outbox.js) from whichever page is open, Today
// or the mood log. Each record is { id, path, body }, the body carrying the client-made id and
// the moment of the tap, so a replay is stored once and counts for the day it was made; an undo
// of a check-in already sent is { id, method: "DELETE", path, body }.
import { postJson, queueStore, replay, sendJson } from "/static/js/outbox.js";

// Kept under the same database and store names as before, so taps already waiting are still sent.
export const withStore = queueStore("groundwork-self-care");

export const MOOD_PATH = "/api/v1/mood-logs";

export const keep = (record) => withStore("readwrite", (store) => store.put(record));
export const drop = (id) => withStore("readwrite", (store) => store.delete(id));
export const waiting = async () => (await withStore("readonly", (store) => store.getAll())) || [];

/** Send what waits, oldest tap first; resolves with how many were stored or refused for good. */
export async function drain() {
  if (!navigator.onLine) return 0;
  const { settled } = await replay("self-care", {
    // The server judges each by its own moment, but order keeps "+1"s readable.
    pending: async () => (await waiting())
      .sort((a, b) => (a.body.tapped_at || "").localeCompare(b.body.tapped_at || "")),
    // An undo of a check-in already sent is a DELETE (repeating it is harmless: 204).
    send: (item) => (item.method ? sendJson(item.method, item.path, item.body) : postJson(item.path, item.body)),
    forget: (item) => drop(item.id),
  });
  return settled;
}
