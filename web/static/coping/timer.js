// Timer: a large countdown with the strategy's steps as a short reminder underneath.
import { t } from "../js/i18n.js";
import { button, h, mmss, screen } from "./dom.js";

export function start(root, strategy, finish) {
  let left = strategy.guide.seconds;
  let timer = null;
  let paused = false;
  const clock = h("p", { class: "calm-clock", role: "timer", "aria-live": "off" }, mmss(left));
  const status = h("p", { class: "calm-status", "aria-live": "polite" });
  const pauseBtn = button(t("Pause"), () => {
    paused = !paused;
    pauseBtn.textContent = paused ? t("Carry on") : t("Pause");
    status.textContent = paused ? t("Paused") : "";
    if (paused) clearTimeout(timer);
    else tick();
  }, "calm-btn calm-btn-quiet");
  const done = button(t("I'm done"), () => end(false), "calm-btn calm-btn-quiet");
  const actions = h("div", { class: "calm-actions" }, pauseBtn, done);

  function tick() {
    timer = setTimeout(() => {
      left -= 1;
      clock.textContent = mmss(left);
      if (left <= 0) {
        status.textContent = t("Time is up. Take your time.");
        actions.replaceChildren(button(t("Next"), () => end(true)));
        actions.querySelector("button").focus();
        return;
      }
      tick();
    }, 1000);
  }
  function end(completed) {
    clearTimeout(timer);
    finish({ completed });
  }
  screen(
    root,
    h("div", { class: "calm-player" },
      h("h1", {}, strategy.title),
      clock,
      status,
      h("ol", { class: "calm-steps-short" }, strategy.steps.map((s) => h("li", {}, s))),
      actions),
  );
  tick();
  return () => clearTimeout(timer);
}
