// One-tap diary blocks on Today that survive a dropped connection: offline, the tap waits in
// IndexedDB with its client-made id (and the day and part of the day it is about) and is sent to
// the API when the network is back, through the shared replay (web/static/js/outbox.js: oldest
// first, Retry-After honoured, one round across tabs). Replaying the same id is harmless (the
// server returns the stored row), so a retry never doubles a block.
import { t } from "/static/js/i18n.js";
import { postJson, queueStore, replay } from "/static/js/outbox.js";

// Kept under the same database and store names as before, so taps already waiting are still sent.
const withStore = queueStore("groundwork-occupation");

function bodyOf(form) {
  const data = new FormData(form);
  return {
    id: data.get("id"), done_on: data.get("done_on"), block: data.get("block"),
    category: data.get("category"),
  };
}

function show(form, text) {
  const block = form.closest("[data-diary-block]");
  const status = block?.querySelector("[data-offline-status]");
  if (status) {
    status.textContent = text;
    status.hidden = false;
  }
  const group = block?.querySelector(".oc-tap");
  if (group) group.hidden = true;
}

async function drain() {
  if (!navigator.onLine) return;
  const { settled } = await replay("occupation", {
    pending: async () => ((await withStore("readonly", (store) => store.getAll())) || [])
      .sort((a, b) => (a.queued_at || 0) - (b.queued_at || 0)),
    send: (item) => postJson("/api/v1/occupation/diary", item.body),
    forget: (item) => withStore("readwrite", (store) => store.delete(item.id)),
  });
  // Today then shows what the server now holds.
  if (settled && location.pathname === "/today") location.reload();
}

document.addEventListener("submit", (event) => {
  const form = event.target.closest("form[data-offline-diary]");
  if (!form || navigator.onLine) return;
  event.preventDefault();
  const body = bodyOf(form);
  const label = event.submitter?.textContent?.trim() || t("Saved");
  withStore("readwrite", (store) => store.put({ id: body.id, body, queued_at: Date.now() }))
    .then(() => show(form, t("✓ %(label)s. Saved on this phone; it will be sent when you're back online.", { label })))
    .catch(() => show(form, t("This phone could not keep it. Please try again when you're online.")));
});

addEventListener("online", () => { drain().catch(() => {}); });
drain().catch(() => {});
