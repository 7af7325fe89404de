"""Tests of ocpp_toolkit.spark against the CLI: the same rows, as Parquet read by Spark and as
JSON Lines read by `ocpp-validate`, give the same findings, summary and repairs.

Needs PySpark (with pandas, which `mapInArrow` imports), a Java runtime and the installed
ocpp_toolkit wheel; skipped without them, except under CI=true, where they are required.
The CLI binary is target/debug/ocpp-validate, built with cargo when missing.

Run from the repository's root (in python/, the source tree, which lacks the native module,
would be imported instead of the installed package), with the Python the wheel is installed in:
    target/venv/bin/python -m unittest discover -s python/tests -p test_spark.py -v
"""

from __future__ import annotations

import collections
import datetime as dt
import json
import os
import random
import shutil
import subprocess
import sys
import tempfile
import unittest
from pathlib import Path
from typing import Any, Dict, List, Optional

ROOT = Path(__file__).resolve().parents[2]
CLI = ROOT / "target" / "debug" / "ocpp-validate"
IN_CI = os.environ.get("CI") == "true"


def _missing() -> List[str]:
    """What the tests need and this machine lacks."""
    missing = []
    try:
        import pyspark  # noqa: F401
    except ImportError:
        missing.append("pyspark is not installed (python3 -m pip install 'pyspark[sql]')")
    try:
        import pandas  # noqa: F401  (pyspark's mapInArrow requires it)
    except ImportError:
        missing.append("pandas is not installed (python3 -m pip install 'pyspark[sql]')")
    try:
        import pyarrow  # noqa: F401
    except ImportError:
        missing.append("pyarrow is not installed")
    java_home = os.environ.get("JAVA_HOME")
    if shutil.which("java") is None and not (java_home and Path(java_home, "bin", "java").exists()):
        missing.append("no Java runtime (java is not on PATH and JAVA_HOME is unset)")
    try:
        from ocpp_toolkit import _native  # noqa: F401
    except ImportError as error:
        missing.append(f"the ocpp_toolkit wheel is not installed ({error})")
    return missing


spark = None  # the SparkSession, set up once for the module
work = None  # the temporary directory of the tables


def setUpModule() -> None:
    global spark, work
    missing = _missing()
    if missing:
        message = "Spark tests need: " + "; ".join(missing)
        if IN_CI:
            raise RuntimeError(message + " (CI=true: required, not skipped)")
        raise unittest.SkipTest(message)
    if not CLI.exists():
        subprocess.run(["cargo", "build", "-q", "-p", "ocpp-validate-cli"], cwd=ROOT, check=True)
    os.environ.setdefault("PYSPARK_PYTHON", sys.executable)
    os.environ.setdefault("PYSPARK_DRIVER_PYTHON", sys.executable)
    from pyspark.sql import SparkSession

    spark = (
        SparkSession.builder.master("local[2]")
        .appName("ocpp-toolkit-tests")
        .config("spark.ui.enabled", "false")
        .config("spark.ui.showConsoleProgress", "false")
        .config("spark.sql.shuffle.partitions", "4")
        # Adaptive execution would merge the small shuffle partitions of these tables into
        # one; kept apart, the charge points spread over several partitions, as on a cluster.
        .config("spark.sql.adaptive.coalescePartitions.enabled", "false")
        # Small Arrow batches: each partition reaches the pipeline in several, so that calls
        # and their answers, and repaired bodies, cross batch boundaries.
        .config("spark.sql.execution.arrow.maxRecordsPerBatch", "16")
        .config("spark.default.parallelism", "2")
        .config("spark.sql.session.timeZone", "UTC")
        .config("spark.driver.extraJavaOptions", "-XX:+UseSerialGC -XX:TieredStopAtLevel=1")
        .getOrCreate()
    )
    spark.sparkContext.setLogLevel("ERROR")
    work = tempfile.TemporaryDirectory(prefix="ocpp-spark-")
    _write_tables(Path(work.name))


def tearDownModule() -> None:
    if spark is not None:
        spark.stop()
    if work is not None:
        work.cleanup()


