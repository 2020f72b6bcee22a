#!/usr/bin/env bash
# Run a command (the test suite) with PORTAL_TEST_DATABASE_URL pointing at a PostgreSQL that answers.
#   - empty PORTAL_TEST_DATABASE_URL: SQLite only, the command runs as it is;
#   - the server in the URL answers: the command runs against it (the suite creates its database if missing);
#   - it does not answer: a throwaway cluster (trust, fsync off) is started on the first free port from 127.0.0.1:55432 in a temporary folder,
#     the command runs against it, and the cluster is stopped and removed afterwards. Needs PostgreSQL's server
#     binaries (initdb): installed with apt when this machine allows it, otherwise ONE line saying what to do, exit 1.
# Used by `make test`; the suite itself never skips a configured backend.
set -uo pipefail

url="${PORTAL_TEST_DATABASE_URL:-}"
py="${VENV:-.venv}/bin/python"
if [ -z "$url" ]; then
  exec "$@"
fi

answers() {  # the URL's server accepts a connection (to its maintenance database) within 3 seconds
  "$py" - "$1" <<'PY' >/dev/null 2>&1
import sys

import psycopg
from sqlalchemy.engine import make_url

u = make_url(sys.argv[1])
psycopg.connect(host=u.host or "127.0.0.1", port=u.port or 5432, user=u.username or "postgres",
                password=u.password, dbname="postgres", connect_timeout=3).close()
PY
}

if answers "$url"; then
  exec "$@"
fi

pg_lib="${POSTGRESQL_LIB:-/usr/lib/postgresql}"  # where Debian puts each major version's server binaries
initdb_bin() { ls -d "$pg_lib"/*/bin/initdb 2>/dev/null | sort -V | tail -n 1; command -v initdb 2>/dev/null; }
bin=$(initdb_bin | head -n 1)
if [ -z "$bin" ]; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
    echo "make test: no PostgreSQL answers at $url; installing postgresql with apt-get for a throwaway cluster" >&2
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >/dev/null 2>&1 \
      || { apt-get update -qq >/dev/null 2>&1 && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >/dev/null; }
    bin=$(initdb_bin | head -n 1)
  fi
  if [ -z "$bin" ]; then
    echo "make test: no PostgreSQL answers at $url and initdb is not installed: start a server there, or install postgresql (sudo apt-get install -y postgresql) for a throwaway one, or run SQLite only with: make test PORTAL_TEST_DATABASE_URL=" >&2
    exit 1
  fi
fi
bin=$(dirname "$bin")

tmp=$(mktemp -d)
# The first free port from 55432: a cluster another run left behind (or anything else) must not make this one fail.
port=$("$py" - <<'PY'
import socket

for port in range(55432, 55532):
    with socket.socket() as s:
        try:
            s.bind(("127.0.0.1", port))
        except OSError:
            continue
        print(port)
        break
PY
)
as_pg=()
if [ "$(id -u)" = 0 ]; then  # initdb refuses root: the cluster belongs to the postgres user
  chown postgres:postgres "$tmp"
  as_pg=(runuser -u postgres --)
fi
stop() {
  "${as_pg[@]}" "$bin/pg_ctl" -D "$tmp/data" -m fast -w stop >/dev/null 2>&1
  rm -rf "$tmp"
}
trap stop EXIT
"${as_pg[@]}" "$bin/initdb" -D "$tmp/data" -A trust -U postgres -E UTF8 --locale=C.UTF-8 >/dev/null \
  && "${as_pg[@]}" "$bin/pg_ctl" -D "$tmp/data" -l "$tmp/log" -w \
    -o "-p $port -k $tmp -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off" \
    start >/dev/null \
  || {
    why=$(grep -E "FATAL|ERROR|could not" "$tmp/log" 2>/dev/null | head -n 1)
    echo "make test: could not start a throwaway PostgreSQL on port ${port:-none free} (${why:-$(tail -n 1 "$tmp/log" 2>/dev/null)}): start one at $url, or run SQLite only with: make test PORTAL_TEST_DATABASE_URL=" >&2
    exit 1
  }

database=$("$py" -c 'import sys; from sqlalchemy.engine import make_url; print(make_url(sys.argv[1]).database or "portal_test")' "$url")
export PORTAL_TEST_DATABASE_URL="postgresql+psycopg://postgres@127.0.0.1:$port/$database"
echo "make test: no PostgreSQL answered at $url; using a throwaway cluster at $PORTAL_TEST_DATABASE_URL" >&2
"$@"
