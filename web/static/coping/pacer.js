// Breathing pacer: a circle that grows on the in-breath and shrinks on the out-breath, with the
// phase and a count in large text. Under prefers-reduced-motion the circle stays still and the text
// leads. Phase changes are announced politely; the per-second count is not (it would be noise).
import { t } from "../js/i18n.js";
import { button, h, reducedMotion, screen } from "./dom.js";

export function phasesOf(pattern) {
  return [
    [t("Breathe in"), pattern.breathe_in, "in"],
    [t("Hold"), pattern.hold_in, "hold"],
    [t("Breathe out"), pattern.breathe_out, "out"],
    [t("Hold"), pattern.hold_out, "hold"],
  ].filter(([, secs]) => secs > 0);
}

export function start(root, strategy, finish) {
  const { pattern, rounds } = strategy.guide;
  const phases = phasesOf(pattern);
  const still = reducedMotion();
  const label = h("h1", { class: "calm-phase", "aria-live": "polite" });
  const count = h("p", { class: "calm-count", "aria-hidden": "true" });
  const round = h("p", { class: "calm-round" });
  const circle = h("div", { class: `calm-pacer${still ? " is-still" : ""}`, "aria-hidden": "true" });
  let timer = null;
  let paused = false;
  let r = 0;
  let p = 0;
  let left = 0;
  const pauseBtn = button(t("Pause"), () => {
    paused = !paused;
    pauseBtn.textContent = paused ? t("Carry on") : t("Pause");
    if (paused) {
      clearTimeout(timer);
      label.textContent = t("Paused");
    } else {
      show();
      tick();
    }
  }, "calm-btn calm-btn-quiet");
  const stop = button(t("I'm done"), () => end(false), "calm-btn calm-btn-quiet");

  function show() {
    const [name, secs, dir] = phases[p];
    label.textContent = name;
    count.textContent = String(left);
    round.textContent = t("Breath %(n)s of %(total)s", { n: r + 1, total: rounds });
    if (!still) {
      circle.style.transitionDuration = `${secs}s`;
      if (dir !== "hold") circle.dataset.phase = dir;
    }
  }
  function enter() {
    left = phases[p][1];
    show();
  }
  function tick() {
    timer = setTimeout(() => {
      left -= 1;
      if (left > 0) {
        count.textContent = String(left);
      } else {
        p += 1;
        if (p === phases.length) {
          p = 0;
          r += 1;
          if (r === rounds) return end(true);
        }
        enter();
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
    h("div", { class: "calm-player calm-pacer-wrap" }, label, circle, count, round,
      h("div", { class: "calm-actions" }, pauseBtn, stop)),
  );
  circle.dataset.phase = "out";
  enter();
  tick();
  return () => clearTimeout(timer);
}