# --------------------------------------------------------------------------------------------
# The rows: a few charge points per version, each booting, authorizing, charging and
# stopping; some payloads broken on purpose.
# --------------------------------------------------------------------------------------------

START = dt.datetime(2026, 3, 2, 8, 0, 0, tzinfo=dt.timezone.utc)
COLUMNS = ["message_id", "message_type", "charge_point_id", "action", "write_timestamp", "body"]



#: The fields of the `v201.renamed` table, by the names its columns have.
RENAMED_COLUMNS = {
    "message_id": "msg_id",
    "message_type": "msg_type",
    "charge_point_id": "station",
    "action": "act",
    "timestamp": "logged",
    "body": "payload_text",
}

class Conversation:
    """The rows of one charge point's messages: calls on whole seconds, answers half a second
    later. With `short`, whole seconds are written without a fraction (a call at `08:00:03Z`,
    its answer at `08:00:03.500Z`), so that the rows' times as text do not sort in time
    order."""

    def __init__(self, charge_point: str, start: dt.datetime, short: bool = False):
        self.charge_point = charge_point
        self.time = start
        self.short = short
        self.ids = 0
        self.rows: List[Dict[str, Any]] = []

    def now(self) -> str:
        if self.short and self.time.microsecond == 0:
            return self.time.strftime("%Y-%m-%dT%H:%M:%SZ")
        return self.time.strftime("%Y-%m-%dT%H:%M:%S.") + f"{self.time.microsecond // 1000:03d}Z"

    def _row(self, message_id: str, kind: int, action: Optional[str], body: Any) -> None:
        # A call a second after the message before it, an answer half a second after its call.
        self.time += dt.timedelta(milliseconds=1000 if kind == 2 else 500)
        self.rows.append(
            {
                "message_id": message_id,
                "message_type": kind,
                "charge_point_id": self.charge_point,
                "action": action,
                "write_timestamp": self.now(),
                "body": json.dumps(body),
            }
        )

    def call(self, action: str, payload: Dict[str, Any]) -> str:
        self.ids += 1
        message_id = f"{self.charge_point.lower()}-{self.ids}"
        self._row(message_id, 2, action, payload)
        return message_id

    def result(self, message_id: str, payload: Dict[str, Any]) -> None:
        self._row(message_id, 3, None, payload)

    def error(self, message_id: str, code: str) -> None:
        self._row(
            message_id, 4, None, {"errorCode": code, "errorDescription": "", "errorDetails": {}}
        )

    def exchange(self, action: str, payload: Dict[str, Any], answer: Dict[str, Any]) -> None:
        self.result(self.call(action, payload), answer)


