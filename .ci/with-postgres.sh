#!/usr/bin/env bash
# Starts a throwaway PostgreSQL on a loopback port, runs the given command with
# TEST_DATABASE_URL pointing at it, and stops the server whatever happens.
set -euo pipefail
PGBIN=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)
[ -x "$PGBIN/initdb" ] || { echo "PostgreSQL is not installed: apt-get install -y postgresql" >&2; exit 1; }
PORT=${PGPORT_TEST:-55432}
DIR=$(mktemp -d /tmp/sg-pg-XXXXXX)
chmod 755 "$DIR"
RUN_AS=()
if [ "$(id -u)" = "0" ]; then chown postgres "$DIR"; RUN_AS=(su postgres -s /bin/sh -c); else RUN_AS=(sh -c); fi
"${RUN_AS[@]}" "$PGBIN/initdb -D $DIR/data -U postgres --auth=trust -E UTF8 >$DIR/initdb.log 2>&1"
stop() { "${RUN_AS[@]}" "$PGBIN/pg_ctl -D $DIR/data -m fast -w stop >/dev/null 2>&1" || true; rm -rf "$DIR"; }
trap stop EXIT
"${RUN_AS[@]}" "$PGBIN/pg_ctl -D $DIR/data -o '-p $PORT -k $DIR -c listen_addresses=127.0.0.1 -c max_connections=200 -c fsync=off' -l $DIR/pg.log -w start >/dev/null"
export TEST_DATABASE_URL="postgresql://postgres@127.0.0.1:$PORT/postgres"
echo "PostgreSQL $("$PGBIN/postgres" --version | awk '{print $3}') on 127.0.0.1:$PORT"
"$@"
