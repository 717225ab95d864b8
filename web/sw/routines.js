// Routines: the step-by-step player opens with no signal. Each player page fetched online is kept
// on the phone (one copy per routine, whichever step it showed: the page's script picks the step
// from its own data and the answers waiting on the phone, web/static/routines/player.js).
const PLAYER_PATH = /^\/routines\/[0-9a-f-]{36}\/play$/;

addRoute(
  (url, request) => request.mode === "navigate" && PLAYER_PATH.test(url.pathname),
  (event) => keptPage(event.request, new URL(event.request.url).pathname),
);
