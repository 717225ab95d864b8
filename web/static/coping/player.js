// Runs one strategy: its cautions first (if any), then its guide. Resolves with how long it took,
// so the flow can store the episode's duration. Works offline: it needs only the strategy object.
import { button, h, screen } from "./dom.js";
import * as counter from "./counter.js";
import * as pacer from "./pacer.js";
import * as steps from "./steps.js";
import * as timer from "./timer.js";

const GUIDES = { breathing: pacer, timer, steps, counter_54321: counter };

export function play(root, strategy) {
  return new Promise((resolve) => {
    const started = Date.now();
    let cleanup = () => {};
    const finish = ({ completed }) => {
      cleanup();
      resolve({ completed, seconds: Math.round((Date.now() - started) / 1000) });
    };
    const begin = () => {
      cleanup = (GUIDES[strategy.guide.type] || steps).start(root, strategy, finish);
    };
    if (strategy.cautions && strategy.cautions.length) {
      screen(
        root,
        h("div", { class: "calm-player calm-cautions" },
          h("h1", {}, "Before you start"),
          h("ul", {}, strategy.cautions.map((c) => h("li", {}, c))),
          h("div", { class: "calm-actions" },
            button("Start", begin),
            button("Choose another", () => resolve({ completed: false, seconds: 0, back: true }),
              "calm-btn calm-btn-quiet"))),
      );
    } else {
      begin();
    }
  });
}
