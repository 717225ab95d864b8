// While the PDF is being made, ask for this page again every 2 s and reload it once the report
// is ready or has failed. Not <meta http-equiv="refresh">: a timed reload moves the page under
// a screen reader with no way to pause it (WCAG 2.2.1). Without scripts, "Check now" does it.
const box = document.querySelector('[data-report-state="working"]');

async function check() {
  try {
    const response = await fetch(window.location.href, { credentials: "same-origin", cache: "no-store" });
    const text = response.ok ? await response.text() : "";
    if (text && !text.includes('data-report-state="working"')) {
      window.location.reload();
      return;
    }
  } catch {
    // Offline or the server restarting: keep asking, a little less often.
  }
  window.setTimeout(check, 2000);
}

if (box) {
  window.setTimeout(check, 2000);
}
