// The player's step timer, with a screen wake lock while it runs. Used for the step the page came
// with (routines.js) and for each step the offline player shows next (player.js).

import { t } from "/static/js/i18n.js";

export function timer(box) {
  const display = box.querySelector("[data-timer-display]");
  const toggle = box.querySelector("[data-timer-toggle]");
  const status = box.querySelector("[data-timer-status]");
  const total = Number(box.dataset.seconds) || 0;
  const label = toggle.textContent;
  let left = total;
  let handle = null;
  let lock = null;
  const show = () => {
    const m = Math.floor(left / 60);
    const s = String(left % 60).padStart(2, "0");
    display.textContent = `${m}:${s}`;
  };
  // Keep the screen on while the timer runs, where the browser offers the Wake Lock API.
  const keepAwake = async () => {
    try {
      if ("wakeLock" in navigator && document.visibilityState === "visible") {
        lock = await navigator.wakeLock.request("screen");
      }
    } catch {
      lock = null; // refused (battery saver, permissions): the timer still runs
    }
  };
  const letSleep = () => {
    lock?.release().catch(() => {});
    lock = null;
  };
  const stop = (text) => {
    clearInterval(handle);
    handle = null;
    letSleep();
    toggle.textContent = text;
  };
  toggle.hidden = false;
  toggle.addEventListener("click", () => {
    if (handle) {
      stop(t("Carry on with the timer"));
      status.textContent = t("Timer paused.");
      return;
    }
    if (left <= 0) left = total;
    keepAwake();
    status.textContent = t("Timer started.");
    toggle.textContent = t("Pause timer");
    handle = setInterval(() => {
      left -= 1;
      show();
      if (left <= 0) {
        stop(label);
        status.textContent = t("Time is up. Take your time to finish.");
        box.classList.add("rt-timer--done");
        navigator.vibrate?.(200);
      }
    }, 1000);
  });
  document.addEventListener("visibilitychange", () => {
    if (handle && document.visibilityState === "visible" && !lock) keepAwake();
  });
  show();
}
