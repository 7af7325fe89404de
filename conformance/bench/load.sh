#!/usr/bin/env bash
# Load-mode benchmark: STATIONS simulated stations (default 10,000), each sending a Heartbeat
# and a MeterValues every INTERVAL, against the reference CSMS in its own process on
# loopback, so that the client's CPU and memory are its own. A 100-station run first gives the
# baseline cost of the process itself, measured in the same invocation.
#
#   conformance/bench/load.sh                   # 10,000 stations, 60 s, every 10 s
#   STATIONS=2000 DURATION=30s conformance/bench/load.sh
set -euo pipefail

STATIONS=${STATIONS:-10000}
DURATION=${DURATION:-60s}
INTERVAL=${INTERVAL:-10s}
RAMP=${RAMP:-1000}
PORT=${PORT:-9400}
BASELINE=${BASELINE:-100}

cd "$(dirname "$0")/../.."
# One descriptor per station on each side; ask for plenty, settle for the hard limit.
ulimit -n 65536 2>/dev/null || ulimit -n "$(ulimit -Hn)"
echo "file descriptors: $(ulimit -n)"
if (( STATIONS + 100 > $(ulimit -n) )); then
    echo "warning: the descriptor limit is below STATIONS; connections will fail" >&2
fi

cargo build --release -q -p ocpp-conformance
bin=target/release/ocpp-conformance

"$bin" serve --bind "127.0.0.1:$PORT" >/dev/null &
csms=$!
trap 'kill "$csms" 2>/dev/null || true' EXIT
for _ in $(seq 50); do
    (exec 3<>"/dev/tcp/127.0.0.1/$PORT") 2>/dev/null && break
    sleep 0.1
done

out=$(mktemp -d)
run() { # stations duration file
    "$bin" load --target "ws://127.0.0.1:$PORT/ocpp" --stations "$1" --ramp "$RAMP" \
        --duration "$2" --interval "$INTERVAL" --format json >"$out/$3" || true
}
echo "baseline: $BASELINE stations for 15s ..."
run "$BASELINE" 15s baseline.json
echo "load: $STATIONS stations for $DURATION (ramp $RAMP/s, every $INTERVAL) ..."
run "$STATIONS" "$DURATION" load.json
csms_rss_kib=$(awk '/VmHWM/ {print $2}' "/proc/$csms/status")

python3 - "$out/baseline.json" "$out/load.json" "$csms_rss_kib" <<'PY'
import json, sys
base, load = (json.load(open(p)) for p in sys.argv[1:3])
csms_mib = int(sys.argv[3]) / 1024
def row(name, r):
    c, cost, lat = r["connections"], r["client"], r["latency"]
    print(f"{name:<9} stations {r['stations']:>6}  peak concurrent {c['peakConcurrent']:>6}  "
          f"failed {c['failed']:>5}  calls {r['calls']:>7}  timeouts {r['timeouts']:>5}  "
          f"{r['messagesPerS']:>8.0f} msg/s  p50 {lat['p50Ms']:.2f} ms  p99 {lat['p99Ms']:.2f} ms  "
          f"max {lat['maxMs']:.2f} ms")
    print(f"{'':<9} client CPU {cost['cpuS']:.2f} s ({cost['cpuPercent']:.1f} % of one core over "
          f"{r['elapsedS']:.1f} s), peak RSS {cost['peakRssBytes'] / 2**20:.1f} MiB, "
          f"{cost['rssPerStationBytes'] / 1024:.1f} KiB per station")
row("baseline", base)
row("load", load)
extra = load["client"]["peakRssBytes"] - base["client"]["peakRssBytes"]
stations = load["connections"]["peakConcurrent"] - base["connections"]["peakConcurrent"]
if stations > 0:
    print(f"marginal memory per station: {extra / stations / 1024:.1f} KiB")
print(f"reference CSMS process peak RSS: {csms_mib:.1f} MiB")
errors = {k: load[k] for k in ("callErrors", "deviations") if load[k]}
if errors:
    print("errors:", errors)
PY
