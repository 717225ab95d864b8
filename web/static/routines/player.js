// The routine player, with or without signal. With this script every answer is kept on the phone
// first (a client-made id and the moment of the tap) and the next step shows at once, as if it had
// been sent; it is sent straight away when online, or when the connection is back (also from
// Today after the app is reopened: web/static/routines/queue.js). The page says what still waits.
// "Undo" takes back the last answer: one still waiting is dropped from the phone, one already
// sent is taken back on the server (queued too when offline). Without this script the page's
// own forms post each answer and undo as before.
import { newId } from "/static/js/http.js";
import { t, tn } from "/static/js/i18n.js";
import { localDay, sendJson, tapStamp } from "/static/js/outbox.js";
import * as queue from "/static/routines/queue.js";
import { timer } from "/static/routines/timer.js";

const root = document.querySelector("[data-player]");
const dataNode = document.getElementById("rt-player-data");
const DONE = new Set(["done", "helped"]);
const N_ = (m) => m;
const BUTTONS = { done: N_("Done"), helped: N_("Needed help"), skipped: N_("Skip") };
// What an answer was, in words (as STATUS_WORDS in app/routines/pages.py).
const WORDS = { done: N_("Done"), skipped: N_("Skipped"), helped: N_("Done with help") };

function el(tag, attrs = {}, ...children) {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs)) {
    if (value === false || value === null || value === undefined) continue;
    node.setAttribute(key, value === true ? "" : String(value));
  }
  node.append(...children.filter((c) => c !== null && c !== undefined && c !== false));
  return node;
}

