// Self-care: the mood log opens with no signal (its form keeps an entry on the phone until the
// connection is back: web/static/self_care/mood.js). Today's habits come with Today (home.js).
addRoute(
  (url, request) => request.mode === "navigate" && url.pathname === "/self-care/mood",
  (event) => keptPage(event.request, "/self-care/mood"),
);
