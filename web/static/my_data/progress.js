// My data: while the download is being built, ask for its progress every 2 seconds and show it;
// when it is ready, reload so the page shows the link (and its expiry) from the server.
import { api } from "/static/js/http.js";
import { t } from "/static/js/i18n.js";

const box = document.getElementById("export");
const bar = document.getElementById("export-progress");
const step = document.getElementById("export-step");

async function poll() {
  try {
    const state = await api(box.dataset.url);
    if (bar) bar.value = state.percent;
    if (step) {
      // The step comes from the server in English; the sentence around it is translated.
      step.textContent = t("Getting your file ready: %(step)s (%(percent)s). You can leave this page and come back.", {
        step: state.step || t("waiting to start"),
        percent: `${state.percent}%`,
      });
    }
    if (state.status === "queued" || state.status === "building") {
      setTimeout(poll, 2000);
    } else {
      window.location.reload();
    }
  } catch {
    setTimeout(poll, 5000);
  }
}

if (box && box.dataset.url && ["queued", "building"].includes(box.dataset.status)) {
  setTimeout(poll, 1000);
}