async function start() {
  const data = JSON.parse(dataNode.textContent);
  if (!data.steps.length) return;
  const fromPhone = root.dataset.served === "phone";
  const rid = data.routine;
  // A copy kept on the phone may be from an earlier day: that day's answers are not today's.
  const day = fromPhone ? localDay() : data.day;
  const answers = new Map(day === data.day ? Object.entries(data.answers) : []);
  let last = day === data.day && data.last
    ? { step: data.last.step, status: data.last.status, stored: data.last.id } : null;
  // What this phone sent that the page does not show yet (an answer stored, or taken back, after
  // the page was made); once a page shows it, the phone forgets it.
  const shown = (record) => day === data.day && (record.undone
    ? data.answer_ids[record.step] !== record.id
    : data.answer_ids[record.step] === record.id && data.answers[record.step] === record.status);
  for (const record of await queue.sent(rid, day)) {
    if (shown(record)) { await queue.unsend(record.id); continue; }
    if (record.undone) {
      answers.delete(record.step);
      if (last?.stored === record.id) last = null;
    } else {
      answers.set(record.step, record.status);
      last = { step: record.step, status: record.status, stored: record.id };
    }
  }
  for (const record of await queue.waiting(rid)) {
    if (record.day !== day) continue;
    if (record.kind === "answer") {
      answers.set(record.step, record.status);
      last = { step: record.step, status: record.status, waiting: record.id };
    } else {
      answers.delete(record.step);
      if (last?.stored === record.stored) last = null;
    }
  }
  const stepParam = new URLSearchParams(location.search).get("step");
  let chosen = data.steps.some((s) => s.id === stepParam) ? stepParam : null;
  const view = root.querySelector("[data-player-view]");
  const undoSlot = root.querySelector("[data-player-undo]");
  const waitingNote = root.querySelector("[data-player-waiting]");
  const undoneNote = root.querySelector("[data-player-undone]");

  const doneCount = () => data.steps.filter((s) => DONE.has(answers.get(s.id))).length;
  const stepById = (id) => data.steps.find((s) => s.id === id);

  function stepView(step) {
    const position = data.steps.indexOf(step) + 1;
    const total = data.steps.length;
    const previous = data.steps[position - 2];
    const earlier = answers.get(step.id);
    const timerBox = step.minutes ? el("div", { class: "rt-timer", "data-timer": true, "data-seconds": step.minutes * 60 },
      el("p", { class: "rt-timer__time", "aria-live": "off", "data-timer-display": true }, `${step.minutes}:00`),
      el("p", { class: "visually-hidden", "aria-live": "polite", "data-timer-status": true }),
      el("button", { type: "button", class: "rt-btn", "data-timer-toggle": true, hidden: true }, t("Start %(minutes)s-minute timer", { minutes: step.minutes }))) : null;
    const answer = (status, cls) => el("button", { class: cls, type: "submit", name: "status", value: status }, t(BUTTONS[status]));
    const form = el("form", { class: "rt-answer", "data-player-answer": true, "data-step": step.id },
      answer("done", "rt-big rt-big--done"), answer("helped", "rt-big"), answer("skipped", "rt-big rt-big--quiet"));
    return [
      el("p", { class: "rt-progress-text", id: "progress" }, t("Step %(position)s of %(total)s · %(done)s done", { position, total, done: doneCount() })),
      el("progress", { class: "rt-bar", "aria-hidden": "true", max: total, value: position - 1 }),
      el("section", { class: "rt-stepcard", "aria-labelledby": "step-title" },
        el("h2", { id: "step-title", class: "rt-stepcard__title", tabindex: "-1", "data-authored": true }, step.title),
        step.detail ? el("p", { class: "rt-stepcard__detail", "data-authored": true }, step.detail) : null,
        step.photo ? el("figure", { class: "rt-photo" }, el("img", { src: `/routines/photos/${step.photo}`, alt: t("Photo for this step: %(title)s", { title: step.title }) })) : null,
        timerBox,
        earlier ? el("p", { class: "rt-meta" }, t("Earlier you chose: %(answer)s. You can change it.", { answer: t(WORDS[earlier]) })) : null,
        form),
      el("div", { class: "rt-player__footer" },
        previous ? el("a", { class: "rt-link", href: `/routines/${rid}/play?step=${previous.id}` }, t("Back to step %(number)s", { number: position - 1 })) : null,
        el("a", { class: "rt-btn rt-stuck", href: "/calm" }, t("I'm stuck"))),
    ];
  }

  function finishedView() {
    const done = doneCount();
    const total = data.steps.length;
    const words = done === total ? t("Every step is done. Well done for showing up for yourself.")
      : done > 0 ? t("Some steps done is still progress. Partial days count.")
        : t("You went through the routine today. That counts too.");
    return [el("section", { class: "rt-stepcard rt-finished", "aria-labelledby": "finished-title" },
      el("h2", { id: "finished-title", tabindex: "-1" }, t("That's all the steps for today")),
      el("p", { class: "rt-big-number" }, tn("%(done)s of %(num)s step", "%(done)s of %(num)s steps", total, { done })),
      el("p", {}, words),
      el("div", { class: "rt-actions" },
        el("a", { class: "rt-btn rt-btn--primary", href: "/today" }, t("Back to Today")),
        el("a", { class: "rt-btn", href: `/routines/${rid}/history` }, t("See history"))))];
  }

  function undoView() {
    const step = last && stepById(last.step);
    if (!step) return [];
    const button = el("button", { type: "button", class: "rt-btn rt-undo__button", "aria-label": t("Undo your answer to %(title)s", { title: step.title }) }, t("Undo"));
    button.addEventListener("click", () => { undo().catch(() => {}); });
    return [el("p", { class: "rt-meta" },
      el("span", { "data-authored": true }, t("Your last answer: %(title)s, %(answer)s.", { title: step.title, answer: t(WORDS[last.status]).toLowerCase() })), " ", button)];
  }

  function render(focus = true) {
    const current = (chosen && stepById(chosen)) || data.steps.find((s) => !answers.has(s.id));
    view.replaceChildren(...(current ? stepView(current) : finishedView()));
    undoSlot.replaceChildren(...undoView());
    view.querySelectorAll("[data-timer]").forEach(timer);
    if (focus) view.querySelector("h2")?.focus();
  }

  async function showWaiting() {
    const count = (await queue.waiting(rid)).length;
    waitingNote.hidden = count === 0;
    waitingNote.textContent = tn("%(num)s change saved on this phone, waiting to be sent.",
      "%(num)s changes saved on this phone, waiting to be sent.", count);
  }

  async function send() {
    await queue.drain((record, stored) => {
      if (last?.waiting === record.id) last = { step: last.step, status: last.status, stored };
    });
    await showWaiting();
  }

  async function answer(step, status) {
    const id = newId();
    const tappedAt = tapStamp();
    await queue.keep(queue.answerRecord({ id, routine: rid, day, step, status, tappedAt }));
    answers.set(step, status);
    last = { step, status, waiting: id };
    chosen = null;
    if (location.search) history.replaceState(null, "", location.pathname);
    undoneNote.hidden = true;
    render();
    await showWaiting();
    await send();
  }

  async function undo() {
    const taken = last;
    if (!taken) return;
    let text = t("Undone. That step is waiting for you again.");
    if (taken.waiting) {
      await queue.drop(taken.waiting);
      text = t("Undone. Nothing was sent.");
    } else {
      const path = `/api/v1/routines/${rid}/outcomes/${taken.stored}`;
      let done = false;
      if (navigator.onLine) {
        try { done = (await sendJson("DELETE", path)).ok; } catch { done = false; }
      }
      if (done) {
        await queue.remember({ id: taken.stored, routine: rid, day, step: taken.step, undone: true, tapped_at: tapStamp() });
      } else {
        await queue.keep(queue.undoRecord({ id: newId(), routine: rid, day, step: taken.step, storedId: taken.stored, tappedAt: tapStamp() }));
      }
    }
    answers.delete(taken.step);
    last = null;
    chosen = taken.step;
    undoneNote.textContent = text;
    undoneNote.hidden = false;
    render();
    await showWaiting();
  }

  handle = (action) => (action.undo ? undo() : answer(action.step, action.status)).catch(() => {
    waitingNote.textContent = t("This phone could not keep that. Please try again.");
    waitingNote.hidden = false;
  });
  render();
  for (const action of early.splice(0)) await handle(action);
  root.dataset.ready = "1"; // tests wait for this before tapping
  await showWaiting();
  addEventListener("online", () => { send().catch(() => {}); });
  await send();
}

// Taps are caught from the first moment, even before the phone's data is read: an answer posted
// as a plain form while offline would show the browser's "no internet" page.
let handle = null;
let broken = false;
const early = [];
if (root && dataNode) {
  root.addEventListener("submit", (event) => {
    if (broken) return; // this phone cannot keep answers (no IndexedDB): the forms post as before
    const form = event.target.closest("form.rt-answer, form.rt-undo");
    if (!form) return;
    event.preventDefault();
    const action = form.classList.contains("rt-undo") ? { undo: true } : {
      step: form.dataset.step || new FormData(form).get("step_id"),
      status: event.submitter?.value,
    };
    if (!action.undo && !(action.step && BUTTONS[action.status])) return;
    if (handle) handle(action);
    else early.push(action);
  });
  start().catch((error) => { broken = true; console.error("player", error); });
}
