// Strings for scripts, in the page's language. The server puts the translations scripts need into
// <script type="application/json" id="i18n-messages"> (app/i18n.py js_messages); English pages have
// none, as the English text is the message id. Works offline: it is part of the cached page.
// Mark text with t("…") / tn("…", "…", n) so `make messages` extracts it (docs/i18n.md).
const element = globalThis.document?.getElementById("i18n-messages");
const data = (() => {
  try { return element ? JSON.parse(element.textContent) : {}; } catch { return {}; }
})();
const strings = data.strings || {};

const fill = (text, params) =>
  text.replace(/%\((\w+)\)s/g, (whole, key) => (key in params ? String(params[key]) : whole));

/** `message` in the page's language, with %(name)s placeholders filled from `params`. */
export function t(message, params = {}) {
  const found = strings[message];
  return fill(typeof found === "string" && found ? found : message, params);
}

/** The plural form for `n` (the catalog's own rule, as an index table from the server). */
export function tn(singular, plural, n, params = {}) {
  const forms = strings[singular];
  const table = data.plural_index;
  const index = table ? table[n < 200 ? n : 100 + (n % 100)] : (n === 1 ? 0 : 1);
  const text = Array.isArray(forms) && forms[index] ? forms[index] : (n === 1 ? singular : plural);
  return fill(text, { num: n, ...params });
}

/** The page's language (for Intl formatting). */
export const language = data.lang || globalThis.document?.documentElement.lang || "en";
