"""Default configuration; every key can be overridden by a `PORTAL_<KEY>` environment variable."""

from __future__ import annotations

from pathlib import Path


class Config:
    """Embedded defaults: SQLite in instance/, in-process caches and limits, Chinese first."""

    SECRET_KEY = "dev-only-change-me"  # noqa: S105 - production must set PORTAL_SECRET_KEY (checked at start-up)
    PRODUCTION = False  # PORTAL_PRODUCTION=true: `Production` below is enforced and a development key refused
    SQLALCHEMY_DATABASE_URI: str | None = None  # set from DATABASE_URL or instance/portal.sqlite3
    SQLALCHEMY_ENGINE_OPTIONS = {"pool_pre_ping": True}
    DATABASE_URL: str | None = None

    # Where workers share cached search pages: "memory://" (each worker its own) or "redis://host:6379/0". Rate
    # limits (sign-in, complaints) live in the database, shared by every worker whatever this says.
    CACHE_URL = "memory://"
    CACHE_KEY_PREFIX = "portal:"
    # Seconds a worker reuses the revision counters it read for the response cache's keys (0: read every request).
    RESPONSE_CACHE_REVISION_INTERVAL = 1.0  # Redis keys of the cache start with this

    # Per-client limits (Flask-Limiter syntax), counted in the shared store (portal.web.limits).
    SEARCH_RATE_LIMIT = "120/minute"  # the search page
    API_RATE_LIMIT = "300/minute"  # every /api/v1 answer, cached or not
    DOWNLOAD_RATE_LIMIT = "30/minute"  # consolidated exports and port-area PDFs

    # Exports are built by a background worker (portal.publishing.export_queue): "rq" (Redis: EXPORT_QUEUE_URL or
    # CACHE_URL; run `flask export-worker`), "thread" (in this process: the embedded default), or "manual".
    EXPORT_QUEUE = ""  # empty: rq when a Redis is configured, else thread
    EXPORT_QUEUE_URL = ""
    EXPORT_PAST_SETS = 3  # past edition sets built after a publication; older ones when first asked for
    EXPORT_RETRY_AFTER = 20  # seconds a client asking for an export being built is told to wait

    OPEN_DATA_LICENCE = "CC-BY-4.0"  # what the open-data page and datapackage.json say reuse is allowed under
    OPEN_DATA_LICENCE_URL = "https://creativecommons.org/licenses/by/4.0/"

    BABEL_DEFAULT_LOCALE = "zh_Hans_CN"
    TIMEZONE = "Asia/Shanghai"  # the zone whose calendar decides "today" (portal.clock); PORTAL_TIMEZONE to change
    BABEL_DEFAULT_TIMEZONE = "Asia/Shanghai"
    LANGUAGES = ("zh_Hans_CN", "en")

    MAX_CONTENT_LENGTH = 6 * 1024 * 1024  # request cap; the workbook guard has its own, smaller limits
    UPLOAD_MAX_BYTES = 5 * 1024 * 1024
    UPLOAD_MAX_UNCOMPRESSED = 50 * 1024 * 1024
    UPLOAD_MAX_ROWS = 20_000

    WTF_CSRF_TIME_LIMIT = None  # tokens live as long as the session; a long form must not expire mid-edit
    SESSION_COOKIE_HTTPONLY = True
    SESSION_COOKIE_SAMESITE = "Lax"
    SESSION_COOKIE_SECURE = False  # True in production (PORTAL_SESSION_COOKIE_SECURE=true) behind HTTPS
    REMEMBER_COOKIE_HTTPONLY = True

    FEELISTS_DIR: Path | None = None  # set from ROOT in create_app
    DEMO_DIR: Path | None = None
    EXPORTS_DIR: Path | None = None
    PDF_FONT_PATH = "/usr/share/fonts/truetype/wqy/wqy-microhei.ttc"
    PUBLIC_BASE_URL = "http://127.0.0.1:5000"  # absolute links (feed, posting sheets, mail) start with this
    TRUSTED_HOSTS: list[str] | None = None  # e.g. PORTAL_TRUSTED_HOSTS='["fees.example.cn"]': other Hosts get 400
    TRUSTED_PROXIES = 0  # reverse proxies in front of the portal (ProxyFix hops); 0 = clients connect directly
    GOVERNMENT_HOTLINE = "12345"


class Production:
    """What PORTAL_PRODUCTION=true enforces over any other setting: cookies sent over HTTPS only, never readable by
    scripts, not sent with cross-site posts; links built as https."""

    SESSION_COOKIE_SECURE = True
    SESSION_COOKIE_HTTPONLY = True
    SESSION_COOKIE_SAMESITE = "Lax"
    REMEMBER_COOKIE_SECURE = True
    REMEMBER_COOKIE_HTTPONLY = True
    REMEMBER_COOKIE_SAMESITE = "Lax"
    PREFERRED_URL_SCHEME = "https"