def rows_16() -> List[Dict[str, Any]]:
    """OCPP 1.6 rows of six charge points. CP-2's boot lacks a required member, CP-3 sends an
    unknown status, CP-4's heartbeat is never answered, CP-5's meter goes backwards, CP-6's
    DataTransfer gets a CALLERROR and its Authorize answer an enumeration value in the wrong
    case, CP-1's StopTransaction has a member too many."""
    rows = []
    for i in range(6):
        c = Conversation(f"CP-{i + 1}", START + dt.timedelta(seconds=7 * i), short=True)
        boot = {"chargePointVendor": "Acme", "chargePointModel": "AC22", "firmwareVersion": "1.0"}
        if i == 1:
            del boot["chargePointModel"]
        c.exchange(
            "BootNotification",
            boot,
            {"status": "Accepted", "currentTime": c.now(), "interval": 300},
        )
        status = "Broken" if i == 2 else "Available"
        c.exchange(
            "StatusNotification", {"connectorId": 1, "errorCode": "NoError", "status": status}, {}
        )
        heartbeat = c.call("Heartbeat", {})
        if i != 3:
            c.result(heartbeat, {"currentTime": c.now()})
        tag = f"TAG-{i + 1}"
        # CP-6's CSMS answers in the wrong case, which the tolerant decoder repairs.
        authorized = "accepted" if i == 5 else "Accepted"
        c.exchange("Authorize", {"idTag": tag}, {"idTagInfo": {"status": authorized}})
        c.exchange(
            "StatusNotification",
            {"connectorId": 1, "errorCode": "NoError", "status": "Preparing"},
            {},
        )
        transaction = 100 + i
        c.exchange(
            "StartTransaction",
            {"connectorId": 1, "idTag": tag, "meterStart": 1000, "timestamp": c.now()},
            {"transactionId": transaction, "idTagInfo": {"status": "Accepted"}},
        )
        c.exchange(
            "StatusNotification",
            {"connectorId": 1, "errorCode": "NoError", "status": "Charging"},
            {},
        )
        for energy, power in ((2500, 7200), (2000 if i == 4 else 4000, 0), (4600, 0)):
            c.time += dt.timedelta(minutes=5)
            sample = {
                "timestamp": c.now(),
                "sampledValue": [
                    {
                        "value": str(energy),
                        "measurand": "Energy.Active.Import.Register",
                        "unit": "Wh",
                    },
                    {"value": str(power), "measurand": "Power.Active.Import", "unit": "W"},
                ],
            }
            c.exchange(
                "MeterValues",
                {"connectorId": 1, "transactionId": transaction, "meterValue": [sample]},
                {},
            )
        if i == 5:
            c.error(c.call("DataTransfer", {"vendorId": "Acme"}), "NotImplemented")
        stop = {
            "transactionId": transaction,
            "meterStop": 5000,
            "timestamp": c.now(),
            "reason": "EVDisconnected",
        }
        if i == 0:
            stop["extra"] = True
        c.exchange("StopTransaction", stop, {"idTagInfo": {"status": "Accepted"}})
        c.exchange(
            "StatusNotification",
            {"connectorId": 1, "errorCode": "NoError", "status": "Finishing"},
            {},
        )
        c.exchange(
            "StatusNotification",
            {"connectorId": 1, "errorCode": "NoError", "status": "Available"},
            {},
        )
        rows.extend(c.rows)
    return rows


def transaction_event(
    c: Conversation,
    transaction: str,
    kind: str,
    seq: int,
    trigger: str,
    energy: int,
    power: Optional[int],
    **extra: Any,
) -> None:
    """A 2.0.1 TransactionEvent and its answer; `info` in `extra` joins `transactionInfo`,
    the rest of `extra` are members of the request."""
    values: List[Dict[str, Any]] = [{"value": energy, "measurand": "Energy.Active.Import.Register"}]
    if power is not None:
        values.append(
            {"value": power, "measurand": "Power.Active.Import", "unitOfMeasure": {"unit": "W"}}
        )
    info = {"transactionId": transaction, **extra.pop("info", {})}
    payload = {
        "eventType": kind,
        "timestamp": c.now(),
        "triggerReason": trigger,
        "seqNo": seq,
        "transactionInfo": info,
        "meterValue": [{"timestamp": c.now(), "sampledValue": values}],
        **extra,
    }
    answer = {"idTokenInfo": {"status": "Accepted"}} if kind == "Started" else {}
    c.exchange("TransactionEvent", payload, answer)


