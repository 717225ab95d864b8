/* Reminders: show pushed reminders and answer their actions (concatenated into /sw.js).
 * The payload is JSON from app/reminders/dispatcher.py: {id, kind, title, body, url, token, tag,
 * actions}; `actions` holds the buttons' words in the client's language (no catalog here).
 * Actions post a per-reminder token (not the CSRF token: no page may be open when a
 * notification is tapped); a plain tap opens the exact item. */
(() => {
  const ACTION_URL = "/api/v1/reminders/actions";
  const INBOX_URL = "/reminders/inbox";

  function parse(event) {
    if (!event.data) return {};
    try {
      return event.data.json();
    } catch (_err) {
      return { title: "Groundwork", body: event.data.text() };
    }
  }

  function showReminder(data) {
    const options = {
      body: data.body || "",
      icon: "/static/icons/icon-192.png",
      badge: "/static/icons/icon-192.png",
      data: { id: data.id || null, url: data.url || INBOX_URL, token: data.token || null },
      // The same tag replaces an earlier notification for this reminder (retries, snoozes).
      tag: data.tag || undefined,
      renotify: Boolean(data.tag),
      // Buttons only with a token and their words; the third shows where the platform allows three.
      actions:
        data.token && data.actions
          ? ["done", "snooze", "snooze_1h"]
              .filter((action) => data.actions[action])
              .map((action) => ({ action, title: data.actions[action] }))
          : [],
    };
    return self.registration.showNotification(data.title || "Groundwork", options);
  }

  // Focus is only allowed while handling a real tap; elsewhere (tests) keep what we have.
  async function focus(client) {
    try {
      return await client.focus();
    } catch (_err) {
      return client;
    }
  }

  async function openOrFocus(url) {
    const target = new URL(url, self.location.origin).href;
    const windows = await self.clients.matchAll({ type: "window", includeUncontrolled: true });
    for (const client of windows) {
      if (client.url === target) return focus(client);
    }
    for (const client of windows) {
      if ("navigate" in client && new URL(client.url).origin === self.location.origin) {
        const navigated = await client.navigate(target);
        return focus(navigated || client);
      }
    }
    return self.clients.openWindow(target);
  }

  async function postAction(data, action) {
    const response = await fetch(ACTION_URL, {
      method: "POST",
      credentials: "same-origin",
      headers: { "Content-Type": "application/json", Accept: "application/json" },
      body: JSON.stringify({ token: data.token, action }),
    });
    if (!response.ok) return openOrFocus(data.url || INBOX_URL);
    const answer = await response.json();
    return answer.open ? openOrFocus(answer.open) : undefined;
  }

  async function handleClick(notification, action) {
    const data = notification.data || {};
    notification.close();
    const actions = { done: "done", snooze: "snooze_10m", snooze_1h: "snooze_1h" };
    if (actions[action] && data.token) {
      try {
        return await postAction(data, actions[action]);
      } catch (_err) {
        return openOrFocus(data.url || INBOX_URL); // offline: open the item instead
      }
    }
    return openOrFocus(data.url || INBOX_URL);
  }

  self.addEventListener("push", (event) => {
    event.waitUntil(showReminder(parse(event)));
  });

  self.addEventListener("notificationclick", (event) => {
    event.waitUntil(handleClick(event.notification, event.action));
  });

  // Exposed for the browser test, which cannot click a system notification.
  self.groundworkReminders = { handleClick, showReminder };
})();
