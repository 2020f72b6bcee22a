"""Per-client limits on search, downloads and the API, counted in Redis (a db and prefix of this suite's own):
over the limit a client gets 429 with Retry-After and another client is not affected; what is counted is the
requests the response cache cannot answer (a cached answer costs about what /healthz costs and is not counted)."""

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


WORDS = ("THC", "DOC", "文件费", "港务", "报关")


@pytest.mark.parametrize(("path", "allowed"), [("/fees", 3), ("/api/v1/fees", 3)])
def test_a_client_over_its_limit_gets_429_with_retry_after(limited, path: str, allowed: int) -> None:
    client = limited.test_client()
    me = {"REMOTE_ADDR": "203.0.113.7"}
    answers = [client.get(path, query_string={"q": word}, environ_base=me) for word in WORDS[:allowed]]
    assert [(a.status_code, a.headers["X-Cache"]) for a in answers] == [(200, "miss")] * allowed
    refused = client.get(path, query_string={"q": WORDS[allowed]}, environ_base=me)
    assert refused.status_code == 429
    assert int(refused.headers["Retry-After"]) > 0
    other = client.get(path, query_string={"q": WORDS[allowed]}, environ_base={"REMOTE_ADDR": "203.0.113.8"})
    assert other.status_code == 200


@pytest.mark.parametrize("path", ["/fees", "/api/v1/fees"])
def test_a_cached_answer_is_not_counted_by_the_limiter(limited, path: str) -> None:
    client = limited.test_client()
    me = {"REMOTE_ADDR": "203.0.113.10"}
    first = client.get(path, query_string={"q": "THC"}, environ_base=me)
    again = [client.get(path, query_string={"q": "THC"}, environ_base=me) for _ in range(6)]
    assert first.headers["X-Cache"] == "miss"
    assert [(a.status_code, a.headers["X-Cache"]) for a in again] == [(200, "hit")] * 6
    assert not any("X-RateLimit-Remaining" in a.headers for a in again)
    # Six hits over a limit of 3 took nothing from it: two more misses are allowed, the third is refused.
    more = [client.get(path, query_string={"q": word}, environ_base=me).status_code for word in WORDS[1:4]]
    assert more == [200, 200, 429]
    # Still answered from the cache once the client is over its limit: a hit costs no more than the refusal would.
    assert client.get(path, query_string={"q": "THC"}, environ_base=me).status_code == 200


def test_downloads_are_limited_per_client(limited) -> None:
    client = limited.test_client()
    seen = []
    for _ in range(3):
        response = client.get("/downloads/catalogue.csv", environ_base={"REMOTE_ADDR": "203.0.113.9"})
        response.close()
        seen.append(response)
    assert [r.status_code == 429 for r in seen] == [False, False, True]
    assert int(seen[-1].headers["Retry-After"]) > 0
