// The mood log with no signal: offline, Save keeps the entry on the phone (with a fresh id and the
// moment it was saved, so it counts for that day) and says so, with an undo while it waits; it is
// sent when the phone is back online, from this page or from Today (web/static/self_care/queue.js).
// Online, the form posts as usual: nothing here is needed for it to work.
import { newId } from "/static/js/http.js";
import { t } from "/static/js/i18n.js";
import { tapStamp } from "/static/js/outbox.js";
import { MOOD_PATH, drain, drop, keep, waiting } from "/static/self_care/queue.js";

const form = document.querySelector("form[data-offline-mood]");
const status = document.querySelector("[data-mood-status]");

function bodyOf() {
  const data = new FormData(form);
  // Always a new id: this copy of the page may hold the id of an entry already sent.
  const body = { id: newId(), mood: Number(data.get("mood")), tapped_at: tapStamp() };
  if (data.get("energy")) body.energy = Number(data.get("energy"));
  if (data.get("hours_slept")) body.hours_slept = Number(data.get("hours_slept"));
  if (data.get("note")) body.note = String(data.get("note"));
  return body;
}

function showWaiting(record) {
  status.textContent = t("Saved on this phone, waiting to be sent.") + " ";
  const undo = document.createElement("button");
  undo.type = "button";
  undo.className = "button button--small button--quiet";
  undo.textContent = t("Undo");
  undo.setAttribute("aria-label", t("Undo saving your mood"));
  undo.addEventListener("click", async () => {
    await drop(record.id);
    status.textContent = t("Undone. Nothing was sent.");
    form.querySelector("input")?.focus();
  });
  status.append(undo);
  status.hidden = false;
}

async function send() {
  // The page then shows what the server holds: today's entry and the charts with it.
  if (await drain()) location.assign("/self-care/mood?saved=1");
}

if (form && status) {
  form.addEventListener("submit", (event) => {
    if (navigator.onLine) return;
    event.preventDefault();
    const body = bodyOf();
    const record = { id: body.id, path: MOOD_PATH, body };
    keep(record)
      .then(() => showWaiting(record))
      .catch(() => { status.textContent = t("This phone could not keep it. Please try again when you're online."); status.hidden = false; });
  });
  waiting().then((records) => {
    const mine = records.filter((r) => r.path === MOOD_PATH).pop();
    if (mine) showWaiting(mine);
  }).catch(() => {});
  addEventListener("online", () => { send().catch(() => {}); });
  send().catch(() => {});
}
