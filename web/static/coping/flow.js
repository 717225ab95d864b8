// The distress flow, run on the phone: rate → ranked strategies → guided player → rate again →
// store (or queue offline) → help if still high. Nothing here waits on the server.
import { t, tn } from "../js/i18n.js";
import { button, h, screen } from "./dom.js";
import { play } from "./player.js";
import { rank } from "./ranking.js";
import * as store from "./store.js";

const shell = document.getElementById("calm");
const root = document.getElementById("calm-screen");
const mode = shell.dataset.mode;
const library = JSON.parse(document.getElementById("calm-library").textContent);
const fallbackCrisis = JSON.parse(document.getElementById("calm-crisis").textContent);
const params = new URLSearchParams(location.search);
const tryId = params.get("try");
// A level tapped before this script loaded arrives as ?level=N (the page's plain links).
const startLevel = /^(10|[0-9])$/.test(params.get("level") || "") ? Number(params.get("level")) : null;
// "Need help now" (every page's red link): one screen that starts a strategy in one more tap.
const helpNowMode = params.get("now") === "1";
// Ranking needs a level; someone pressing "Need help now" is taken to be in strong distress.
const HELP_NOW_LEVEL = 8;

const PLACES = [["home", t("Home")], ["public", t("Out")], ["work_school", t("Work or school")], ["in_bed", t("In bed")]];
const MINUTES = [1, 5, 15].map((m) => [m, tn("%(num)s min", "%(num)s min", m)]);
const state = { before: null, place: null, minutes: null };
let synced = null;

const newId = () => (crypto.randomUUID ? crypto.randomUUID()
  : "10000000-1000-4000-8000-100000000000".replace(/[018]/g, (c) =>
    (c ^ (crypto.getRandomValues(new Uint8Array(1))[0] & (15 >> (c / 4)))).toString(16)));

function strategies() {
  return library.strategies.concat(synced?.strategies || []);
}

function rankingOptions() {
  if (!synced) return { seed: new Date().toISOString().slice(0, 10) };
  const box = synced.toolbox || [];
  const ids = (flag) => box.filter((e) => e[flag]).map((e) => e.strategy_key);
  return {
    usage: synced.usage || {},
    toolbox: { favourites: ids("favourite"), hidden: ids("hidden"), recommended: ids("recommended") },
    fit: synced.fit || null,
    seed: synced.seed,
  };
}

function scale(label, onPick) {
  return h("ul", { class: "calm-scale", "aria-label": label },
    Array.from({ length: 11 }, (_, n) => h("li", {}, button(String(n), () => onPick(n), ""))));
}

function pickLevel(n) {
  state.before = n;
  if (tryId) {
    const chosen = strategies().find((s) => s.id === tryId);
    if (chosen) return run(chosen);
  }
  listScreen();
}

function rateScreen(keepFocus = false) {
  const active = keepFocus ? document.activeElement?.textContent : null;
  screen(root,
    h("h1", {}, t("How strong is the distress right now?")),
    h("p", { class: "lead" }, t("0 is completely calm. 10 is the worst you can imagine.")),
    scale(t("Distress from 0 to 10"), pickLevel),
    chips(t("Where are you? (optional)"), PLACES, "place", () => rateScreen(true)),
    chips(t("How much time do you have? (optional)"), MINUTES, "minutes", () => rateScreen(true)));
  if (active) [...root.querySelectorAll(".calm-chips button")].find((b) => b.textContent === active)?.focus();
}

function chips(legend, options, key, redraw = () => listScreen(true)) {
  return h("fieldset", { class: "calm-chips" }, h("legend", {}, legend),
    options.map(([value, text]) => button(text, () => {
      state[key] = state[key] === value ? null : value;
      redraw();
    }, "")).map((b, i) => { b.setAttribute("aria-pressed", String(state[key] === options[i][0])); return b; }));
}