def rows_201() -> List[Dict[str, Any]]:
    """OCPP 2.0.1 rows of six stations, broken like those of :func:`rows_16`."""
    rows = []
    for i in range(6):
        c = Conversation(f"CS-{i + 1}", START + dt.timedelta(seconds=5 * i))
        boot = {"chargingStation": {"model": "AC22", "vendorName": "Acme"}, "reason": "PowerUp"}
        if i == 1:
            del boot["reason"]
        c.exchange(
            "BootNotification",
            boot,
            {"currentTime": c.now(), "interval": 300, "status": "Accepted"},
        )
        status = "Broken" if i == 2 else "Available"
        c.exchange(
            "StatusNotification",
            {"timestamp": c.now(), "connectorStatus": status, "evseId": 1, "connectorId": 1},
            {},
        )
        heartbeat = c.call("Heartbeat", {})
        if i != 3:
            c.result(heartbeat, {"currentTime": c.now()})
        token = {"idToken": f"TAG-{i + 1}", "type": "ISO14443"}
        c.exchange("Authorize", {"idToken": token}, {"idTokenInfo": {"status": "Accepted"}})
        transaction = f"T-{i + 1}"

        started = {"evse": {"id": 1, "connectorId": 1}, "idToken": token}
        transaction_event(c, transaction, "Started", 0, "Authorized", 1000, None, **started)
        c.exchange(
            "StatusNotification",
            {"timestamp": c.now(), "connectorStatus": "Occupied", "evseId": 1, "connectorId": 1},
            {},
        )
        for seq, (energy, power) in enumerate(
            ((2500, 7200), (2000 if i == 4 else 4000, 0), (4600, 0)), 1
        ):
            c.time += dt.timedelta(minutes=5)
            transaction_event(c, transaction, "Updated", seq, "MeterValuePeriodic", energy, power)
        if i == 5:
            c.error(c.call("DataTransfer", {"vendorId": "Acme"}), "NotImplemented")
        ended: Dict[str, Any] = {"info": {"stoppedReason": "EVDisconnected"}}
        if i == 0:
            ended["extra"] = True
        transaction_event(c, transaction, "Ended", 4, "EVCommunicationLost", 5000, None, **ended)
        c.exchange(
            "StatusNotification",
            {"timestamp": c.now(), "connectorStatus": "Available", "evseId": 1, "connectorId": 1},
            {},
        )
        rows.extend(c.rows)
    return rows


def _time(text: str) -> dt.datetime:
    return dt.datetime.fromisoformat(text.replace("Z", "+00:00"))


TABLES: Dict[str, Path] = {}
ROWS: Dict[str, List[Dict[str, Any]]] = {}


def _write_tables(base: Path) -> None:
    """Parquet tables (rows shuffled, three files each, so that Spark's sort is what puts them
    in order), a Hive-partitioned copy of the 1.6 rows, a copy of the 2.0.1 rows under other
    column names with a Parquet timestamp, and the same rows as JSON Lines in the order the
    CLI is to read them (by charge point, then time)."""
    import pyarrow as pa
    import pyarrow.dataset as ds
    import pyarrow.parquet as pq

    schema = pa.schema(
        [
            ("message_id", pa.string()),
            ("message_type", pa.int64()),
            ("charge_point_id", pa.string()),
            ("action", pa.string()),
            ("write_timestamp", pa.string()),
            ("body", pa.string()),
        ]
    )
    for name, rows in (("v16", rows_16()), ("v201", rows_201())):
        ordered = sorted(rows, key=lambda r: (r["charge_point_id"], _time(r["write_timestamp"])))
        ROWS[name] = ordered
        jsonl = base / f"{name}.jsonl"
        with jsonl.open("w") as out:
            for row in ordered:
                out.write(json.dumps(row) + "\n")
        TABLES[f"{name}.jsonl"] = jsonl
        shuffled = list(rows)
        random.Random(len(rows)).shuffle(shuffled)
        directory = base / f"{name}.parquet"
        directory.mkdir()
        third = len(shuffled) // 3 + 1
        for part in range(3):
            chunk = shuffled[part * third : (part + 1) * third]
            pq.write_table(
                pa.Table.from_pylist(chunk, schema=schema), directory / f"part-{part}.parquet"
            )
        TABLES[name] = directory
        hive = base / f"{name}.hive"
        ds.write_dataset(
            pa.Table.from_pylist(ordered, schema=schema),
            hive,
            format="parquet",
            partitioning=["charge_point_id"],
            partitioning_flavor="hive",
        )
        TABLES[f"{name}.hive"] = hive
    renamed = pa.table(
        {
            "msg_id": [r["message_id"] for r in ROWS["v201"]],
            "msg_type": [r["message_type"] for r in ROWS["v201"]],
            "station": [r["charge_point_id"] for r in ROWS["v201"]],
            "act": [r["action"] for r in ROWS["v201"]],
            "logged": pa.array(
                [_time(r["write_timestamp"]) for r in ROWS["v201"]],
                pa.timestamp("ms", tz="UTC"),
            ),
            "payload_text": [r["body"] for r in ROWS["v201"]],
        }
    )
    TABLES["v201.renamed"] = base / "v201-renamed.parquet"
    pq.write_table(renamed, TABLES["v201.renamed"])


