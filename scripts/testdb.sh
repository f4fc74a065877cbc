#!/usr/bin/env bash
# Throw-away PostgreSQL and Redis servers for the services' integration tests, on loopback only.
#
#   scripts/testdb.sh start   initdb + start postgres and redis-server on free 127.0.0.1 ports,
#                             write .cache/testdb/env (HIPAA_TEST_PG_DSN, HIPAA_TEST_REDIS_ADDR,
#                             HIPAA_TEST_REDIS_PASSWORD; mode 600, never printed)
#   scripts/testdb.sh stop    stop both servers and delete .cache/testdb
#
# Needs the Debian packages postgresql and redis-server (`make install-test-servers`).
# PostgreSQL refuses to run as root: as root, the cluster belongs to the `postgres` user the
# Debian package creates. Passwords are random per start (scram-sha-256 for PostgreSQL).
set -euo pipefail
cd "$(dirname "$0")/.."

DIR="$PWD/.cache/testdb"
ENVFILE="$DIR/env"
# The servers' files live in $DIR/run, or, when the postgres user cannot reach the
# clone (e.g. under /root), a private folder under /tmp recorded in $DIR/rundir.
rundir() { if [ -f "$DIR/rundir" ]; then cat "$DIR/rundir"; else echo "$DIR/run"; fi; }

pgbin() {
	local b
	for b in /usr/lib/postgresql/*/bin; do [ -x "$b/pg_ctl" ] && { echo "$b"; return; }; done
	command -v pg_ctl >/dev/null && { dirname "$(command -v pg_ctl)"; return; }
	echo "testdb: PostgreSQL server binaries not found: run make install-test-servers" >&2
	exit 1
}

# as_pg runs a command as the owner of the cluster (postgres when we are root).
as_pg() {
	if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

free_port() {
	local p
	for p in $(seq "$1" "$(($1 + 200))"); do
		if ! (exec 3<>"/dev/tcp/127.0.0.1/$p") 2>/dev/null; then echo "$p"; return; fi
	done
	echo "testdb: no free port from $1" >&2
	exit 1
}

secret() { head -c 24 /dev/urandom | od -An -tx1 | tr -d ' \n'; }

start() {
	command -v redis-server >/dev/null || { echo "testdb: redis-server not found: run make install-test-servers" >&2; exit 1; }
	local bin; bin=$(pgbin)
	stop quiet
	mkdir -p "$DIR"
	chmod 700 "$DIR"
	local run="$DIR/run"
	if [ "$(id -u)" = 0 ]; then
		mkdir -p "$run"
		chown postgres: "$run"
		chmod 755 "$DIR"
		if ! runuser -u postgres -- test -w "$run"; then
			rm -rf "$run"
			run=$(mktemp -d /tmp/hipaa-testdb.XXXXXX)
			chown postgres: "$run"
			echo "$run" >"$DIR/rundir"
		fi
	fi
	local PGDATA="$run/pg" REDISDIR="$run/redis"
	as_pg mkdir -p "$PGDATA" "$REDISDIR"
	as_pg chmod 700 "$run" "$PGDATA" "$REDISDIR"

	local pgpass redispass pgport redisport
	pgpass=$(secret); redispass=$(secret)
	pgport=$(free_port 55432)
	as_pg bash -c "umask 077; printf '%s\n' '$pgpass' > '$run/pwfile'"
	as_pg "$bin/initdb" -D "$PGDATA" -U postgres --pwfile="$run/pwfile" --auth=scram-sha-256 \
		--encoding=UTF8 --locale=C.UTF-8 >"$DIR/initdb.log" 2>&1 || { cat "$DIR/initdb.log" >&2; exit 1; }
	rm -f "$run/pwfile"
	as_pg "$bin/pg_ctl" -D "$PGDATA" -l "$run/postgres.log" -w -t 60 \
		-o "-c listen_addresses=127.0.0.1 -p $pgport -k $run -c fsync=off -c synchronous_commit=off -c full_page_writes=off" \
		start >/dev/null || { cat "$run/postgres.log" >&2; exit 1; }

	redisport=$(free_port 56379)
	umask 077
	printf 'bind 127.0.0.1\nport %s\nrequirepass %s\nsave ""\nappendonly no\ndaemonize yes\ndir %s\npidfile %s\nlogfile %s\nprotected-mode yes\n' \
		"$redisport" "$redispass" "$REDISDIR" "$REDISDIR/redis.pid" "$REDISDIR/redis.log" | as_pg bash -c "umask 077; cat > '$REDISDIR/redis.conf'"
	as_pg redis-server "$REDISDIR/redis.conf"
	local i
	for i in $(seq 1 50); do
		(exec 3<>"/dev/tcp/127.0.0.1/$redisport") 2>/dev/null && break
		sleep 0.1
	done
	(exec 3<>"/dev/tcp/127.0.0.1/$redisport") 2>/dev/null || { cat "$REDISDIR/redis.log" >&2; exit 1; }

	cat >"$ENVFILE" <<EOF
export HIPAA_TEST_PG_DSN='postgres://postgres:$pgpass@127.0.0.1:$pgport/postgres?sslmode=disable'
export HIPAA_TEST_REDIS_ADDR='127.0.0.1:$redisport'
export HIPAA_TEST_REDIS_PASSWORD='$redispass'
EOF
	chmod 600 "$ENVFILE"
	echo "testdb: postgres on 127.0.0.1:$pgport, redis on 127.0.0.1:$redisport (env in $ENVFILE)"
}

stop() {
	local run; run=$(rundir)
	if [ -f "$run/pg/postmaster.pid" ]; then
		as_pg "$(pgbin)/pg_ctl" -D "$run/pg" -m fast -w stop >/dev/null 2>&1 || true
	fi
	if [ -f "$run/redis/redis.pid" ]; then
		local pid; pid=$(cat "$run/redis/redis.pid")
		kill "$pid" 2>/dev/null || true
		local i
		for i in $(seq 1 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
	fi
	case "$run" in /tmp/hipaa-testdb.*) rm -rf "$run" ;; esac
	rm -rf "$DIR"
	[ "${1:-}" = quiet ] || echo "testdb: stopped"
}

case "${1:-}" in
start) start ;;
stop) stop ;;
*) echo "usage: $0 start|stop" >&2; exit 2 ;;
esac