function listScreen(keepFocus = false) {
  const situation = { level: state.before, place: state.place, minutes: state.minutes };
  const ranked = rank(strategies(), situation, rankingOptions());
  const byId = Object.fromEntries(strategies().map((s) => [s.id, s]));
  const notes = Object.fromEntries((synced?.toolbox || []).filter((e) => e.note).map((e) => [e.strategy_key, e.note]));
  const active = document.activeElement?.textContent;
  const items = ranked.map((r) => {
    const s = byId[r.id];
    return h("li", {}, h("button", { type: "button", onclick: () => run(s) },
      h("span", { class: "calm-title" }, s.title),
      h("span", { class: "calm-why" }, r.reason),
      notes[r.id] ? h("span", { class: "calm-why" }, `“${notes[r.id]}”`) : null));
  });
  screen(root,
    h("h1", {}, t("Try one of these")),
    h("p", { class: "muted" }, t("Distress now: %(level)s out of 10.", { level: state.before }), " ", button(t("Change"), () => rateScreen(), "calm-link")),
    h("ol", { class: "calm-list" }, items),
    chips(t("Where are you? (optional)"), PLACES, "place"),
    chips(t("How much time do you have? (optional)"), MINUTES, "minutes"));
  if (keepFocus && active) {
    [...root.querySelectorAll(".calm-chips button")].find((b) => b.textContent === active)?.focus();
  }
}

// The strategy ranked first for this person, its cautions on the same screen (read before the
// first step), one button to start it, and the crisis lines: two taps from any page to a guided
// step, with no rating asked first. Nothing is stored for it: there is no "before" to compare.
function helpNowScreen() {
  const situation = { level: HELP_NOW_LEVEL, place: null, minutes: null };
  const [first] = rank(strategies(), situation, rankingOptions());
  const strategy = first && strategies().find((s) => s.id === first.id);
  const cautions = strategy?.cautions || [];
  screen(root,
    h("h1", {}, t("Let's slow things down together")),
    strategy ? h("section", { class: "calm-now-card", "aria-labelledby": "calm-now-title" },
      h("h2", { id: "calm-now-title" }, strategy.title),
      h("p", { class: "calm-why" }, first.reason),
      cautions.length ? h("div", { class: "calm-cautions" }, h("h3", {}, t("Before you start")),
        h("ul", {}, cautions.map((c) => h("li", {}, c)))) : null,
      button(t("Start %(title)s", { title: strategy.title }), () => runNow(strategy), "calm-btn")) : null,
    h("p", {}, h("a", { href: "/calm" }, t("Choose another way to calm down"))),
    helpNow());
}

async function runNow(strategy) {
  await play(root, strategy, { cautionsRead: true });
  screen(root,
    h("h1", {}, t("How strong is it now?")),
    h("p", { class: "lead" }, t("0 is completely calm. 10 is the worst you can imagine.")),
    scale(t("Distress now, from 0 to 10"), (after) => {
      state.before = after;
      screen(root,
        h("h1", {}, t("Thank you for taking this time")),
        after >= 8 ? helpNow() : null,
        h("div", { class: "calm-actions" },
          button(t("Try another strategy"), () => listScreen(), after >= 8 ? "calm-btn" : "calm-btn calm-btn-quiet"),
          h("a", { class: "calm-btn calm-btn-quiet", href: mode === "client" ? "/today" : "/" }, t("Done"))));
    }));
}

async function run(strategy) {
  const startedAt = new Date();
  const result = await play(root, strategy);
  if (result.back) return listScreen();
  screen(root,
    h("h1", {}, t("How strong is it now?")),
    h("p", { class: "lead" }, t("0 is completely calm. 10 is the worst you can imagine.")),
    scale(t("Distress now, from 0 to 10"), (after) => finish(strategy, startedAt, result.seconds, after)));
}

function change(before, after) {
  const d = before - after;
  if (d > 0) return tn("Down %(num)s point, from %(before)s to %(after)s.", "Down %(num)s points, from %(before)s to %(after)s.", d, { before, after });
  if (d === 0) return t("Still at %(after)s.", { after });
  return t("Up from %(before)s to %(after)s.", { before, after });
}

async function finish(strategy, startedAt, seconds, after) {
  const before = state.before;
  const status = h("p", { class: "calm-status", role: "status" });
  const needsHelp = after >= 8 || after > before;
  const summary = h("p", { class: "calm-episode", "data-episode": "" }, `${strategy.title}: ${before} → ${after}`);
  const again = () => { state.before = after; listScreen(); };
  const parts = [h("h1", {}, change(before, after)), summary, status];
  if (needsHelp) parts.push(helpNow());
  parts.push(h("div", { class: "calm-actions" },
    button(t("Try another strategy"), again, needsHelp ? "calm-btn" : "calm-btn calm-btn-quiet"),
    mode === "client" ? h("a", { class: "calm-btn calm-btn-quiet", href: "/calm/history" }, t("My calm history")) : null,
    h("a", { class: "calm-btn calm-btn-quiet", href: mode === "client" ? "/today" : "/" }, t("Done"))));
  screen(root, ...parts);
  if (mode !== "client") {
    status.textContent = t("Nothing is saved, because you're not logged in.");
    return;
  }
  const episode = {
    id: newId(), strategy_key: strategy.id, before, after, seconds,
    started_at: startedAt.toISOString(), place: state.place, minutes_available: state.minutes,
  };
  await store.enqueue(episode);
  learn(strategy.id, before, after);
  status.textContent = t("Saved on this phone.");
  const waiting = await store.flush();
  status.textContent = waiting ? t("Saved on this phone. It will be sent when you're back online.") : t("Saved.");
}