# --------------------------------------------------------------------------------------------
# What the CLI says
# --------------------------------------------------------------------------------------------


def _cli(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [str(CLI), "--color", "never", "-q", *args], capture_output=True, text=True, timeout=120
    )


def cli_findings(
    name: str,
    version: Optional[str] = None,
    semantic: bool = True,
    positions: bool = False,
    profile: Optional[str] = None,
) -> collections.Counter:
    """The CLI's findings of the JSON Lines of `name`, as a multiset of (charge point, rule,
    severity, category, pointer, message, error code, value as canonical JSON), and with
    `positions` the record (0-based) and line too."""
    args = ["check", "--format", "json"]
    if version:
        args += ["--ocpp", version]
    if not semantic:
        args.append("--no-semantic")
    if profile:
        args += ["--profile", profile]
    done = _cli(*args, str(TABLES[f"{name}.jsonl"]))
    if done.returncode not in (0, 1):
        raise AssertionError(f"ocpp-validate check failed ({done.returncode}): {done.stderr}")
    rows = ROWS[name]
    found: collections.Counter = collections.Counter()
    for line in done.stdout.splitlines():
        entry = json.loads(line)
        if "summary" in entry:
            continue
        record = entry.get("record")
        charge_point = rows[record]["charge_point_id"] if record is not None else None
        value = json.dumps(entry["value"], sort_keys=True) if "value" in entry else None
        key = (
            charge_point,
            entry["rule"],
            entry["severity"],
            entry["category"],
            entry["pointer"],
            entry["message"],
            entry.get("errorCode"),
            value,
        )
        if positions:
            key += (record, entry["line"])
        found[key] += 1
    return found


def spark_findings(frame, positions: bool = False) -> collections.Counter:
    """The findings of a DataFrame, keyed as :func:`cli_findings` keys them."""
    found: collections.Counter = collections.Counter()
    for row in frame.collect():
        value = (
            json.dumps(json.loads(row["value"]), sort_keys=True)
            if row["value"] is not None
            else None
        )
        key = (
            row["charge_point_id"],
            row["rule"],
            row["severity"],
            row["category"],
            row["pointer"],
            row["message"],
            row["error_code"],
            value,
        )
        if positions:
            key += (row["row"], row["line"])
        found[key] += 1
    return found


def cli_summary(name: str, version: Optional[str] = None) -> Dict[str, Any]:
    args = ["summary", "--format", "json"]
    if version:
        args += ["--ocpp", version]
    done = _cli(*args, str(TABLES[f"{name}.jsonl"]))
    if done.returncode != 0:
        raise AssertionError(f"ocpp-validate summary failed ({done.returncode}): {done.stderr}")
    return json.loads(done.stdout)


def _camel(name: str) -> str:
    head, *rest = name.split("_")
    return head + "".join(part[:1].upper() + part[1:] for part in rest)


def as_json(value: Any, field: str = "") -> Any:
    """A Spark row (as a dict) back in the summary JSON's form: camelCase members, nulls left
    out, numbers as floats. The map `time_in_status` keeps its keys."""
    if isinstance(value, dict):
        if field == "time_in_status":
            return {k: as_json(v) for k, v in value.items()}
        return {
            ("id" if k == "charge_point_id" else _camel(k)): as_json(v, k)
            for k, v in value.items()
            if v is not None
        }
    if isinstance(value, list):
        return [as_json(v) for v in value]
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return float(value)
    return value


def floats(value: Any) -> Any:
    """The CLI's JSON with every number a float (Spark holds them as longs and doubles)."""
    if isinstance(value, dict):
        return {k: floats(v) for k, v in value.items()}
    if isinstance(value, list):
        return [floats(v) for v in value]
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return float(value)
    return value


def canonical(items: List[Any]) -> List[str]:
    return sorted(json.dumps(item, sort_keys=True) for item in items)


# --------------------------------------------------------------------------------------------
# The tests
# --------------------------------------------------------------------------------------------


