// The 5-4-3-2-1 counter: one sense per screen; tap once for each thing noticed.
import { button, h, screen } from "./dom.js";

export const SENSES = [
  [5, "see", "Name 5 things you can see."],
  [4, "feel", "Name 4 things you can feel."],
  [3, "hear", "Name 3 things you can hear."],
  [2, "smell", "Name 2 things you can smell."],
  [1, "taste", "Name 1 thing you can taste, or think of a taste you like."],
];

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
        h("h1", { class: "calm-step" }, prompt),
        dots,
        h("p", { class: "calm-status", "aria-live": "polite" },
          found ? `${left} more to ${verb}` : ""),
        h("div", { class: "calm-actions" },
          button(`I noticed one (${left} left)`, () => {
            found += 1;
            if (found < n) return show();
            found = 0;
            s += 1;
            if (s === SENSES.length) return finish({ completed: true });
            show();
          }),
          button("I'm done", () => finish({ completed: false }), "calm-btn calm-btn-quiet"))),
    );
  }
  show();
  return () => {};
}
