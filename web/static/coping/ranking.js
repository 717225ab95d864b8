// Offline port of app/coping/ranking.py: the same rules and weights, so the list a person sees with
// no signal matches what the server would show. tests/coping/test_ranking_js.py runs both on the
// same cases; change them together.

import { t, tn } from "../js/i18n.js";

// Marks a word for translation; it is translated where it is shown.
const N_ = (message) => message;

export const SHRINK_K = 3.0;
export const DEFAULT_PRIOR_DROP = 2.0;
const W_RECOMMENDED = 4.0;
const W_FAVOURITE = 1.5;
const W_SEEK = 0.75;
const W_AVOID = 1.5;
const W_MISSING_KIT = 2.0;
const W_HAS_KIT = 0.5;
const W_TOO_LONG = 3.0;
const W_STRONG = 0.75;
const STRONG_MIN = 5;
const VARIETY = 0.6;
const SAME_KIND = 0.75;
const ENOUGH_USES = 2;
const HIGH_DISTRESS = 7;

const SENSE_WORDS = {
  visual: N_("sight"),
  auditory: N_("sound"),
  tactile: N_("touch"),
  proprioceptive: N_("pressure and muscle work"),
  vestibular: N_("movement"),
  olfactory: N_("smell"),
  gustatory: N_("taste"),
  interoceptive: N_("breathing"),
};

export function fnv1a(text) {
  let h = 0x811c9dc5;
  for (const byte of new TextEncoder().encode(text)) {
    h = Math.imul(h ^ byte, 0x01000193) >>> 0;
  }
  return h >>> 0;
}

export function jitter(seed, id) {
  return VARIETY * (fnv1a(`${seed}|${id}`) / 0xffffffff);
}

export function shrunkDrop(uses, meanDrop, prior, k = SHRINK_K) {
  return (uses * meanDrop + k * prior) / (uses + k);
}

const has = (list, x) => Array.isArray(list) && list.includes(x);
const overlap = (a, b) => (a || []).filter((x) => has(b, x));

function eligible(c, s, box, fit) {
  if (has(box.hidden, c.id)) return false;
  if (s.level >= HIGH_DISTRESS && c.kind === "thinking") return false;
  if (!(c.level_min <= s.level && s.level <= c.level_max)) return false;
  if (s.place != null && !has(c.places, s.place)) return false;
  return !(fit && overlap(c.systems, fit.overwhelmed).length);
}

const times = (n) => (n === 1 ? t("once") : n === 2 ? t("twice") : tn("%(num)s time", "%(num)s times", n));
function points(drop) {
  const n = Math.max(1, Math.floor(drop + 0.5));
  return tn("about %(num)s point", "about %(num)s points", n);
}
const duration = (m) => tn("Takes about %(num)s minute", "Takes about %(num)s minutes", m);

function score(c, s, usage, box, fit, prior) {
  const reasons = [];
  const base = c.prior_drop != null ? c.prior_drop : prior;
  const n = usage ? usage.uses : 0;
  const expected = usage && n > 0 ? shrunkDrop(n, usage.mean_drop, base) : base;
  let total = expected;
  if (has(box.recommended, c.id)) {
    total += W_RECOMMENDED;
    reasons.push(t("Your therapist suggested this"));
  }
  const helped = usage && usage.uses >= ENOUGH_USES && usage.helped > 0 && usage.mean_drop >= 0.5;
  if (helped) {
    reasons.push(t("Helped you %(times)s, %(points)s on average", { times: times(usage.helped), points: points(usage.mean_drop) }));
  }
  if (has(box.favourites, c.id)) {
    total += W_FAVOURITE;
    reasons.push(t("One of your favourites"));
  }
  if (fit) {
    // In the strategy's own order (main channel first): the reason names what it really uses.
    const sought = overlap(c.systems, fit.seeks);
    total += W_SEEK * Math.min(2, sought.length) - W_AVOID * overlap(c.systems, fit.avoids).length;
    if (sought.length) reasons.push(t("Uses %(sense)s, which suits you", { sense: t(SENSE_WORDS[sought[0]]) }));
    if ((c.needs || []).length) {
      if (c.needs.every((x) => has(fit.kit, x))) {
        total += W_HAS_KIT;
        reasons.push(t("Uses something from your kit"));
      } else if ((fit.kit || []).length && !(usage && usage.helped > 0)) {
        // Only once the kit is filled in, and never for a strategy that already helped.
        total -= W_MISSING_KIT;
      }
    }
  }
  if (s.level >= HIGH_DISTRESS && c.level_min >= STRONG_MIN) {
    total += W_STRONG;
    reasons.push(t("Good for strong distress"));
  }
  if (s.minutes != null && c.minutes > s.minutes) total -= W_TOO_LONG;
  if (usage && usage.uses > 0 && !helped) {
    reasons.push(t("You have tried this %(times)s", { times: times(usage.uses) }));
  }
  reasons.push(duration(c.minutes));
  return [total, expected, reasons];
}

/**
 * Rank candidates for a situation {level, place, minutes}. Options: usage {id: {uses, mean_drop,
 * helped}}, toolbox {favourites, hidden, recommended}, fit {seeks, avoids, overwhelmed, kit} or null,
 * seed, prior, limit. Returns [{id, score, expected_drop, reason, reasons}], best first.
 */
export function rank(candidates, situation, opts = {}) {
  const usage = opts.usage || {};
  const box = opts.toolbox || {};
  const fit = opts.fit || null;
  const seed = opts.seed || "";
  const prior = opts.prior ?? DEFAULT_PRIOR_DROP;
  const limit = opts.limit ?? 5;
  const pool = [];
  for (const c of candidates) {
    if (!eligible(c, situation, box, fit)) continue;
    const [total, expected, reasons] = score(c, situation, usage[c.id], box, fit, prior);
    pool.push([total + jitter(seed, c.id), c, expected, reasons]);
  }
  const kinds = {};
  const chosen = [];
  while (pool.length && chosen.length < limit) {
    let bestI = 0;
    let best = null;
    pool.forEach(([total, c], i) => {
      const key = total - SAME_KIND * (kinds[c.kind] || 0);
      if (best === null || key > best[0] || (key === best[0] && c.id < best[1])) {
        bestI = i;
        best = [key, c.id];
      }
    });
    const [, c, expected, reasons] = pool.splice(bestI, 1)[0];
    kinds[c.kind] = (kinds[c.kind] || 0) + 1;
    chosen.push({
      id: c.id,
      score: Math.round(best[0] * 1000) / 1000,
      expected_drop: Math.round(expected * 100) / 100,
      reason: reasons[0],
      reasons,
    });
  }
  return chosen;
}
