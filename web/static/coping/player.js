// Runs one strategy: its guide, with its cautions (if any) above the first step. Resolves with how long it took,
// so the flow can store the episode's duration. Works offline: it needs only the strategy object.
import { t } from "../js/i18n.js";
import { h } from "./dom.js";
import * as counter from "./counter.js";
import * as pacer from "./pacer.js";
import * as steps from "./steps.js";
import * as timer from "./timer.js";

const GUIDES = { breathing: pacer, timer, steps, counter_54321: counter };

export function play(root, strategy, { cautionsRead = false } = {}) {
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
    begin();
    // Cautions are read before the first step on the same screen, not behind an extra tap
    // (help-now shows them on its own screen, before its Start button).
    if (!cautionsRead && strategy.cautions && strategy.cautions.length) {
      const note = h("aside", { class: "calm-cautions", "aria-labelledby": "calm-cautions-title" },
        h("h2", { id: "calm-cautions-title", "data-focus": "" }, t("Before you start")),
        h("ul", {}, strategy.cautions.map((c) => h("li", {}, c))));
      root.prepend(note);
      note.querySelector("h2").setAttribute("tabindex", "-1");
      note.querySelector("h2").focus();
    }
  });
}
