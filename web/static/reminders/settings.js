// Reminder settings: register this browser for Web Push (PushManager + the server's VAPID key),
// mark "this device" in the list, and unsubscribe locally when this device is removed.
import { api } from "/static/js/http.js";
import { t } from "/static/js/i18n.js";

const setup = document.getElementById("push-setup");
const button = document.getElementById("push-enable");
const statusLine = document.getElementById("push-status");
const nameInput = document.getElementById("device-name");

const say = (text) => { if (statusLine) statusLine.textContent = text; };

function keyBytes(base64url) {
  const padded = (base64url + "=".repeat((4 - (base64url.length % 4)) % 4)).replace(/-/g, "+").replace(/_/g, "/");
  return Uint8Array.from(atob(padded), (c) => c.charCodeAt(0));
}

function guessName() {
  const ua = navigator.userAgent;
  if (/iPhone/.test(ua)) return "iPhone";
  if (/iPad/.test(ua)) return "iPad";
  if (/Android/.test(ua)) return /Mobile/.test(ua) ? t("Android phone") : t("Android tablet");
  const browser = /Edg\//.test(ua) ? "Edge" : /Firefox\//.test(ua) ? "Firefox" : /Chrome\//.test(ua) ? "Chrome" : /Safari\//.test(ua) ? "Safari" : t("Browser");
  const system = /Windows/.test(ua) ? "Windows" : /Mac OS X/.test(ua) ? "Mac" : /Linux/.test(ua) ? "Linux" : t("computer");
  return t("%(browser)s on %(system)s", { browser, system });
}

async function currentSubscription() {
  const registration = await navigator.serviceWorker.ready;
  return registration.pushManager.getSubscription();
}

function markThisDevice(endpoint) {
  for (const item of document.querySelectorAll(".device[data-endpoint]")) {
    const mine = item.dataset.endpoint === endpoint;
    item.querySelector(".this-device").hidden = !mine;
    if (mine) item.dataset.thisDevice = "1";
  }
}

async function enable() {
  button.disabled = true;
  say(t("Asking for permission…"));
  try {
    const permission = await Notification.requestPermission();
    if (permission !== "granted") {
      say(t("Notifications are blocked for Groundwork. You can allow them in this browser's site settings, then try again."));
      return;
    }
    const registration = await navigator.serviceWorker.ready;
    const subscription = (await registration.pushManager.getSubscription()) ||
      (await registration.pushManager.subscribe({ userVisibleOnly: true, applicationServerKey: keyBytes(setup.dataset.vapidKey) }));
    const json = subscription.toJSON();
    await api("/api/v1/reminders/devices", {
      method: "POST",
      body: { endpoint: json.endpoint, keys: json.keys, device_name: (nameInput.value || guessName()).slice(0, 80) },
    });
    location.assign("/reminders/settings?saved=settings");
  } catch (error) {
    say(t("Notifications could not be turned on here (%(error)s). On iPhone, add Groundwork to the Home Screen first.", { error: error.message || error }));
  } finally {
    button.disabled = false;
  }
}

async function init() {
  if (!setup) return;
  nameInput.value = guessName();
  if (!("serviceWorker" in navigator) || !("PushManager" in window) || !("Notification" in window)) {
    say(t("This browser can't show notifications from Groundwork. On iPhone or iPad, add Groundwork to your Home Screen and open it from there."));
    return;
  }
  const subscription = await currentSubscription().catch(() => null);
  if (subscription) markThisDevice(subscription.endpoint);
  const registered = subscription && document.querySelector(`.device[data-this-device="1"]`);
  say(registered ? t("This device gets notifications.") : t("This device doesn't get notifications yet."));
  button.disabled = false;
  button.textContent = registered ? t("Renew notifications on this device") : t("Turn on notifications on this device");
  button.addEventListener("click", enable);
}

// Removing this very device: also stop the browser's subscription, so nothing lingers.
for (const form of document.querySelectorAll("form[data-remove-device]")) {
  form.addEventListener("submit", () => {
    if (form.closest(".device")?.dataset.thisDevice === "1") {
      currentSubscription().then((s) => s?.unsubscribe()).catch(() => {});
    }
  });
}

init();
