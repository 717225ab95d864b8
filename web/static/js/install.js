// A quiet suggestion to add Groundwork to the home screen, from the second visit on: it then opens
// like an app, with Today and calm available without signal. Chromium offers its own install
// dialog (beforeinstallprompt); an iPhone has none, so it gets the two steps in words. "No thanks"
// is for good (this phone remembers it), and nothing shows once the app runs installed.

const hint = document.querySelector("[data-install-hint]");
const VISITS = "gw-visits";
const DISMISSED = "gw-install-dismissed";

const standalone = () =>
  matchMedia("(display-mode: standalone)").matches || navigator.standalone === true;
const iPhone = () => /iPhone|iPad|iPod/.test(navigator.userAgent) && !/CriOS|FxiOS/.test(navigator.userAgent);

function visits() {
  try {
    // One visit per opening of the app (a tab's session), not per page.
    if (!sessionStorage.getItem(VISITS)) {
      sessionStorage.setItem(VISITS, "1");
      localStorage.setItem(VISITS, String(Number(localStorage.getItem(VISITS) || 0) + 1));
    }
    return Number(localStorage.getItem(VISITS) || 0);
  } catch {
    return 0; // storage blocked: never nag
  }
}

function wanted() {
  try {
    return hint && !standalone() && localStorage.getItem(DISMISSED) !== "1" && visits() >= 2;
  } catch {
    return false;
  }
}

function show(kind) {
  for (const part of hint.querySelectorAll("[data-install-kind]")) {
    part.hidden = part.dataset.installKind !== kind;
  }
  hint.hidden = false;
}

if (hint) {
  const ok = wanted();
  let deferred = null;
  addEventListener("beforeinstallprompt", (event) => {
    event.preventDefault(); // the browser's own mini-bar would interrupt; ours waits below Today
    deferred = event;
    if (ok) show("prompt");
  });
  if (ok && iPhone()) show("ios");
  hint.querySelector("[data-install-add]")?.addEventListener("click", async () => {
    if (!deferred) return;
    deferred.prompt();
    await deferred.userChoice.catch(() => null);
    deferred = null;
    hint.hidden = true;
  });
  hint.querySelector("[data-install-dismiss]")?.addEventListener("click", () => {
    try { localStorage.setItem(DISMISSED, "1"); } catch {}
    hint.hidden = true;
  });
  addEventListener("appinstalled", () => { hint.hidden = true; });
}
