// Step answers the phone keeps while offline, and what it has sent since its copy of a player page
// was fetched. Each waiting record is an answer (POST, with the client-made id and the moment of
// the tap: the server files it under the local day it was made, app/taps.py) or the undo of an
// answer already sent (DELETE). They go out through the shared replay (web/static/js/outbox.js:
// oldest first, Retry-After honoured, one round across tabs); the server stores a replayed id
// once, and an undo of what is already gone changes nothing, so a resend is harmless.
import { queueStore, replay, sendJson } from "/static/js/outbox.js";

const waitingStore = queueStore("groundwork-routines");
// What this phone sent (answers, and undos as tombstones): a player page may have been made just
// before the server stored them (a kept copy, or a page fetched while an answer was on its way).
const sentStore = queueStore("groundwork-routine-answers");

const all = async (withStore) => (await withStore("readonly", (store) => store.getAll())) || [];
const byTap = (a, b) => (a.tapped_at || "").localeCompare(b.tapped_at || "");

export const keep = (record) => waitingStore("readwrite", (store) => store.put(record));
export const drop = (id) => waitingStore("readwrite", (store) => store.delete(id));

/** What still waits on the phone, oldest tap first (one routine's, or every routine's). */
export async function waiting(routine) {
  const records = (await all(waitingStore)).sort(byTap);
  return routine ? records.filter((r) => r.routine === routine) : records;
}

/** What this phone sent on `day` for `routine`, oldest first; other days' records are dropped. */
export async function sent(routine, day) {
  const mine = (await all(sentStore)).filter((r) => r.routine === routine);
  for (const record of mine.filter((r) => r.day !== day)) await unsend(record.id);
  return mine.filter((r) => r.day === day).sort(byTap);
}

export const unsend = (storedId) => sentStore("readwrite", (store) => store.delete(storedId));

/** Remember an answer the server stored (`undone`: one it took back) until a page shows it. */
export const remember = (record) => sentStore("readwrite", (store) => store.put(record));

/** An answer to a step: `{ id, routine, day, step, status, tapped_at }` → a waiting record. */
export function answerRecord({ id, routine, day, step, status, tappedAt }) {
  return {
    id, routine, day, step, status, tapped_at: tappedAt, kind: "answer", method: "POST",
    path: `/api/v1/routines/${routine}/outcomes`,
    body: { id, step_id: step, status, tapped_at: tappedAt },
  };
}

/** Taking back an answer the server already has (its stored id). */
export function undoRecord({ id, routine, day, step, storedId, tappedAt }) {
  return {
    id, routine, day, step, stored: storedId, tapped_at: tappedAt, kind: "undo",
    method: "DELETE", path: `/api/v1/routines/${routine}/outcomes/${storedId}`,
  };
}

/** Send what waits. `onSent(record, storedId)` hears of each answer the server stored. */
export async function drain(onSent = () => {}) {
  if (!navigator.onLine) return 0;
  const { settled } = await replay("routines", {
    pending: () => waiting(),
    send: async (record) => {
      const response = await sendJson(record.method, record.path, record.body);
      if (response.ok && record.kind === "answer") {
        const stored = (await response.clone().json()).outcome.id;
        await remember({
          id: stored, routine: record.routine, day: record.day, step: record.step,
          status: record.status, tapped_at: record.tapped_at,
        });
        onSent(record, stored);
      }
      if (response.ok && record.kind === "undo") {
        await remember({
          id: record.stored, routine: record.routine, day: record.day, step: record.step,
          undone: true, tapped_at: record.tapped_at,
        });
      }
      return response;
    },
    forget: (record) => drop(record.id),
  });
  return settled;
}
