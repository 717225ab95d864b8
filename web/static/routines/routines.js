// Routines: schedule fields, step reordering by drag, the player's timer with a screen wake lock,
// one-submit answer forms and copy buttons. Everything works without this script; it only helps.
import { t } from "/static/js/i18n.js";
import { timer } from "/static/routines/timer.js";

function scheduleFields(root = document) {
  const radios = [...root.querySelectorAll("[data-schedule-kind]")];
  if (!radios.length) return;
  const update = () => {
    const kind = radios.find((r) => r.checked)?.value ?? "daily";
    root.querySelectorAll("[data-schedule-for]").forEach((el) => {
      el.hidden = el.dataset.scheduleFor !== kind;
    });
  };
  radios.forEach((r) => r.addEventListener("change", update));
  update();
}

function dragReorder(list) {
  const form = document.getElementById(list.dataset.orderForm);
  const status = list.parentElement.querySelector("[data-reorder-status]");
  if (!form) return;
  let dragging = null;
  let startOrder = "";
  const order = () => [...list.children].map((li) => li.dataset.stepId).join(",");
  list.querySelectorAll(".rt-handle").forEach((handle) => {
    handle.addEventListener("pointerdown", (event) => {
      dragging = handle.closest("li");
      startOrder = order();
      dragging.classList.add("rt-step--dragging");
      handle.setPointerCapture(event.pointerId);
      event.preventDefault();
    });
    handle.addEventListener("pointermove", (event) => {
      if (!dragging) return;
      const siblings = [...list.children].filter((li) => li !== dragging);
      const after = siblings.find((li) => {
        const box = li.getBoundingClientRect();
        return event.clientY < box.top + box.height / 2;
      });
      list.insertBefore(dragging, after ?? null);
    });
    const finish = () => {
      if (!dragging) return;
      dragging.classList.remove("rt-step--dragging");
      dragging = null;
      const now = order();
      if (now !== startOrder) {
        if (status) status.textContent = t("Saving the new order…");
        form.querySelector("[name=order]").value = now;
        form.submit();
      }
    };
    handle.addEventListener("pointerup", finish);
    handle.addEventListener("pointercancel", finish);
  });
}

function answerOnce(form) {
  // The form carries an id made for this step, so a second tap is harmless on the server;
  // this only stops a second request while the first is on its way.
  let sent = false;
  form.addEventListener("submit", (event) => {
    if (sent) event.preventDefault();
    sent = true;
  });
}

function copyButtons() {
  document.querySelectorAll("[data-copy]").forEach((button) => {
    button.addEventListener("click", async () => {
      const input = document.querySelector(button.dataset.copy);
      if (!input) return;
      input.select();
      try {
        await navigator.clipboard.writeText(input.value);
        button.textContent = t("Copied");
      } catch {
        button.textContent = t("Select the link and copy it");
      }
    });
  });
}

scheduleFields();
document.querySelectorAll("[data-reorder]").forEach(dragReorder);
document.querySelectorAll("[data-timer]").forEach(timer);
document.querySelectorAll("form[data-once]").forEach(answerOnce);
copyButtons();
document.querySelector(".rt-player [data-autofocus]")?.focus();
