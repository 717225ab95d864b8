// Calm (coping): keep the flow's code and the client's own calm pages usable with no network.
// The flow's data lives in IndexedDB (web/static/coping/store.js); API responses are never cached.

const CALM_STATIC = [
  "/static/coping/flow.js", "/static/coping/player.js", "/static/coping/dom.js",
  "/static/coping/pacer.js", "/static/coping/timer.js", "/static/coping/steps.js",
  "/static/coping/counter.js", "/static/coping/ranking.js", "/static/coping/store.js",
  "/static/coping/calm.css",
  // store.js imports the shared replay queue: without it the calm flow would not start offline.
  "/static/js/outbox.js",
];
// Personal pages: kept after each online visit (logout clears every cache), never pre-fetched.
const CALM_PAGES = ["/calm/toolbox", "/calm/safety-plan", "/calm/wellness-plan", "/calm/history"];

self.addEventListener("install", (event) => {
  event.waitUntil(caches.open(CACHE_VERSION).then((cache) => cache.addAll(CALM_STATIC)));
});

async function calmNetworkFirst(request, key, fallback) {
  try {
    const response = await fetch(request);
    if (response.ok && !response.redirected) {
      const cache = await caches.open(CACHE_VERSION);
      await cache.put(key, response.clone());
    }
    return response;
  } catch {
    return (await caches.match(key)) || (fallback && (await caches.match(fallback)))
      || (await caches.match("/offline")) || new Response("Offline", { status: 503 });
  }
}

// Static code: network first so a release is picked up at once; the cached copy when offline.
addRoute(
  (url) => url.pathname.startsWith("/static/coping/"),
  (event) => calmNetworkFirst(event.request, new URL(event.request.url).pathname),
);
addRoute(
  (url, request) => request.mode === "navigate" && CALM_PAGES.includes(url.pathname) && !url.search,
  (event) => calmNetworkFirst(event.request, new URL(event.request.url).pathname, "/calm"),
);
