"""Per-client limits on search, downloads and the API, counted in Redis (a db and prefix of this suite's own):
over the limit a client gets 429 with Retry-After, cached answers included; another client is not affected."""

from __future__ import annotations

import secrets

import pytest
import redis

from portal import create_app
from portal.extensions import db as _db
from portal.operators.port_areas import ensure_port_areas

REDIS = "redis://127.0.0.1:6379/4"  # the public helper's db (PROTOCOL.md)


@pytest.fixture
def limited(tmp_path):
    try:
        redis.Redis.from_url(REDIS, socket_connect_timeout=0.5).ping()
    except redis.RedisError:
        pytest.skip("Redis does not answer on 127.0.0.1:6379")
    prefix = f"test-limits-{secrets.token_hex(6)}"
    app = create_app(
        {
            "TESTING": True,
            "SQLALCHEMY_DATABASE_URI": "sqlite://",
            "EXPORTS_DIR": tmp_path,
            "CACHE_URL": REDIS,
            "CACHE_KEY_PREFIX": prefix + ":",
            "RATELIMIT_STORAGE_URI": REDIS,
            "RATELIMIT_KEY_PREFIX": prefix,
            "SEARCH_RATE_LIMIT": "3/minute",
            "API_RATE_LIMIT": "3/minute",
            "DOWNLOAD_RATE_LIMIT": "2/minute",
        }
    )
    with app.app_context():
        _db.create_all()
        ensure_port_areas()
        _db.session.commit()
        yield app
        _db.session.remove()
        _db.drop_all()
    client = redis.Redis.from_url(REDIS)
    for key in client.scan_iter(f"*{prefix}*"):
        client.delete(key)


@pytest.mark.parametrize(("path", "allowed"), [("/fees?q=THC", 3), ("/api/v1/fees?q=THC", 3)])
def test_a_client_over_its_limit_gets_429_with_retry_after(limited, path: str, allowed: int) -> None:
    client = limited.test_client()
    statuses = [client.get(path, environ_base={"REMOTE_ADDR": "203.0.113.7"}).status_code for _ in range(allowed)]
    assert statuses == [200] * allowed
    refused = client.get(path, environ_base={"REMOTE_ADDR": "203.0.113.7"})
    assert refused.status_code == 429
    assert int(refused.headers["Retry-After"]) > 0
    other = client.get(path, environ_base={"REMOTE_ADDR": "203.0.113.8"})
    assert other.status_code == 200


def test_downloads_are_limited_per_client(limited) -> None:
    client = limited.test_client()
    seen = []
    for _ in range(3):
        response = client.get("/downloads/catalogue.csv", environ_base={"REMOTE_ADDR": "203.0.113.9"})
        response.close()
        seen.append(response)
    assert [r.status_code == 429 for r in seen] == [False, False, True]
    assert int(seen[-1].headers["Retry-After"]) > 0
