// One-tap check-ins that survive a dropped connection: when the phone is offline, the tap is kept
// in IndexedDB with its client-made id and the moment it was made, and sent to the API when the
// network is back (web/static/js/outbox.js: the tap's day counts, Retry-After is honoured).
// Replaying the same id is harmless (the server returns the stored row), so a retry can never
// double a check-in. A mood log saved offline waits in the same queue and is sent from here too.
import { newId } from "/static/js/http.js";
import { t } from "/static/js/i18n.js";
import { reloadWhenSent, tapStamp } from "/static/js/outbox.js";
import { MOOD_PATH, drain, drop, keep, waiting } from "/static/self_care/queue.js";

function bodyOf(form, submitter) {
  const data = new FormData(form, submitter);
  const body = { id: data.get("id"), outcome: data.get("outcome"), tapped_at: tapStamp() };
  if (data.get("reason")) body.reason = data.get("reason");
  if (data.get("amount")) body.amount = Number(data.get("amount"));
  if (data.get("on")) body.on = data.get("on");
  return body;
}

function say(item, text) {
  const status = item?.querySelector("[data-offline-status]");
  if (status) {
    status.textContent = text;
    status.hidden = false;
  }
}

async function send() {
  // Today then shows what the server now holds (a tap filed under yesterday is not "done today").
  if ((await drain()) && location.pathname === "/today") await reloadWhenSent();
}

const N_ = (m) => m;
const WAITING = { done: N_("Done"), partly: N_("Partly done"), not_today: N_("Not today") };

// The page shows a waiting tap at once, as if it had been sent: the buttons give way to what was
// tapped (a "+1" keeps them: more may follow), with an undo while it is still on the phone.
function showWaiting(item, record) {
  const status = item.querySelector("[data-offline-status]");
  if (!status) return;
  const counted = record.body.amount !== undefined;
  const what = counted ? `+${record.body.amount}` : t(WAITING[record.body.outcome] || N_("Saved"));
  status.textContent = t("%(what)s. Saved on this phone, waiting to be sent.", { what }) + " ";
  const undo = document.createElement("button");
  undo.type = "button";
  undo.className = "button button--small button--quiet";
  undo.textContent = t("Undo");
  undo.setAttribute("aria-label", t("Undo %(what)s", { what }));
  undo.addEventListener("click", async () => {
    await drop(record.id);
    status.textContent = t("Undone. Nothing was sent.");
    const tap = item.querySelector(".sc-tap");
    if (tap) tap.hidden = false;
    tap?.querySelector("button")?.focus();
  });
  status.append(undo);
  status.hidden = false;
  const tap = item.querySelector(".sc-tap");
  if (tap && !counted) tap.hidden = true;
}

// An undo of a check-in already sent, made offline: the page shows it undone at once (the buttons
// come back), and the DELETE waits in the queue; the server keeps its rule (only the latest
// check-in, on the day it was made) when it arrives.
function showUndoWaiting(item) {
  item.querySelector("form[data-offline-undo]")?.setAttribute("hidden", "");
  const status = item.querySelector("[data-offline-status]");
  if (status) {
    status.textContent = t("Undone on this phone, waiting to be sent.");
    status.hidden = false;
  }
  for (const state of item.querySelectorAll(".sc-today__state:not([data-offline-status])")) state.hidden = true;
  const tap = item.querySelector(".sc-tap");
  if (tap) tap.hidden = false;
}

// After reopening (or on a copy of Today kept on the phone), show what still waits.
async function showAllWaiting() {
  for (const record of await waiting()) {
    if (record.method === "DELETE") {
      const item = document.querySelector(`[data-habit="${record.path.split("/")[4]}"]`);
      if (item) showUndoWaiting(item);
      continue;
    }
    if (record.path === MOOD_PATH) {
      const prompt = document.querySelector(".sc-mood-prompt");
      if (prompt) prompt.textContent = t("Mood saved on this phone, waiting to be sent.");
      continue;
    }
    const habit = record.path.split("/")[4];
    const item = document.querySelector(`[data-habit="${habit}"]`);
    if (item) showWaiting(item, record);
  }
}

// Back from undoing a check-in that had been sent (/today?undone=<habit>): say so beside it.
function showUndone() {
  const params = new URLSearchParams(location.search);
  const habit = params.get("undone");
  if (!habit) return;
  say(document.querySelector(`[data-habit="${CSS.escape(habit)}"]`), t("Undone."));
  params.delete("undone");
  history.replaceState(null, "", location.pathname + (params.size ? `?${params}` : "") + location.hash);
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
  const item = form.closest("[data-habit]");
  keep(record)
    .then(() => showWaiting(item, record))
    .catch(() => say(item, t("This phone could not keep it. Please try again when you're online.")));
});

document.addEventListener("submit", (event) => {
  const form = event.target.closest("form[data-offline-undo]");
  if (!form || navigator.onLine) return;
  event.preventDefault();
  const path = `/api/v1/habits/${form.dataset.offlineUndo}/check-ins/${form.dataset.checkIn}`;
  const record = { id: `undo-${form.dataset.checkIn}`, method: "DELETE", path, body: { tapped_at: tapStamp() } };
  const item = form.closest("[data-habit]");
  keep(record)
    .then(() => {
      showUndoWaiting(item);
      item.querySelector(".sc-tap button")?.focus();
    })
    .catch(() => say(item, t("This phone could not keep it. Please try again when you're online.")));
});

addEventListener("online", () => { send().catch(() => {}); });
showUndone();
showAllWaiting().catch(() => {});
send().catch(() => {});
