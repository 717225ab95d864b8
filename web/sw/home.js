// Home: the client's Today opens with no signal. Each Today fetched online is kept on the phone
// (logout clears every cache); offline, Today and the app's start page ("/") answer with that copy,
// marked as shown from the phone so the page says when it was fetched. With no copy yet the
// offline page offers calm, the safety plan and the crisis lines, which are pre-cached.

const TODAY_KEY = "/today";
const START_PATHS = ["/", "/today"];

async function todayNetworkFirst(event) {
  const request = event.request;
  const url = new URL(request.url);
  try {
    const response = await fetch(request);
    const html = (response.headers.get("Content-Type") || "").startsWith("text/html");
    // A login page after an expired session is not Today: only Today itself is kept.
    if (url.pathname === TODAY_KEY && response.ok && !response.redirected && html) {
      const cache = await caches.open(CACHE_VERSION);
      await cache.put(TODAY_KEY, response.clone());
    }
    return response;
  } catch {
    const cached = await caches.match(TODAY_KEY);
    // The start page goes on to Today, so the page's own scripts see the path they expect.
    if (cached && url.pathname !== TODAY_KEY) return Response.redirect(TODAY_KEY, 302);
    if (cached) {
      // The page reads this mark to say "shown from this phone, last updated at …".
      const body = (await cached.text()).replace('data-served="network"', 'data-served="phone"');
      return new Response(body, { status: 200, headers: { "Content-Type": "text/html; charset=utf-8" } });
    }
    return (await caches.match("/offline")) || new Response("Offline", { status: 503 });
  }
}

addRoute(
  (url, request) => request.mode === "navigate" && START_PATHS.includes(url.pathname),
  todayNetworkFirst,
);

// Every page's icons (the "Need help now" lifebuoy, the tab bar) come from this sprite by its
// bare path: kept at install so an offline page is not missing them.
self.addEventListener("install", (event) => {
  event.waitUntil(caches.open(CACHE_VERSION).then((cache) => cache.add("/static/icons/sprite.svg")));
});
