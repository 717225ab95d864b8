// Groundwork service worker (base). CACHE_VERSION and PRECACHE are prepended by the server.
// Domains append their parts (web/sw/<domain>.js) and may register routes with addRoute().

const gwRoutes = [];
/** Register a handler: match(url, request) -> bool; handle(event) -> Promise<Response>. */
function addRoute(match, handle) { gwRoutes.push({ match, handle }); }

self.addEventListener("install", (event) => {
  event.waitUntil(
    caches.open(CACHE_VERSION)
      .then((cache) => cache.addAll(PRECACHE.map((url) => new Request(url, { credentials: "same-origin" }))))
      .then(() => self.skipWaiting()),
  );
});

self.addEventListener("activate", (event) => {
  event.waitUntil(
    caches.keys()
      .then((keys) => Promise.all(keys.filter((k) => k.startsWith("gw-") && k !== CACHE_VERSION).map((k) => caches.delete(k))))
      .then(() => self.clients.claim()),
  );
});

self.addEventListener("message", (event) => {
  if (event.data?.type === "logout") {
    event.waitUntil(caches.keys().then((keys) => Promise.all(keys.map((k) => caches.delete(k)))));
  }
  if (event.data?.type === "crisis-country") {
    event.waitUntil(refreshCrisis(String(event.data.country || "")).catch(() => {}));
  }
});

// The offline /crisis is the person's own country. The page answers with X-Crisis-Country; when
// the cached copy is for another country (cached before login, country changed in settings),
// fetch it again. Nothing to do offline: the next page load online asks again.
async function refreshCrisis(country) {
  const cache = await caches.open(CACHE_VERSION);
  const cached = await cache.match("/crisis");
  if (cached && (cached.headers.get("X-Crisis-Country") || "") === country) return;
  const response = await fetch("/crisis", { credentials: "same-origin" });
  if (response.ok && (response.headers.get("X-Crisis-Country") || "") === country) {
    await cache.put("/crisis", response);
  }
}

// Public pages whose ?query variants may be kept too, each under its own URL: /crisis?country=US
// is another country's page and must never replace the person's own /crisis copy.
const KEEP_VARIANTS = ["/crisis"];

async function networkFirstPage(request) {
  const url = new URL(request.url);
  const key = url.pathname + url.search;
  try {
    const response = await fetch(request);
    // Only pages meant to work offline are kept (others may hold health data).
    if (response.ok && (PRECACHE.includes(key) || (url.search && KEEP_VARIANTS.includes(url.pathname)))) {
      const cache = await caches.open(CACHE_VERSION);
      await cache.put(key, response.clone());
    }
    return response;
  } catch {
    const cached = (await caches.match(key)) || (await caches.match(url.pathname));
    return cached || (await caches.match("/offline")) || new Response("Offline", { status: 503 });
  }
}

async function cacheFirst(request) {
  const cached = await caches.match(request);
  if (cached) return cached;
  const response = await fetch(request);
  if (response.ok) (await caches.open(CACHE_VERSION)).put(request, response.clone());
  return response;
}

self.addEventListener("fetch", (event) => {
  const request = event.request;
  if (request.method !== "GET") return;
  const url = new URL(request.url);
  if (url.origin !== self.location.origin) return;
  for (const route of gwRoutes) {
    if (route.match(url, request)) { event.respondWith(route.handle(event)); return; }
  }
  if (url.pathname.startsWith("/api/")) return; // health data: network only, never cached
  if (url.pathname.startsWith("/static/")) { event.respondWith(cacheFirst(request)); return; }
  if (request.mode === "navigate") event.respondWith(networkFirstPage(request));
});

// A personal page the client uses daily (the routine player, the mood log): network first, and
// each copy fetched online is kept on the phone under `key` (logout clears every cache). Offline
// the copy answers, its `data-served="network"` mark turned to "phone" so the page's script knows
// it may be out of date; with no copy, the offline page.
async function keptPage(request, key) {
  try {
    const response = await fetch(request);
    const html = (response.headers.get("Content-Type") || "").startsWith("text/html");
    // A login page after an expired session is not the page: only the page itself is kept.
    if (response.ok && !response.redirected && html) {
      await (await caches.open(CACHE_VERSION)).put(key, response.clone());
    }
    return response;
  } catch {
    const cached = await caches.match(key);
    if (cached) {
      const body = (await cached.text()).replace('data-served="network"', 'data-served="phone"');
      return new Response(body, { status: 200, headers: { "Content-Type": "text/html; charset=utf-8" } });
    }
    return (await caches.match("/offline")) || new Response("Offline", { status: 503 });
  }
}
