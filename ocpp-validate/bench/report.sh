#!/usr/bin/env bash
# HTML report benchmark: a generated 1.6 Open OCPP Trace of RECORDS records (default
# 1,000,000) over CHARGE_POINTS charge points (default 100): sessions of MeterValues with a
# few bad StatusNotifications. Times `check` (the baseline: the same pipeline, no report) and
# `summary`, then `report`, on the same file in the same run, with their peak RSS; gives the
# page's size and, when Chromium and the browser check's npm packages are installed, how long
# the page takes to open and draw in headless Chromium.
#
#   ocpp-validate/bench/report.sh
#   RECORDS=200000 ocpp-validate/bench/report.sh
set -euo pipefail

RECORDS=${RECORDS:-1000000}
CHARGE_POINTS=${CHARGE_POINTS:-100}

cd "$(dirname "$0")/../.."
cargo build --release -q -p ocpp-validate-cli
bin=target/release/ocpp-validate
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT

python3 - "$RECORDS" "$CHARGE_POINTS" > "$out/trace.jsonl" <<'PY'
import json, sys
records, points = int(sys.argv[1]), int(sys.argv[2])
per_point = records // points
def stamp(s):
    return "2024-05-01T%02d:%02d:%02dZ" % (s // 3600 % 24, s // 60 % 60, s % 60)
out = sys.stdout
for p in range(points):
    cp, second, n, tx = "CP-%04d" % p, 0, 0, p * 1000
    def write(frame, station):
        global second
        kind = frame[0]
        r = {"schemaVersion": "1.0", "timestamp": stamp(second), "ocppVersion": "1.6",
             "chargePointId": cp, "direction": "cp-to-csms" if station else "csms-to-cp",
             "messageType": {2: "CALL", 3: "CALLRESULT"}[kind], "messageId": frame[1]}
        if kind == 2:
            r["action"], r["payload"] = frame[2], frame[3]
        else:
            r["payload"] = frame[2]
        out.write(json.dumps(r, separators=(",", ":")) + "\n")
    while n + 8 <= per_point:
        tx += 1
        write([2, "s%d" % n, "StartTransaction", {"connectorId": 1, "idTag": "T", "meterStart": 0, "timestamp": stamp(second)}], True)
        write([3, "s%d" % n, {"transactionId": tx, "idTagInfo": {"status": "Accepted"}}], False)
        n += 2
        for k in range(min(400, (per_point - n - 2) // 2)):
            second += 10
            status = k == 200 and tx % 7 == 0
            if status:
                write([2, "m%d" % n, "StatusNotification", {"connectorId": 1, "errorCode": "Bogus", "status": "Charging"}], True)
            else:
                value = [{"timestamp": stamp(second), "sampledValue": [
                    {"value": str(k * 20), "measurand": "Energy.Active.Import.Register", "unit": "Wh"},
                    {"value": "7000", "measurand": "Power.Active.Import", "unit": "W"}]}]
                write([2, "m%d" % n, "MeterValues", {"connectorId": 1, "transactionId": tx, "meterValue": value}], True)
            write([3, "m%d" % n, {}], False)
            n += 2
        write([2, "e%d" % n, "StopTransaction", {"transactionId": tx, "meterStop": 8000, "timestamp": stamp(second)}], True)
        write([3, "e%d" % n, {}], False)
        n += 2
PY
records=$(wc -l < "$out/trace.jsonl")
echo "input: $records records, $(du -m "$out/trace.jsonl" | cut -f1) MiB, $CHARGE_POINTS charge points"

measure() {
  local name=$1; shift
  local start end
  start=$(date +%s.%N)
  /usr/bin/time -f "%M" -o "$out/rss" "$@" > "$out/$name.out" || true
  end=$(date +%s.%N)
  python3 -c "import sys; s=float(sys.argv[2])-float(sys.argv[1]); print('%-8s %7.2f s  %9.0f records/s  peak RSS %5.0f MiB' % (sys.argv[3], s, int(sys.argv[4])/s, int(sys.argv[5])/1024))" \
    "$start" "$end" "$name" "$records" "$(tail -1 "$out/rss")"
}
measure check "$bin" check --format json "$out/trace.jsonl"
measure summary "$bin" summary --format json "$out/trace.jsonl"
measure report "$bin" report "$out/trace.jsonl" -o "$out/report.html"
echo "page: $(du -k "$out/report.html" | cut -f1) KiB"

browser=ocpp-validate/cli/tests/browser
if [ -x /usr/bin/chromium ] && [ -d "$browser/node_modules/playwright-core" ]; then
  start=$(date +%s.%N)
  (cd "$browser" && node check.mjs "$out/report.html" "$out/report.png" trace > "$out/browser.json")
  end=$(date +%s.%N)
  python3 -c "import sys, json; d=json.load(open(sys.argv[3])); print('browser: opened, drawn and checked in %.2f s; console errors %d, page errors %d; %d findings rows, %d timeline bands, %d messages drawn' % (float(sys.argv[2])-float(sys.argv[1]), len(d['consoleErrors']), len(d['pageErrors']), d['findingsRows'], d['bands'], d['sequenceMessages']))" \
    "$start" "$end" "$out/browser.json"
else
  echo "browser: skipped (needs /usr/bin/chromium and npm ci --prefix $browser)"
fi
