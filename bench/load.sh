#!/usr/bin/env bash
# Bounded load test on loopback (see bench/README.md): starts Boucle on its own data folder with the
# demo territory, finds the connection count that gives the most requests per second, then drives
# search pages, listing pages and the API with wrk for DURATION seconds. Prints throughput,
# p50/p90/p99 latency, errors and the server's memory (RSS) at start, middle and end; fails on any
# error (socket error, timeout, or a status >= 400).
#   bench/load.sh [--duration 60] [--port 5178] [--database CONNECTION] [--connections "8 32 64"]
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
duration=60 port=5178 database="" candidates="8 32 64"
while [ $# -gt 0 ]; do
  case "$1" in
    --duration) duration="$2"; shift 2 ;;
    --port) port="$2"; shift 2 ;;
    --database) database="$2"; shift 2 ;;
    --connections) candidates="$2"; shift 2 ;;
    *) echo "option inconnue : $1" >&2; exit 2 ;;
  esac
done

if ! command -v wrk >/dev/null; then
  echo "load: installing wrk (Debian package)..." >&2
  if [ "$(id -u)" = 0 ]; then apt-get install -y -qq wrk >/dev/null; else sudo apt-get install -y -qq wrk >/dev/null; fi
fi

data="$(mktemp -d /tmp/boucle-load-XXXXXX)"
base="http://127.0.0.1:$port"
args=(serve --urls "$base" --data-dir "$data")
[ -n "$database" ] && args+=(--database "$database")
# The API allows 300 requests per 10 s per address; one load generator is one address.
Boucle__ApiRequestsPer10Seconds=100000000 "$root/boucle" "${args[@]}" >"$data/serve.log" 2>&1 &
pid=$!
sampler=""
cleanup() { [ -n "$sampler" ] && kill "$sampler" 2>/dev/null; kill "$pid" 2>/dev/null; wait "$pid" 2>/dev/null; rm -rf "$data"; }
trap cleanup EXIT
for _ in $(seq 300); do curl -sf "$base/health" >/dev/null 2>&1 && break; kill -0 "$pid" || { cat "$data/serve.log"; exit 1; }; sleep 1; done

ids=$(curl -sf "$base/api/v1/listings?page_size=50" | grep -o '"id":[0-9]*' | cut -d: -f2 | head -40 | tr '\n' ' ')
[ -n "$ids" ] || { echo "load: no listing found" >&2; exit 1; }
# One request in three for each part: search pages, listing pages, the API.
lua="$data/paths.lua"
{
  echo 'local paths = {'
  for q in palette bois carton "compost+vert" "f%C3%BBt" ferraille; do
    echo "  '/annonces?q=$q', '/api/v1/listings?q=$q', '/api/v1/listings?q=$q&near=44.85,0.48&radius_km=30',"
  done
  echo "  '/annonces', '/annonces?type=Need', '/api/v1/listings/geojson', '/',"
  for id in $ids; do echo "  '/annonces/$id', '/api/v1/listings/$id',"; done
  echo '}'
  echo 'math.randomseed(42)'
  echo 'request = function() return wrk.format("GET", paths[math.random(#paths)]) end'
} >"$lua"

rss() { awk '/VmRSS/ {printf "%.0f MB", $2/1024}' "/proc/$pid/status"; }
echo "machine: $(nproc) cores, $(awk '/MemTotal/ {printf "%.0f GB", $2/1048576}' /proc/meminfo); load average $(cut -d' ' -f1-3 /proc/loadavg)"
echo "server: $([ -n "$database" ] && echo PostgreSQL || echo SQLite), demo territory, pid $pid"
wrk -t2 -c8 -d5s -s "$lua" "$base" >/dev/null # warm-up (JIT, caches)

best=0 best_c=8
for c in $candidates; do
  rate=$(wrk -t2 -c"$c" -d10s -s "$lua" "$base" | awk '/Requests\/sec/ {print int($2)}')
  echo "probe: $c connections -> $rate requests/s"
  if [ "$rate" -gt "$best" ]; then best=$rate best_c=$c; fi
done

echo "run: $best_c connections for ${duration}s"
start_rss=$(rss)
samples="$data/rss.txt"
( while sleep 1; do awk '/VmRSS/ {print $2}' "/proc/$pid/status"; done >"$samples" ) &
sampler=$!
out="$data/wrk.txt"
wrk -t2 -c"$best_c" -d"${duration}s" --timeout 10s --latency -s "$lua" "$base" >"$out"
kill "$sampler"; sampler=""
cat "$out"
mid_rss=$(awk -v n="$(wc -l <"$samples")" 'NR == int(n/2) {printf "%.0f MB", $1/1024}' "$samples")
peak_rss=$(sort -n "$samples" | tail -1 | awk '{printf "%.0f MB", $1/1024}')
echo "memory (RSS): start $start_rss, middle $mid_rss, end $(rss), peak $peak_rss"

errors=$(awk '/Non-2xx or 3xx responses/ {print $5}' "$out"); errors=${errors:-0}
socket=$(awk -F'[ ,]+' '/Socket errors/ {print $4+$6+$8+$10}' "$out"); socket=${socket:-0}
echo "errors: $errors responses >= 400, $socket socket errors or timeouts"
if grep -q " fail: \|Unhandled exception" "$data/serve.log"; then echo "server log has errors:"; grep -A5 " fail: " "$data/serve.log" | head -40; exit 1; fi
[ "$errors" = 0 ] && [ "$socket" = 0 ]
