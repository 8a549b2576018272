#!/usr/bin/env bash
# A throwaway PostgreSQL cluster on loopback for the tests and benchmarks (never for data you keep).
#   scripts/pg.sh start   initialises it under $TEPAT_PG_DIR (default ${TMPDIR:-/tmp}/tepat-pg) when missing, starts
#                         it on 127.0.0.1:$TEPAT_PG_PORT (default 55432) unless running, and prints its URL
#   scripts/pg.sh stop    stops it
# For the tests fsync is off (speed; nothing is kept). TEPAT_PG_DURABLE=1 keeps PostgreSQL's durable defaults, as the
# benchmarks need (scripts/bench-pg.sh uses its own directory and port).
# It uses Debian's PostgreSQL server binaries (scripts/setup.sh installs postgresql-15). As root the cluster runs as
# the postgres user, as PostgreSQL requires; otherwise as the caller. Its superuser is `tepat`, trusted on loopback.
set -euo pipefail
dir="${TEPAT_PG_DIR:-${TMPDIR:-/tmp}/tepat-pg}"
port="${TEPAT_PG_PORT:-55432}"
bin=$(find /usr/lib/postgresql -maxdepth 2 -name bin -type d 2>/dev/null | sort -V | tail -n 1)
if [ -z "$bin" ]; then
  echo "pg.sh: no PostgreSQL server under /usr/lib/postgresql; run scripts/setup.sh" >&2
  exit 1
fi
as_owner() {
  if [ "$(id -u)" -eq 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}
options="-c fsync=off -c synchronous_commit=off"
if [ "${TEPAT_PG_DURABLE:-0}" = 1 ]; then options="-c shared_buffers=2GB -c max_wal_size=8GB -c checkpoint_timeout=15min"; fi
case "${1:-start}" in
  start)
    mkdir -p "$dir"
    if [ "$(id -u)" -eq 0 ]; then chown postgres "$dir"; fi
    if [ ! -f "$dir/data/PG_VERSION" ]; then
      as_owner "$bin/initdb" -D "$dir/data" -U tepat --auth=trust -E UTF8 --no-locale >"$dir/initdb.log" 2>&1 ||
        { cat "$dir/initdb.log" >&2; exit 1; }
    fi
    if ! as_owner "$bin/pg_ctl" -D "$dir/data" status >/dev/null 2>&1; then
      as_owner "$bin/pg_ctl" -D "$dir/data" -l "$dir/data/server.log" -w -t 60 \
        -o "-p $port -k $dir -c listen_addresses=127.0.0.1 -c max_connections=200 $options" \
        start >/dev/null || { cat "$dir/data/server.log" >&2; exit 1; }
    fi
    echo "postgresql://tepat@127.0.0.1:$port/postgres"
    ;;
  stop)
    if [ -f "$dir/data/PG_VERSION" ]; then as_owner "$bin/pg_ctl" -D "$dir/data" -m fast stop >/dev/null || true; fi
    ;;
  *)
    echo "usage: scripts/pg.sh start|stop" >&2
    exit 2
    ;;
esac
