// Step-through: one step per screen, in large text, at the person's own pace.
import { t } from "../js/i18n.js";
import { button, h, screen } from "./dom.js";

export function start(root, strategy, finish) {
  const steps = strategy.steps;
  let i = 0;
  function show() {
    const last = i === steps.length - 1;
    screen(
      root,
      h("div", { class: "calm-player" },
        h("p", { class: "calm-round" }, t("Step %(n)s of %(total)s", { n: i + 1, total: steps.length })),
        h("h1", { class: "calm-step" }, steps[i]),
        h("div", { class: "calm-actions" },
          button(last ? t("Done") : t("Next"), () => {
            if (last) finish({ completed: true });
            else { i += 1; show(); }
          }),
          i > 0 ? button(t("Back"), () => { i -= 1; show(); }, "calm-btn calm-btn-quiet") : null,
          last ? null : button(t("I'm done"), () => finish({ completed: false }), "calm-btn calm-btn-quiet"))),
    );
  }
  show();
  return () => {};
}