// Offline ranking should learn from what just happened, as the server's summary will.
function learn(id, before, after) {
  if (!synced) return;
  const u = synced.usage[id] || { uses: 0, mean_drop: 0, helped: 0 };
  const total = u.mean_drop * u.uses + (before - after);
  synced.usage[id] = { uses: u.uses + 1, mean_drop: total / (u.uses + 1), helped: u.helped + (after < before ? 1 : 0) };
  store.putKV("sync", synced).catch(() => {});
}

// The person's own country only (never another country's numbers): its lines, or an honest
// "no checked line yet" with its emergency numbers; with no country known, a link to choose one.
function helpNow() {
  const crisis = synced?.crisis || fallbackCrisis;
  const plan = synced?.safety_plan || [];
  const numbers = crisis.emergency_numbers || (crisis.emergency ? [crisis.emergency] : []);
  const call = () => numbers.flatMap((n, i) => [i ? ` ${t("or")} ` : null, h("a", { class: "emergency", href: `tel:${n}` }, n)]);
  const unchecked = crisis.country && !crisis.has_checked_lines;
  return h("section", { class: "card card--crisis", "aria-labelledby": "calm-help" },
    h("h2", { id: "calm-help" }, t("You don't have to do this alone")),
    plan.length ? h("div", {}, h("h3", {}, t("My safety plan")),
      h("dl", { class: "calm-plan" }, plan.flatMap((s) => [h("dt", {}, s.title), h("dd", {}, s.text)]))) : null,
    h("h3", {}, crisis.country ? t("Talk to someone now (%(country)s)", { country: crisis.country }) : t("Talk to someone now")),
    unchecked ? h("p", { class: "crisis-none" }, t("We don't have a checked crisis line for %(country)s yet.", { country: crisis.country }),
      numbers.length ? [" ", t("In an emergency call"), " ", call(), "."]
        : [" ", t("We don't have a checked emergency number there either: in an emergency, ask someone near you to contact the local emergency services.")]) : null,
    crisis.lines.length ? h("ul", { class: "crisis-lines" }, crisis.lines.map((l) => h("li", {},
      h("strong", {}, l.name), l.description ? h("span", {}, ` · ${l.description}`) : null,
      h("p", { class: "actions" },
        l.tel_href ? h("a", { class: "button button--primary", href: l.tel_href }, t("Call %(phone)s", { phone: l.phone })) : null,
        l.sms_href ? h("a", { class: "button", href: l.sms_href }, t("Text %(sms)s", { sms: l.sms })) : null)))) : null,
    !crisis.country ? h("p", {}, h("a", { href: "/crisis" }, t("Find the emergency number and crisis lines for your country"))) : null,
    crisis.directory_url && navigator.onLine ? h("p", {}, t("%(name)s lists crisis lines in many countries:", { name: "Find A Helpline" }), " ",
      h("a", { href: crisis.directory_url, rel: "noopener" }, crisis.directory_url.split("//").pop()), ".") : null,
    numbers.length && !unchecked ? h("p", {}, t("In danger now?"), " ", t("Call"), " ", call(), ".") : null);
}

async function sync() {
  try {
    const response = await fetch("/api/v1/calm/sync", { credentials: "same-origin", headers: { Accept: "application/json" } });
    if (!response.ok) return;
    const fresh = await response.json();
    synced = fresh;
    await store.putKV("sync", fresh);
  } catch {
    // Offline: keep using the last synced copy.
  }
}

async function start() {
  if (mode === "client") {
    try { synced = (await store.getKV("sync")) || null; } catch { synced = null; }
    store.flush().catch(() => {});
    sync();
    addEventListener("online", () => { store.flush().catch(() => {}); sync(); });
  }
  if (helpNowMode) return helpNowScreen();
  if (startLevel === null) return rateScreen();
  history.replaceState(null, "", location.pathname + (tryId ? `?try=${encodeURIComponent(tryId)}` : ""));
  pickLevel(startLevel);
}

start();
