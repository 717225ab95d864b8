# Groundwork: one image for the web app (migrations run at start, then the server).
# Debian bookworm slim; Pango and HarfBuzz are what WeasyPrint needs for the PDF exports.
FROM python:3.11-slim-bookworm

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1

RUN apt-get update \
    && apt-get install -y --no-install-recommends \
        libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fonts-dejavu-core \
    && rm -rf /var/lib/apt/lists/*

RUN groupadd --system --gid 10001 groundwork \
    && useradd --system --uid 10001 --gid groundwork --home-dir /srv/groundwork --shell /usr/sbin/nologin groundwork

WORKDIR /srv/groundwork
COPY . .
# Editable, so the app finds web/ (templates, static files) and its migrations beside it.
# The versions pinned in constraints.txt, the same ones CI tests.
RUN pip install -c constraints.txt -e . \
    && mkdir -p data \
    && chown -R groundwork:groundwork data

USER groundwork
ENV GW_ENVIRONMENT=production \
    GW_HOST=0.0.0.0 \
    GW_PORT=8000
EXPOSE 8000
VOLUME ["/srv/groundwork/data"]

HEALTHCHECK --interval=15s --timeout=5s --start-period=30s --retries=3 \
    CMD ["python", "-c", "import urllib.request; urllib.request.urlopen('http://127.0.0.1:8000/healthz', timeout=4)"]

# exec: the server replaces the shell, so `docker stop` SIGTERM reaches it and it shuts down cleanly.
CMD ["sh", "-c", "python -m app migrate && exec python -m app serve --host 0.0.0.0 --port 8000"]
