#!/usr/bin/env bash
# Proxy benchmark: STATIONS simulated stations (default 1,000), each sending a Heartbeat and a
# MeterValues every INTERVAL, against the reference CSMS in its own process on loopback —
# first directly (the baseline, same stations, same run), then through `ocpp-conformance
# proxy` (capturing and checking every frame) in a third process. Prints throughput and answer
# latency of both and what the proxy adds, and the proxy's peak RSS.
#
#   conformance/bench/proxy.sh                       # 1,000 stations, 30 s, every 1 s
#   STATIONS=200 DURATION=10s conformance/bench/proxy.sh
set -euo pipefail

STATIONS=${STATIONS:-1000}
DURATION=${DURATION:-30s}
INTERVAL=${INTERVAL:-1s}
RAMP=${RAMP:-500}
PORT=${PORT:-9500}

cd "$(dirname "$0")/../.."
ulimit -n 65536 2>/dev/null || ulimit -n "$(ulimit -Hn)"

cargo build --release -q -p ocpp-conformance-cli
bin=target/release/ocpp-conformance
out=$(mktemp -d)

"$bin" serve --bind "127.0.0.1:$PORT" >/dev/null &
csms=$!
"$bin" proxy --listen "127.0.0.1:$((PORT + 1))" --upstream "ws://127.0.0.1:$PORT/ocpp" \
    --capture "$out/capture.jsonl" --findings "$out/findings.jsonl" >/dev/null &
proxy=$!
trap 'kill "$csms" "$proxy" 2>/dev/null || true' EXIT
for port in "$PORT" "$((PORT + 1))"; do
    for _ in $(seq 50); do
        (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null && break
        sleep 0.1
    done
done

run() { # port file
    "$bin" load --target "ws://127.0.0.1:$1/ocpp" --stations "$STATIONS" --ramp "$RAMP" \
        --duration "$DURATION" --interval "$INTERVAL" --format json >"$out/$2" || true
}
echo "direct: $STATIONS stations for $DURATION, every $INTERVAL ..."
run "$PORT" direct.json
echo "through the proxy ..."
run "$((PORT + 1))" proxied.json
proxy_rss_kib=$(awk '/VmHWM/ {print $2}' "/proc/$proxy/status")

python3 - "$out/direct.json" "$out/proxied.json" "$proxy_rss_kib" "$out/capture.jsonl" "$out/findings.jsonl" <<'PY'
import json, sys
direct, proxied = (json.load(open(p)) for p in sys.argv[1:3])
def row(name, r):
    lat = r["latency"]
    print(f"{name:<8} stations {r['connections']['peakConcurrent']:>6}  failed {r['connections']['failed']:>4}  "
          f"calls {r['calls']:>7}  timeouts {r['timeouts']:>4}  {r['messagesPerS']:>8.0f} msg/s  "
          f"p50 {lat['p50Ms']:.2f} ms  p99 {lat['p99Ms']:.2f} ms  max {lat['maxMs']:.2f} ms")
row("direct", direct)
row("proxied", proxied)
d, p = direct["latency"], proxied["latency"]
print(f"added by the proxy: p50 {p['p50Ms'] - d['p50Ms']:+.2f} ms, p99 {p['p99Ms'] - d['p99Ms']:+.2f} ms, "
      f"throughput {100 * proxied['messagesPerS'] / max(direct['messagesPerS'], 1):.1f} % of direct")
print(f"proxy peak RSS {int(sys.argv[3]) / 1024:.1f} MiB; captured {sum(1 for _ in open(sys.argv[4]))} frames, "
      f"{sum(1 for _ in open(sys.argv[5]))} findings")
PY
