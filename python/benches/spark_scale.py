"""Spark ``local[2]`` end to end: ``ocpp_toolkit.spark.validate`` over N generated lake rows,
beside two baselines measured in the same run on the same rows: the same Spark job without the
pipeline (the shuffle by charge point, the sort, the Arrow batches handed to Python and
counted there), and the CLI
``ocpp-validate check`` (default jobs) on the same rows written as Parquet.

    python3 python/benches/spark_scale.py [--rows 10000000] [--charge-points 1000]

Build in release first (``cargo build --release -p ocpp-validate-cli``; the wheel with
``maturin build --release``, installed with pip beside pyspark). The rows are 1.6 MeterValues
CALLs (one Energy.Active.Import.Register sample, rising per charge point) each answered by a
CALLRESULT, spread over the charge points, made by Spark itself (``spark.range``).
"""

import argparse
import os
import subprocess
import sys
import tempfile
import time

import pyarrow as pa
from pyspark.sql import SparkSession
from pyspark.sql import functions as F

from ocpp_toolkit import spark as ocpp_spark

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


def rows(spark, count, charge_points):
    pair = F.floor(F.col("id") / 2)
    call = F.col("id") % 2 == 0
    seconds = F.floor(pair / charge_points)
    body = F.format_string(
        '{"connectorId":1,"meterValue":[{"timestamp":"%s","sampledValue":[{"value":"%d",'
        '"measurand":"Energy.Active.Import.Register","unit":"Wh"}]}]}',
        F.date_format(F.timestamp_seconds(F.lit(1_764_400_000) + seconds), "yyyy-MM-dd'T'HH:mm:ss'Z'"),
        seconds.cast("long"),
    )
    return spark.range(count).select(
        F.concat(F.lit("m"), pair.cast("string")).alias("message_id"),
        F.when(call, 2).otherwise(3).alias("message_type"),
        F.concat(F.lit("CP-"), (pair % charge_points).cast("string")).alias("charge_point_id"),
        F.when(call, F.lit("MeterValues")).alias("action"),
        F.timestamp_micros(
            (F.lit(1_764_400_000) + seconds) * 1_000_000 + F.when(call, 0).otherwise(500_000)
        ).alias("timestamp"),
        F.when(call, body).otherwise(F.lit("{}")).alias("body"),
    )


def timed(run):
    started = time.perf_counter()
    result = run()
    elapsed = time.perf_counter() - started
    return elapsed, result


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=10_000_000)
    parser.add_argument("--charge-points", type=int, default=1_000)
    parser.add_argument("--cli", default=os.path.join(ROOT, "target", "release", "ocpp-validate"))
    args = parser.parse_args()
    # The executors run this Python, where the wheel is installed.
    os.environ.setdefault("PYSPARK_PYTHON", sys.executable)
    if not os.path.exists(args.cli):
        sys.exit(f"{args.cli} is missing: cargo build --release -p ocpp-validate-cli")
    spark = (
        SparkSession.builder.master("local[2]")
        .config("spark.driver.memory", "6g")
        .config("spark.sql.shuffle.partitions", "8")
        .config("spark.ui.enabled", "false")
        .config("spark.ui.showConsoleProgress", "false")
        .getOrCreate()
    )
    with tempfile.TemporaryDirectory() as directory:
        table = os.path.join(directory, "rows")
        rows(spark, args.rows, args.charge_points).write.parquet(table)
        data = spark.read.parquet(table)
        size = sum(os.path.getsize(os.path.join(d, f)) for d, _, fs in os.walk(table) for f in fs)
        plan = ocpp_spark._Plan(data, None)
        def rows_seen(batches):
            yield pa.RecordBatch.from_pydict({"rows": [sum(b.num_rows for b in batches)]})

        handed = plan.ordered(data, None).mapInArrow(rows_seen, "rows long")
        base, counted = timed(lambda: handed.agg(F.sum("rows")).first()[0])
        pipeline, found = timed(lambda: ocpp_spark.validate(data, version="1.6").count())
        cli, run = timed(lambda: subprocess.run(
            [args.cli, "check", "--ocpp", "1.6", "--format", "json", table],
            stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, check=False))
        cli_found = sum(1 for line in run.stdout.splitlines() if b'"rule"' in line)
    n = args.rows
    print(f"{n:,} rows, {args.charge_points:,} charge points, {size / 2**20:.0f} MiB Parquet; Spark local[2], 8 shuffle partitions")
    print(f"Spark shuffle + sort + Arrow to Python (baseline):    {base:7.1f} s  {n / base:>10,.0f} rows/s  ({counted:,} rows)")
    print(f"ocpp_toolkit.spark.validate + count:                 {pipeline:7.1f} s  {n / pipeline:>10,.0f} rows/s  ({found:,} findings)")
    print(f"ocpp-validate check on the Parquet (baseline):       {cli:7.1f} s  {n / cli:>10,.0f} rows/s  ({cli_found:,} findings)")
    spark.stop()


if __name__ == "__main__":
    main()
