#!/usr/bin/env bash
# The system packages a make target needs, installed with apt when this machine allows it (root, or sudo without a
# password); otherwise ONE line on stderr naming what to install and how, exit 1. Called by make before anything else.
#   scripts/ensure-system.sh run    what `make run` needs: python3-venv (first set-up only), the CJK font for PDFs
#   scripts/ensure-system.sh fast   what `make test-fast` needs: that, poppler-utils (pdftotext reads the PDFs back)
#                                   and poppler-data (its CJK CMaps: without them a PDF in the built-in Chinese font
#                                   reads back as nothing)
#   scripts/ensure-system.sh test   what `make test` needs: that, Chromium (browser tests), wrk (benchmark smoke runs),
#                                   and postgresql when no server answers at PORTAL_TEST_DATABASE_URL (for a throwaway
#                                   cluster, scripts/with-test-postgres.sh)
# Each package is checked by what the portal uses of it (a command on PATH, the font file), not by dpkg, so a machine
# that has them from elsewhere passes. PORTAL_PDF_FONT_PATH is the font the portal embeds (portal/config.py);
# POPPLER_DATA_DIR is where poppler looks for its CMaps.
set -uo pipefail

target="${1:-test}"
venv="${VENV:-.venv}"
font="${PORTAL_PDF_FONT_PATH:-/usr/share/fonts/truetype/wqy/wqy-microhei.ttc}"
cmaps="${POPPLER_DATA_DIR:-/usr/share/poppler}/cMap/Adobe-GB1"

pg_lib="${POSTGRESQL_LIB:-/usr/lib/postgresql}"  # where Debian puts each major version's server binaries
postgresql_reachable() {  # the suite's server accepts connections, or a throwaway one can be started from initdb
  local url="${PORTAL_TEST_DATABASE_URL:-}" host port
  [ -z "$url" ] && return 0  # SQLite only
  ls "$pg_lib"/*/bin/initdb >/dev/null 2>&1 && return 0
  command -v initdb >/dev/null 2>&1 && return 0
  if [[ "$url" =~ @([^:/]+)(:([0-9]+))?/ ]]; then host="${BASH_REMATCH[1]}" port="${BASH_REMATCH[3]:-5432}"; else return 0; fi
  (exec 3<>"/dev/tcp/$host/$port") 2>/dev/null
}

missing() {
  local need=()
  if [ ! -x "$venv/bin/python" ] && ! python3 -c 'import ensurepip, venv' >/dev/null 2>&1; then
    need+=(python3-venv)
  fi
  [ -f "$font" ] || need+=(fonts-wqy-microhei)
  if [ "$target" != run ]; then
    command -v pdftotext >/dev/null 2>&1 || need+=(poppler-utils)
    [ -d "$cmaps" ] || need+=(poppler-data)
  fi
  if [ "$target" = test ]; then
    command -v chromium >/dev/null 2>&1 || need+=(chromium)
    command -v wrk >/dev/null 2>&1 || need+=(wrk)
    postgresql_reachable || need+=(postgresql)
  fi
  echo "${need[*]}"
}

case "$target" in
  run | fast | test) ;;
  *) echo "usage: $0 run|fast|test" >&2; exit 64 ;;
esac

goal="$target"
[ "$target" = fast ] && goal=test-fast
need=$(missing)
[ -z "$need" ] && exit 0

if [ "$(id -u)" = 0 ]; then
  as_root=()
elif command -v sudo >/dev/null 2>&1 && sudo -n true >/dev/null 2>&1; then
  as_root=(sudo -n)
else
  echo "make $goal needs the system packages: $need; install them as root (sudo apt-get install -y $need), then run make $goal again" >&2
  exit 1
fi
if ! command -v apt-get >/dev/null 2>&1; then
  echo "make $goal needs the system packages: $need (Debian names); this machine has no apt-get: install their equivalents, then run make $goal again" >&2
  exit 1
fi

echo "make $goal: installing $need with apt-get" >&2
export DEBIAN_FRONTEND=noninteractive
# shellcheck disable=SC2086 # $need is a list of package names
if ! { "${as_root[@]}" apt-get update -qq && "${as_root[@]}" apt-get install -y -qq --no-install-recommends $need; } >/dev/null; then
  echo "make $goal: apt-get could not install $need; install them by hand (apt-get install -y $need), then run make $goal again" >&2
  exit 1
fi
still=$(missing)
if [ -n "$still" ]; then
  echo "make $goal: still missing after apt-get: $still; install them by hand, then run make $goal again" >&2
  exit 1
fi
