// Routines on Today with no signal: each routine says how many of its step answers wait on the
// phone, and they are sent when the connection is back (also after the app is reopened), then
// Today shows what the server holds.
import { tn } from "/static/js/i18n.js";
import { reloadWhenSent } from "/static/js/outbox.js";
import { drain, waiting } from "/static/routines/queue.js";

async function showWaiting() {
  const records = await waiting();
  for (const card of document.querySelectorAll("[data-routine-id]")) {
    const count = records.filter((r) => r.routine === card.dataset.routineId && r.kind === "answer").length;
    let note = card.querySelector("[data-routine-waiting]");
    if (!count) { if (note) note.hidden = true; continue; }
    if (!note) {
      note = document.createElement("p");
      note.className = "rt-meta";
      note.setAttribute("role", "status");
      note.dataset.routineWaiting = "";
      card.querySelector(".rt-card__body")?.append(note);
    }
    note.textContent = tn("%(num)s step answer saved on this phone, waiting to be sent.",
      "%(num)s step answers saved on this phone, waiting to be sent.", count);
    note.hidden = false;
  }
}

async function send() {
  if ((await drain()) && location.pathname === "/today") await reloadWhenSent();
}

addEventListener("online", () => { send().catch(() => {}); });
showWaiting().catch(() => {});
send().catch(() => {});