class ValidateTest(unittest.TestCase):
    def assertSameFindings(
        self,
        frame,
        name: str,
        version: Optional[str] = None,
        semantic: bool = True,
        positions: bool = False,
        profile: Optional[str] = None,
    ):
        from ocpp_toolkit import spark as ocpp_spark

        self.assertEqual(frame.schema, ocpp_spark.FINDINGS_SCHEMA)
        expected = cli_findings(name, version, semantic, positions, profile)
        got = spark_findings(frame, positions)
        self.assertTrue(expected, "the CLI found nothing: the test rows lost their faults")
        missing = expected - got
        extra = got - expected
        self.assertFalse(
            missing or extra,
            f"findings differ from the CLI's\nonly the CLI: {sorted(missing.items(), key=str)}\n"
            f"only Spark: {sorted(extra.items(), key=str)}",
        )
        return got

    def test_16_findings_are_the_clis(self):
        from ocpp_toolkit import spark as ocpp_spark

        from pyspark.sql import functions as F

        rows = spark.read.parquet(str(TABLES["v16"]))
        frame = ocpp_spark.validate(rows)
        got = self.assertSameFindings(frame, "v16")
        # The charge points were checked in several partitions.
        partitions = {r[0] for r in frame.select(F.spark_partition_id()).collect()}
        self.assertGreater(len(partitions), 1, partitions)
        # The faults put in the rows are among them, each on its charge point.
        by_charge_point = {key[0] for key in got if key[2] == "error"}
        self.assertTrue({"CP-1", "CP-2", "CP-3", "CP-5"} <= by_charge_point, by_charge_point)
        self.assertIn("CP-4", {key[0] for key in got if key[3] == "correlation"})

    def test_201_findings_are_the_clis_with_the_version_given(self):
        from ocpp_toolkit import spark as ocpp_spark

        rows = spark.read.parquet(str(TABLES["v201"]))
        got = self.assertSameFindings(ocpp_spark.validate(rows, version="2.0.1"), "v201", "2.0.1")
        by_charge_point = {key[0] for key in got if key[2] == "error"}
        self.assertTrue({"CS-1", "CS-2", "CS-3", "CS-5"} <= by_charge_point, by_charge_point)
        self.assertIn("CS-4", {key[0] for key in got if key[3] == "correlation"})

    def test_findings_without_semantic_rules_are_the_clis(self):
        from ocpp_toolkit import spark as ocpp_spark

        rows = spark.read.parquet(str(TABLES["v16"]))
        got = self.assertSameFindings(
            ocpp_spark.validate(rows, semantic=False), "v16", semantic=False
        )
        self.assertNotIn("semantic", {key[3] for key in got})

    def test_tolerant_profile_findings_are_the_clis(self):
        from ocpp_toolkit import spark as ocpp_spark

        rows = spark.read.parquet(str(TABLES["v16"]))
        frame = ocpp_spark.validate(rows, profile="field-chargers")
        got = self.assertSameFindings(frame, "v16", profile="field-chargers")
        # The profile changed something: CP-1's unknown member is forgiven with a warning.
        self.assertNotEqual(got, cli_findings("v16"))

    def test_hive_partitioned_table(self):
        from ocpp_toolkit import spark as ocpp_spark

        rows = spark.read.parquet(str(TABLES["v16.hive"]))
        # The charge point comes from the directory names, as the table's last column.
        self.assertEqual(rows.columns[-1], "charge_point_id")
        self.assertSameFindings(ocpp_spark.validate(rows, partitions=3), "v16")

    def test_renamed_columns_and_a_timestamp_column(self):
        from ocpp_toolkit import spark as ocpp_spark

        rows = spark.read.parquet(str(TABLES["v201.renamed"]))
        self.assertSameFindings(ocpp_spark.validate(rows, columns=RENAMED_COLUMNS), "v201")

    def test_one_partition_reads_the_rows_in_the_clis_order(self):
        from ocpp_toolkit import spark as ocpp_spark

        # In one partition the rows are those of the JSON Lines file, in its order: the
        # findings' rows and lines are the CLI's records and lines.
        rows = spark.read.parquet(str(TABLES["v201"]))
        self.assertSameFindings(ocpp_spark.validate(rows, partitions=1), "v201", positions=True)

    def test_empty_partitions_are_not_checked(self):
        from ocpp_toolkit import spark as ocpp_spark

        # 16 partitions for 6 charge points: most are empty, and an empty input would be
        # reported (`input-empty`) were it checked.
        rows = spark.read.parquet(str(TABLES["v201"]))
        self.assertSameFindings(ocpp_spark.validate(rows, partitions=16), "v201")

    def test_kept_columns_join_findings_to_their_rows(self):
        from ocpp_toolkit import spark as ocpp_spark

        rows = spark.read.parquet(str(TABLES["v16"]))
        keys = ["message_id", "write_timestamp"]
        frame = ocpp_spark.validate(rows, keep=keys)
        self.assertEqual(frame.columns, ocpp_spark.FINDINGS_SCHEMA.fieldNames() + keys)
        self.assertEqual(frame.schema["write_timestamp"].dataType, rows.schema["write_timestamp"].dataType)
        found = frame.collect()
        self.assertTrue(found)
        joined = frame.join(rows, ["charge_point_id", *keys], "left_semi").count()
        self.assertEqual(joined, len(found), "every finding names a row of the table")
        plain = sorted(tuple(r) for r in ocpp_spark.validate(rows).drop("row", "line").collect())
        kept = sorted(tuple(r) for r in frame.drop("row", "line", *keys).collect())
        self.assertEqual(plain, kept)
        with self.assertRaisesRegex(ValueError, "no column"):
            ocpp_spark.validate(rows, keep=["nope"])

    def test_unknown_or_missing_columns_are_refused(self):
        from ocpp_toolkit import spark as ocpp_spark

        rows = spark.read.parquet(str(TABLES["v16"]))
        with self.assertRaisesRegex(ValueError, "unknown column keys"):
            ocpp_spark.validate(rows, columns={"payload": "body"})
        with self.assertRaisesRegex(ValueError, "no timestamp column"):
            ocpp_spark.validate(rows.drop("write_timestamp"))
        with self.assertRaisesRegex(ValueError, "not in the DataFrame"):
            ocpp_spark.validate(rows, columns={"body": "nope"})


