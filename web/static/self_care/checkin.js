// One-tap check-ins that survive a dropped connection: when the phone is offline, the tap is kept
// in IndexedDB with its client-made id and the moment it was made, and sent to the API when the
// network is back (web/static/js/outbox.js: the tap's day counts, Retry-After is honoured).
// Replaying the same id is harmless (the server returns the stored row), so a retry can never
// double a check-in.
import { newId } from "/static/js/http.js";
import { postJson, queueStore, replay, tapStamp } from "/static/js/outbox.js";

// Kept under the same database and store names as before, so taps already waiting are still sent.
const withStore = queueStore("groundwork-self-care");

function bodyOf(form, submitter) {
  const data = new FormData(form, submitter);
  const body = { id: data.get("id"), outcome: data.get("outcome"), tapped_at: tapStamp() };
  if (data.get("reason")) body.reason = data.get("reason");
  if (data.get("amount")) body.amount = Number(data.get("amount"));
  if (data.get("on")) body.on = data.get("on");
  return body;
}

function say(form, text) {
  const item = form.closest("[data-habit]");
  const status = item?.querySelector("[data-offline-status]");
  if (status) {
    status.textContent = text;
    status.hidden = false;
  }
}

async function drain() {
  if (!navigator.onLine) return;
  const { settled } = await replay("self-care", {
    // Oldest tap first: the server judges each by its own moment, but order keeps "+1"s readable.
    pending: async () => ((await withStore("readonly", (store) => store.getAll())) || [])
      .sort((a, b) => (a.body.tapped_at || "").localeCompare(b.body.tapped_at || "")),
    send: (item) => postJson(item.path, item.body),
    forget: (item) => withStore("readwrite", (store) => store.delete(item.id)),
  });
  // Today then shows what the server now holds (a tap filed under yesterday is not "done today").
  if (settled && location.pathname === "/today") location.reload();
}

const WAITING = { done: "Done", partly: "Partly done", not_today: "Not today" };

// The page shows a waiting tap at once, as if it had been sent: the buttons give way to what was
// tapped (a "+1" keeps them: more may follow), with an undo while it is still on the phone.
function showWaiting(item, record) {
  const status = item.querySelector("[data-offline-status]");
  if (!status) return;
  const counted = record.body.amount !== undefined;
  const what = counted ? `+${record.body.amount}` : WAITING[record.body.outcome] || "Saved";
  status.textContent = `${what}. Saved on this phone, waiting to be sent. `;
  const undo = document.createElement("button");
  undo.type = "button";
  undo.className = "button button--small button--quiet";
  undo.textContent = "Undo";
  undo.setAttribute("aria-label", `Undo ${what}`);
  undo.addEventListener("click", async () => {
    await withStore("readwrite", (store) => store.delete(record.id));
    status.textContent = "Undone. Nothing was sent.";
    const tap = item.querySelector(".sc-tap");
    if (tap) tap.hidden = false;
    tap?.querySelector("button")?.focus();
  });
  status.append(undo);
  status.hidden = false;
  const tap = item.querySelector(".sc-tap");
  if (tap && !counted) tap.hidden = true;
}

// After reopening (or on a copy of Today kept on the phone), show what still waits.
async function showAllWaiting() {
  const records = (await withStore("readonly", (store) => store.getAll())) || [];
  for (const record of records) {
    const habit = record.path.split("/")[4];
    const item = document.querySelector(`[data-habit="${habit}"]`);
    if (item) showWaiting(item, record);
  }
}

document.addEventListener("submit", (event) => {
  const form = event.target.closest("form[data-offline-check-in]");
  if (!form || navigator.onLine) return;
  event.preventDefault();
  const body = bodyOf(form, event.submitter);
  const path = `/api/v1/habits/${form.dataset.offlineCheckIn}/check-ins`;
  // The next tap on this button is a new check-in (a second "+1 glass"), not this one again.
  const idField = form.querySelector('input[name="id"]');
  if (idField) idField.value = newId();
  const record = { id: body.id, path, body };
  withStore("readwrite", (store) => store.put(record))
    .then(() => showWaiting(form.closest("[data-habit]"), record))
    .catch(() => say(form, "This phone could not keep it. Please try again when you're online."));
});

addEventListener("online", () => { drain().catch(() => {}); });
showAllWaiting().catch(() => {});
drain().catch(() => {});
