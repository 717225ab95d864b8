"""Pages the service worker pre-caches so the calm flow opens with no network (both work logged out)."""

OFFLINE_URLS: list[str] = ["/calm", "/calm-now"]