class RepairTest(unittest.TestCase):
    def test_repairs_are_the_clis_and_bodies_those_of_repair_batches(self):
        import pyarrow as pa

        import ocpp_toolkit
        from ocpp_toolkit import spark as ocpp_spark

        profile = "field-chargers"
        rows = spark.read.parquet(str(TABLES["v16"]))
        frame = ocpp_spark.repair(rows, profile=profile)
        self.assertEqual(frame.columns, rows.columns + ["repairs"])
        got = {(r["charge_point_id"], r["write_timestamp"]): r for r in frame.collect()}
        self.assertEqual(len(got), len(ROWS["v16"]))

        # The repairs are the tolerant decoder's findings of `check --profile`, row by row.
        done = _cli("check", "--format", "json", "--profile", profile, str(TABLES["v16.jsonl"]))
        want_repairs = collections.defaultdict(list)
        for line in done.stdout.splitlines():
            entry = json.loads(line)
            if entry.get("category") == "tolerant":
                row = ROWS["v16"][entry["record"]]
                want_repairs[(row["charge_point_id"], row["write_timestamp"])].append(
                    (
                        entry["rule"],
                        entry["severity"],
                        entry["pointer"],
                        entry["message"],
                        json.dumps(entry.get("value"), sort_keys=True),
                    )
                )
        self.assertTrue(want_repairs, "the CLI repaired nothing: the test rows lost their quirks")
        got_repairs = {
            key: sorted(
                (
                    r["rule"],
                    r["severity"],
                    r["pointer"],
                    r["message"],
                    json.dumps(r.get("value"), sort_keys=True),
                )
                for r in json.loads(row["repairs"])
            )
            for key, row in got.items()
        }
        self.assertEqual(
            {k: v for k, v in got_repairs.items() if v},
            {k: sorted(v) for k, v in want_repairs.items()},
        )

        # The bodies are those repair_batches gives for the rows in the CLI's order.
        ordered = pa.Table.from_pylist(ROWS["v16"])
        direct = ocpp_toolkit.repair_batches(ordered, profile=profile).column("body").to_pylist()
        for row, body in zip(ROWS["v16"], direct):
            key = (row["charge_point_id"], row["write_timestamp"])
            self.assertEqual(got[key]["body"], body, key)
        answers = [
            json.loads(got[(r["charge_point_id"], r["write_timestamp"])]["body"])
            for r in ROWS["v16"]
            if r["charge_point_id"] == "CP-6" and "accepted" in r["body"]
        ]
        self.assertEqual(answers, [{"idTagInfo": {"status": "Accepted"}}])


