// Sending writes the phone kept while offline (habit check-ins, sensory check-offs, calm
// episodes). Each domain keeps its own IndexedDB store; this module gives them one meaning of
// "when" and one way of replaying:
// - `tapStamp()` is the moment of the tap with the phone's UTC offset. A queued write carries it,
//   so a tap at 23:50 sent at 00:10 still counts for the day it was made (app/taps.py).
// - `replay()` sends the waiting writes oldest first and forgets each one only once the server
//   has answered for it: stored (2xx) or refused for good (a 4xx that a retry cannot fix). A busy
//   server (503) or a rate limit (429) is waited out for as long as its Retry-After asks, then the
//   same write is sent again; a dropped connection stops the round until the next chance. One
//   round runs at a time across every tab (Web Locks), so a write is not sent twice by two pages;
//   if an answer is lost after the server stored it, the resend carries the same client-made id
//   and the server returns the stored row, so each write is stored exactly once.

const pad = (n) => String(Math.abs(Math.trunc(n))).padStart(2, "0");

/** The local date of a moment, YYYY-MM-DD (the phone's own calendar). */
export function localDay(at = new Date()) {
  return `${at.getFullYear()}-${pad(at.getMonth() + 1)}-${pad(at.getDate())}`;
}

/** The moment as ISO 8601 with the phone's offset, e.g. 2026-12-06T23:50:12-05:00. */
export function tapStamp(at = new Date()) {
  const offset = -at.getTimezoneOffset();
  const sign = offset >= 0 ? "+" : "-";
  const time = `${pad(at.getHours())}:${pad(at.getMinutes())}:${pad(at.getSeconds())}`;
  return `${localDay(at)}T${time}${sign}${pad(offset / 60)}:${pad(offset % 60)}`;
}

const MIN_WAIT_MS = 1_000;
const MAX_WAIT_MS = 10 * 60_000;
const DEFAULT_WAIT_MS = 5_000;
const MAX_WAITS = 20; // then give up until the next page load or "online" event

/** How long a 503/429 asks us to wait: Retry-After in seconds or as an HTTP date. */
export function retryAfterMs(response, now = Date.now()) {
  const raw = (response.headers.get("Retry-After") || "").trim();
  let ms = DEFAULT_WAIT_MS;
  if (/^\d+$/.test(raw)) ms = Number(raw) * 1000;
  else if (raw && !Number.isNaN(Date.parse(raw))) ms = Date.parse(raw) - now;
  return Math.min(MAX_WAIT_MS, Math.max(MIN_WAIT_MS, ms));
}

/** A refusal that sending again cannot change (not a login, CSRF, timeout or rate limit). */
export const isPermanent = (status) =>
  status >= 400 && status < 500 && ![401, 403, 408, 429].includes(status);

const csrf = () => document.querySelector('meta[name="csrf-token"]')?.content ?? "";

/** POST JSON to our API; resolves with the Response (rejects only when the network is down). */
export function postJson(path, body) {
  return sendJson("POST", path, body);
}

/** Send JSON with any method (an undo is a DELETE); resolves with the Response. */
export function sendJson(method, path, body) {
  return fetch(path, {
    method,
    credentials: "same-origin",
    headers: { "Content-Type": "application/json", Accept: "application/json", "X-CSRF-Token": csrf() },
    body: JSON.stringify(body),
  });
}

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Send what waits in one queue. `pending()` lists the waiting items (oldest first), `send(item)`
 * posts one and resolves with its Response, `forget(item)` removes it. Resolves with how many
 * items were stored or refused in this round, and how many still wait.
 */
export function replay(name, { pending, send, forget }) {
  const round = async () => {
    let settled = 0;
    let waits = 0;
    for (;;) {
      const items = await pending();
      let again = false;
      for (const item of items) {
        let response;
        try {
          response = await send(item);
        } catch {
          return { settled, waiting: items.length - items.indexOf(item) }; // offline again
        }
        if ((response.status === 503 || response.status === 429) && waits < MAX_WAITS) {
          waits += 1;
          await sleep(retryAfterMs(response));
          again = true; // read the queue afresh: another tab may have sent some meanwhile
          break;
        }
        if (!response.ok && !isPermanent(response.status)) {
          return { settled, waiting: items.length - items.indexOf(item) };
        }
        await forget(item);
        settled += 1;
      }
      if (!again) return { settled, waiting: (await pending()).length };
    }
  };
  return navigator.locks ? navigator.locks.request(`groundwork-replay-${name}`, round) : round();
}

let reloading = false;

/** Reload the page once every replay round of this page has finished: a page that shows what the
 * server holds (Today) reloads after a round, and must not cut off another queue's round midway
 * (its request would be sent again on the next load: harmless, but not "once"). */
export async function reloadWhenSent() {
  if (reloading) return;
  reloading = true;
  if (navigator.locks?.query) {
    const { held = [], pending = [] } = await navigator.locks.query();
    const names = new Set([...held, ...pending].map((lock) => lock.name)
      .filter((name) => name.startsWith("groundwork-replay-")));
    for (const name of names) await navigator.locks.request(name, () => {});
  }
  location.reload();
}

/** A `withStore(mode, work)` for one page's queue: its own IndexedDB database holding one object
 * store keyed by the write's client-made id. `work` gets the store; the promise settles when the
 * transaction completes, with the request's result (or what `work` returned). */
export function queueStore(dbName, storeName = "outbox") {
  const open = () =>
    new Promise((resolve, reject) => {
      const request = indexedDB.open(dbName, 1);
      request.onupgradeneeded = () => request.result.createObjectStore(storeName, { keyPath: "id" });
      request.onsuccess = () => resolve(request.result);
      request.onerror = () => reject(request.error);
    });
  return async (mode, work) => {
    const db = await open();
    return new Promise((resolve, reject) => {
      const tx = db.transaction(storeName, mode);
      const result = work(tx.objectStore(storeName));
      tx.oncomplete = () => resolve(result.result ?? result);
      tx.onerror = () => reject(tx.error);
    });
  };
}
