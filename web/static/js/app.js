// Progressive enhancement for every page. The pages work without it.
import { t } from "./i18n.js";

if ("serviceWorker" in navigator) {
  navigator.serviceWorker.register("/sw.js", { scope: "/" }).catch(() => {});
  // The offline copy of /crisis must be this person's own country: tell the worker which it
  // is on every page, so a login or a change in settings refreshes the copy (web/sw/base.js).
  const country = document.body.dataset.crisisCountry ?? "";
  navigator.serviceWorker.ready
    .then((reg) => reg.active?.postMessage({ type: "crisis-country", country }))
    .catch(() => {});
}

// Offline banner: tell people their actions are kept, never leave them guessing.
const banner = document.getElementById("offline-banner");
// Today served from the phone's copy (web/sw/home.js) says when it was fetched.
const fetchedNote = document.querySelector("[data-fetched-note]");
const showOnline = () => {
  if (banner) banner.hidden = navigator.onLine;
  if (fetchedNote) fetchedNote.hidden = navigator.onLine && fetchedNote.dataset.served !== "phone";
  // Links that need the internet (a helpline directory) are hidden while offline.
  for (const el of document.querySelectorAll("[data-online-only]")) el.hidden = !navigator.onLine;
};
addEventListener("online", showOnline);
addEventListener("offline", showOnline);
showOnline();

// Fill time-zone pickers from the phone, unless the person already chose one.
const detected = Intl.DateTimeFormat().resolvedOptions().timeZone;
for (const select of document.querySelectorAll("select[data-detect-zone]")) {
  const hasOption = [...select.options].some((o) => o.value === detected);
  if (hasOption && !select.closest("form")?.querySelector('[aria-invalid="true"]')) {
    if (select.dataset.touched !== "1" && select.value === "Europe/London") select.value = detected;
  }
  select.addEventListener("change", () => { select.dataset.touched = "1"; });
}

// Suggest the country of the phone's time zone (sign-up), unless the person already chose one:
// a fixed default would show a Spanish client the UK's crisis lines.
const zoneCountries = document.getElementById("zone-countries");
if (zoneCountries) {
  const country = JSON.parse(zoneCountries.textContent)[detected];
  for (const select of document.querySelectorAll("select[data-detect-country]")) {
    const hasOption = [...select.options].some((o) => o.value === country);
    if (hasOption && !select.closest("form")?.querySelector('[aria-invalid="true"]')) {
      if (select.dataset.touched !== "1" && select.value === "GB") select.value = country;
    }
    select.addEventListener("change", () => { select.dataset.touched = "1"; });
  }
}

// Move focus to an error summary or notice that asks for attention.
document.querySelector("[data-autofocus]")?.focus();

// Copy buttons (invite links).
for (const button of document.querySelectorAll("[data-copy]")) {
  button.addEventListener("click", async () => {
    try {
      await navigator.clipboard.writeText(button.dataset.copy);
      button.textContent = t("Copied");
    } catch {
      button.textContent = t("Select the link to copy it");
    }
  });
}

// Ask before irreversible actions.
for (const form of document.querySelectorAll("form[data-confirm]")) {
  form.addEventListener("submit", (event) => {
    if (!confirm(form.dataset.confirm)) event.preventDefault();
  });
}

// Logging out clears what this phone kept offline (writes waiting to be sent, cached data).
for (const form of document.querySelectorAll('form[action="/logout"]')) {
  form.addEventListener("submit", () => {
    navigator.serviceWorker?.controller?.postMessage({ type: "logout" });
    try { indexedDB.databases?.().then((dbs) => dbs.forEach((db) => indexedDB.deleteDatabase(db.name))); } catch {}
  });
}
