"""Rows per second of ``ocpp_toolkit.validate_batches`` beside its baseline, the CLI
``ocpp-validate check --jobs 1`` (one core), on the same Parquet file in the same run.

    python3 python/benches/batch_throughput.py [--rows N] [--runs R] [--cli PATH]

Build both in release first: ``cargo build --release -p ocpp-validate-cli`` and
``maturin build --release -m python/Cargo.toml`` (installed with pip). The rows are a 1.6 lake
export of 16 charge points: per session a StartTransaction, MeterValues with 12 sampled values
each, a StopTransaction, every CALL answered. Each run times the CLI as a whole process and
``pyarrow.parquet.read_table`` plus ``validate_batches`` in this process, alternately; the
medians are printed with their ratio.
"""

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time

import pyarrow as pa
import pyarrow.parquet as pq

import ocpp_toolkit as ocpp

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
MEASURANDS = [
    ("Energy.Active.Import.Register", "Wh"),
    ("Power.Active.Import", "W"),
    ("Current.Import", "A"),
    ("Voltage", "V"),
]


def rows(count):
    """About ``count`` lake rows, session after session on 16 charge points."""
    out = {k: [] for k in ("message_id", "message_type", "charge_point_id", "action", "timestamp", "body")}
    second = 0

    def add(cp, message_id, message_type, action, body):
        nonlocal second
        second += 1
        out["message_id"].append(message_id)
        out["message_type"].append(message_type)
        out["charge_point_id"].append(cp)
        out["action"].append(action)
        out["timestamp"].append(second * 1_000_000)
        out["body"].append(json.dumps(body, separators=(",", ":")))

    def at(offset):
        return time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(1_764_400_000 + offset))

    session = 0
    while len(out["body"]) < count:
        session += 1
        cp = f"CP-{session % 16:03d}"
        tx = session
        add(cp, f"s{session}", 2, "StartTransaction", {"connectorId": 1, "idTag": "TAG1", "meterStart": 0, "timestamp": at(second)})
        add(cp, f"s{session}", 3, None, {"transactionId": tx, "idTagInfo": {"status": "Accepted"}})
        for n in range(1, 41):
            sampled = [
                {"value": str(n * 100 + phase), "measurand": measurand, "unit": unit, "phase": f"L{phase}"}
                for measurand, unit in MEASURANDS
                for phase in (1, 2, 3)
            ]
            add(cp, f"m{session}-{n}", 2, "MeterValues", {"connectorId": 1, "transactionId": tx, "meterValue": [{"timestamp": at(second), "sampledValue": sampled}]})
            add(cp, f"m{session}-{n}", 3, None, {})
        add(cp, f"e{session}", 2, "StopTransaction", {"transactionId": tx, "meterStop": 4100, "timestamp": at(second)})
        add(cp, f"e{session}", 3, None, {"idTagInfo": {"status": "Accepted"}})
    table = pa.table(out)
    return table.set_column(4, "timestamp", table.column("timestamp").cast(pa.timestamp("us", tz="UTC")))


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=300_000)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--cli", default=os.path.join(ROOT, "target", "release", "ocpp-validate"))
    args = parser.parse_args()
    if not os.path.exists(args.cli):
        sys.exit(f"{args.cli} is missing: cargo build --release -p ocpp-validate-cli")
    with tempfile.TemporaryDirectory() as directory:
        path = os.path.join(directory, "export.parquet")
        table = rows(args.rows)
        pq.write_table(table, path, compression="snappy")
        count = table.num_rows
        size = os.path.getsize(path)
        cli_times, python_times, found = [], [], None
        for _ in range(args.runs):
            started = time.perf_counter()
            run = subprocess.run(
                [args.cli, "check", "--ocpp", "1.6", "--jobs", "1", "--format", "json", path],
                stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, check=False,
            )
            cli_times.append(time.perf_counter() - started)
            cli_found = sum(1 for line in run.stdout.splitlines() if b'"rule"' in line)
            started = time.perf_counter()
            findings = ocpp.validate_batches(pq.read_table(path), version="1.6")
            python_times.append(time.perf_counter() - started)
            found = (cli_found, findings.num_rows)
        cli, python = statistics.median(cli_times), statistics.median(python_times)
        print(f"{count} rows ({size / 2**20:.1f} MiB Parquet), {args.runs} runs, medians; findings CLI {found[0]}, Python {found[1]}")
        print(f"ocpp-validate check --jobs 1 (baseline): {cli:.3f} s  {count / cli:>10,.0f} rows/s")
        print(f"validate_batches (one core):             {python:.3f} s  {count / python:>10,.0f} rows/s  ({python / cli:.2f}x the baseline's time)")


if __name__ == "__main__":
    main()
