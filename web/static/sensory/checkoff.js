// Today's sensory-diet check-off, offline-safe. Online, the form posts as usual (no JS needed).
// Offline, the check-off waits in IndexedDB with its client-made id and is sent to the API when the
// phone is back online, with the moment of the tap (so it counts for that day, even after
// midnight) and honouring Retry-After (web/static/js/outbox.js); the server stores a replayed id
// once, so a double send is harmless.
import { t } from "/static/js/i18n.js";
import { postJson, queueStore, replay, tapStamp } from "/static/js/outbox.js";

// Kept under the same database and store names as before, so taps already waiting are still sent.
const withStore = queueStore("gw-sensory", "checkoffs");

const queue = (record) => withStore("readwrite", (store) => store.put(record));
const pending = () => withStore("readonly", (store) => store.getAll());
const forget = (id) => withStore("readwrite", (store) => store.delete(id));

async function flush() {
  if (!navigator.onLine) return;
  const { settled } = await replay("sensory", {
    pending: async () => (await pending()).sort((a, b) => (a.tapped_at || "").localeCompare(b.tapped_at || "")),
    send: (record) => postJson(`/api/v1/sensory/diet/${record.item}/checkoffs`, {
      id: record.id, felt_after: record.felt_after, felt_before: record.felt_before,
      ...(record.tapped_at ? { tapped_at: record.tapped_at } : { on: record.on }),
    }),
    forget: (record) => forget(record.id),
  });
  if (settled && location.pathname === "/today") location.reload();
}

for (const form of document.querySelectorAll("form[data-sensory-checkoff]")) {
  form.addEventListener("submit", async (event) => {
    if (navigator.onLine) return;
    event.preventDefault();
    const data = new FormData(form);
    await queue({
      id: data.get("id"),
      item: form.dataset.item,
      on: form.dataset.day, // the page's day: only for a record queued before tapped_at existed
      tapped_at: tapStamp(),
      felt_after: event.submitter?.value || "just_right",
      felt_before: data.get("felt_before") || null,
    });
    const note = document.createElement("p");
    note.className = "done-line";
    note.setAttribute("role", "status");
    note.textContent = t("Saved on this phone. It will be sent when you're back online.");
    form.replaceWith(note);
  });
}

addEventListener("online", flush);
flush().catch(() => {});