class SummarizeTest(unittest.TestCase):
    def assertSameSummary(self, rows, name: str, version: Optional[str] = None, **kwargs):
        from ocpp_toolkit import spark as ocpp_spark

        frame = ocpp_spark.summary_frame(rows, version=version, **kwargs).cache()
        charge_points, sessions = ocpp_spark.split_summary(frame)
        self.assertEqual(charge_points.schema, ocpp_spark.CHARGE_POINTS_SCHEMA)
        self.assertEqual(sessions.schema, ocpp_spark.SESSIONS_SCHEMA)
        expected = cli_summary(name, version)["chargePoints"]
        self.assertEqual(len(expected), len({r["charge_point_id"] for r in ROWS[name]}))

        got_points = {
            row["charge_point_id"]: as_json(row.asDict(recursive=True))
            for row in charge_points.collect()
        }
        got_sessions = collections.defaultdict(list)
        for row in sessions.collect():
            session = as_json(row.asDict(recursive=True))
            got_sessions[session.pop("id")].append(session)
        frame.unpersist()

        self.assertEqual(sorted(got_points), sorted(point["id"] for point in expected))
        for point in expected:
            point = floats(point)
            want_sessions = point.pop("sessions")
            self.assertTrue(
                want_sessions, f"{point['id']} has no session: the test rows lost theirs"
            )
            with self.subTest(charge_point=point["id"]):
                self.assertEqual(got_points[point["id"]], point)
                self.assertEqual(canonical(got_sessions[point["id"]]), canonical(want_sessions))
        return got_points, got_sessions

    def test_16_summary_is_the_clis(self):
        rows = spark.read.parquet(str(TABLES["v16"]))
        points, sessions = self.assertSameSummary(rows, "v16")
        self.assertEqual(sessions["CP-1"][0]["energyWh"], 4000.0)
        self.assertEqual(
            points["CP-1"]["messages"],
            float(len([r for r in ROWS["v16"] if r["charge_point_id"] == "CP-1"])),
        )

    def test_201_summary_is_the_clis(self):
        rows = spark.read.parquet(str(TABLES["v201"]))
        points, sessions = self.assertSameSummary(rows, "v201", version="2.0.1")
        self.assertEqual(sessions["CS-1"][0]["transactionId"], "T-1")

    def test_hive_partitioned_summary_is_the_clis(self):
        rows = spark.read.parquet(str(TABLES["v201.hive"]))
        self.assertSameSummary(rows, "v201", partitions=2)

    def test_summary_of_renamed_columns_and_a_timestamp_column_is_the_clis(self):
        rows = spark.read.parquet(str(TABLES["v201.renamed"]))
        self.assertSameSummary(rows, "v201", columns=RENAMED_COLUMNS)

    def test_summarize_gives_both_frames(self):
        from ocpp_toolkit import spark as ocpp_spark

        rows = spark.read.parquet(str(TABLES["v16"]))
        charge_points, sessions = ocpp_spark.summarize(rows)
        self.assertEqual(
            sorted(r["charge_point_id"] for r in charge_points.select("charge_point_id").collect()),
            [f"CP-{i}" for i in range(1, 7)],
        )
        stopped = {
            r["charge_point_id"]: r["stop_reason"]
            for r in sessions.select("charge_point_id", "stop_reason").collect()
        }
        self.assertEqual(stopped, {f"CP-{i}": "EVDisconnected" for i in range(1, 7)})


if __name__ == "__main__":
    unittest.main()
