// The 5-4-3-2-1 counter: one sense per screen; tap once for each thing noticed.
import { t } from "../js/i18n.js";
import { button, h, screen } from "./dom.js";

// Marks text for translation; it is translated where it is shown.
const N_ = (message) => message;

export const SENSES = [
  [5, "see", N_("Name 5 things you can see.")],
  [4, "feel", N_("Name 4 things you can feel.")],
  [3, "hear", N_("Name 3 things you can hear.")],
  [2, "smell", N_("Name 2 things you can smell.")],
  [1, "taste", N_("Name 1 thing you can taste, or think of a taste you like.")],
];

// Each sense's "N more to …" as one whole sentence, so a translation can word it its own way.
const MORE = {
  see: N_("%(left)s more to see"),
  feel: N_("%(left)s more to feel"),
  hear: N_("%(left)s more to hear"),
  smell: N_("%(left)s more to smell"),
  taste: N_("%(left)s more to taste"),
};

export function start(root, strategy, finish) {
  let s = 0;
  let found = 0;
  function show() {
    const [n, verb, prompt] = SENSES[s];
    const left = n - found;
    const dots = h("p", { class: "calm-dots", "aria-hidden": "true" },
      Array.from({ length: n }, (_, k) => h("span", { class: k < found ? "is-found" : "" })));
    screen(
      root,
      h("div", { class: "calm-player" },
        h("h1", { class: "calm-step" }, t(prompt)),
        dots,
        h("p", { class: "calm-status", "aria-live": "polite" },
          found ? t(MORE[verb], { left }) : ""),
        h("div", { class: "calm-actions" },
          button(t("I noticed one (%(left)s left)", { left }), () => {
            found += 1;
            if (found < n) return show();
            found = 0;
            s += 1;
            if (s === SENSES.length) return finish({ completed: true });
            show();
          }),
          button(t("I'm done"), () => finish({ completed: false }), "calm-btn calm-btn-quiet"))),
    );
  }
  show();
  return () => {};
}
