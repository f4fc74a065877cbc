#!/usr/bin/env bash
# Throw-away PostgreSQL and Redis servers for the services' integration tests, on loopback only.
#
#   scripts/testdb.sh start   initdb + start postgres and redis-server on free 127.0.0.1 ports,
#                             write .cache/testdb/env (HIPAA_TEST_PG_DSN, HIPAA_TEST_REDIS_ADDR,
#                             HIPAA_TEST_REDIS_PASSWORD, HIPAA_TEST_CA_FILE; mode 600, never printed);
#                             postgres and redis speak TLS only (1.2+, certificate of a throw-away
#                             CA made at each start): hostssl only, a Redis tls-port and no port;
#                             and kinesalite (Kinesis API, in memory) on another: HIPAA_TEST_KINESIS_ENDPOINT
#   scripts/testdb.sh stop    stop the servers and delete .cache/testdb
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

# make_certs makes a throw-away CA and a server certificate for IP:127.0.0.1 and DNS:localhost
# (EC P-256, 2 days): the servers' certificate and key go to $1 (key mode 600, owned by the
# servers' user), the CA certificate to $DIR/ca.crt for the clients. The CA key is deleted once
# the server certificate is signed: nothing else can ever be signed by this CA.
make_certs() {
	local dest="$1" work
	work=$(mktemp -d)
	(
		set -e
		cd "$work"
		umask 077
		openssl req -x509 -new -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -days 2 \
			-subj "/CN=hipaa-pipeline throw-away test CA" -keyout ca.key -out ca.crt \
			-addext "basicConstraints=critical,CA:TRUE,pathlen:0" -addext "keyUsage=critical,keyCertSign,cRLSign"
		openssl req -new -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -subj "/CN=localhost" -keyout server.key -out server.csr
		printf 'subjectAltName=IP:127.0.0.1,DNS:localhost\nbasicConstraints=critical,CA:FALSE\nkeyUsage=critical,digitalSignature\nextendedKeyUsage=serverAuth\n' >server.ext
		openssl x509 -req -in server.csr -CA ca.crt -CAkey ca.key -CAcreateserial -days 2 -extfile server.ext -out server.crt
	) >"$DIR/openssl.log" 2>&1 || { cat "$DIR/openssl.log" >&2; rm -rf "$work"; exit 1; }
	as_pg mkdir -p "$dest"
	as_pg chmod 700 "$dest"
	as_pg bash -c "umask 077; cat > '$dest/server.key'" <"$work/server.key"
	as_pg bash -c "umask 022; cat > '$dest/server.crt'" <"$work/server.crt"
	install -m 644 "$work/ca.crt" "$DIR/ca.crt"
	rm -rf "$work"
}

# kinesalite: an in-memory Kinesis-compatible server (npm, services/testservers; make
# install-test-servers), bound to 127.0.0.1 only by services/testservers/kinesalite.js. It runs as
# the calling user; its pid and log are in $DIR. start_kinesis prints the port.
KINESALITE="$PWD/services/testservers/kinesalite.js"
start_kinesis() {
	command -v node >/dev/null || { echo "testdb: node not found: run make install-test-servers" >&2; exit 1; }
	[ -f "$PWD/services/testservers/node_modules/kinesalite/index.js" ] ||
		{ echo "testdb: kinesalite not installed in services/testservers: run make install-test-servers" >&2; exit 1; }
	local port i; port=$(free_port 54567)
	# own session (like the daemonized servers): it outlives the shell and its process group
	setsid node "$KINESALITE" "$port" "$DIR/kinesalite.pid" >"$DIR/kinesalite.log" 2>&1 </dev/null &
	for i in $(seq 1 100); do [ -s "$DIR/kinesalite.pid" ] && break; sleep 0.1; done
	[ -s "$DIR/kinesalite.pid" ] || { echo "testdb: kinesalite did not start:" >&2; cat "$DIR/kinesalite.log" >&2; exit 1; }
	echo "$port"
}
stop_kinesis() {
	[ -f "$DIR/kinesalite.pid" ] || return 0
	local pid i; pid=$(cat "$DIR/kinesalite.pid")
	kill "$pid" 2>/dev/null || true
	for i in $(seq 1 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
	rm -f "$DIR/kinesalite.pid"
}

start() {
	command -v redis-server >/dev/null || { echo "testdb: redis-server not found: run make install-test-servers" >&2; exit 1; }
	command -v openssl >/dev/null || { echo "testdb: openssl not found (Debian package openssl, a dependency of postgresql)" >&2; exit 1; }
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
	# TLS only over TCP: hostssl, and an explicit reject of every unencrypted TCP connection.
	make_certs "$run/tls"
	printf 'local all all scram-sha-256\nhostssl all all 127.0.0.1/32 scram-sha-256\nhostnossl all all 0.0.0.0/0 reject\nhostnossl all all ::/0 reject\n' |
		as_pg bash -c "umask 077; cat > '$PGDATA/pg_hba.conf'"
	as_pg "$bin/pg_ctl" -D "$PGDATA" -l "$run/postgres.log" -w -t 60 \
		-o "-c listen_addresses=127.0.0.1 -p $pgport -k $run -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c ssl=on -c ssl_min_protocol_version=TLSv1.2 -c ssl_cert_file=$run/tls/server.crt -c ssl_key_file=$run/tls/server.key" \
		start >/dev/null || { cat "$run/postgres.log" >&2; exit 1; }

	redisport=$(free_port 56379)
	umask 077
	# TLS only (port 0: no clear-text port); clients verify the server, the server no client.
	printf 'bind 127.0.0.1\nport 0\ntls-port %s\ntls-cert-file %s\ntls-key-file %s\ntls-auth-clients no\ntls-protocols "TLSv1.2 TLSv1.3"\nrequirepass %s\nsave ""\nappendonly no\ndaemonize yes\ndir %s\npidfile %s\nlogfile %s\nprotected-mode yes\n' \
		"$redisport" "$run/tls/server.crt" "$run/tls/server.key" "$redispass" "$REDISDIR" "$REDISDIR/redis.pid" "$REDISDIR/redis.log" | as_pg bash -c "umask 077; cat > '$REDISDIR/redis.conf'"
	as_pg redis-server "$REDISDIR/redis.conf"
	local i
	for i in $(seq 1 50); do
		(exec 3<>"/dev/tcp/127.0.0.1/$redisport") 2>/dev/null && break
		sleep 0.1
	done
	(exec 3<>"/dev/tcp/127.0.0.1/$redisport") 2>/dev/null || { cat "$REDISDIR/redis.log" >&2; exit 1; }

	local kinesisport; kinesisport=$(start_kinesis)

	cat >"$ENVFILE" <<EOF
export HIPAA_TEST_PG_DSN='postgres://postgres:$pgpass@127.0.0.1:$pgport/postgres?sslmode=verify-full&sslrootcert=$DIR/ca.crt'
export HIPAA_TEST_REDIS_ADDR='127.0.0.1:$redisport'
export HIPAA_TEST_REDIS_PASSWORD='$redispass'
export HIPAA_TEST_CA_FILE='$DIR/ca.crt'
EOF
	chmod 600 "$ENVFILE"
	echo "export HIPAA_TEST_KINESIS_ENDPOINT='http://127.0.0.1:$kinesisport'" >>"$ENVFILE"
	echo "testdb: kinesalite on 127.0.0.1:$kinesisport"
	echo "testdb: postgres on 127.0.0.1:$pgport, redis on 127.0.0.1:$redisport (env in $ENVFILE)"
}

stop() {
	stop_kinesis
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
