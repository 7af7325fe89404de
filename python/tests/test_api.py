"""The Python API against the Rust library it wraps and against the CLI: run with
``python -m unittest discover -s python/tests`` from the workspace root, after installing the
wheel. The comparisons with the CLI use ``target/debug/ocpp-validate`` (built by
``cargo test``); outside CI they are skipped when it is missing."""

import contextlib
import io
import json
import os
import subprocess
import tempfile
import unittest

import pyarrow as pa
import pyarrow.parquet as pq

import ocpp_toolkit as ocpp

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
CLI = os.path.join(ROOT, "target", "debug", "ocpp-validate")


def cli(*args):
    """The CLI's standard output for ``args``, or a skip when it is not built."""
    if not os.path.exists(CLI):
        if os.environ.get("CI") == "true":
            raise AssertionError(f"{CLI} is missing: build it with cargo test first")
        raise unittest.SkipTest(f"{CLI} is missing (cargo build -p ocpp-validate-cli)")
    run = subprocess.run([CLI, *args], capture_output=True, text=True, check=False)
    if run.returncode not in (0, 1):
        raise AssertionError(run.stderr)
    return run.stdout


def lake_rows():
    """Two 1.6 stations: boot, an authorization with a tag too long, a transaction with a
    meter register going backwards, and a CALL left unanswered at the end."""
    rows = []

    def row(cp, message_id, message_type, action, body, second):
        rows.append(
            {
                "message_id": message_id,
                "message_type": message_type,
                "charge_point_id": cp,
                "action": action,
                "timestamp": f"2025-11-29T10:00:{second:02d}Z",
                "body": json.dumps(body),
            }
        )

    for n, cp in enumerate(["CP-A", "CP-B"]):
        base = n * 20
        row(cp, "b1", 2, "BootNotification", {"chargePointVendor": "V", "chargePointModel": "M"}, base)
        row(cp, "b1", 3, None, {"status": "Accepted", "currentTime": "2025-11-29T10:00:00Z", "interval": 300}, base + 1)
        row(cp, "a1", 2, "Authorize", {"idTag": "A-TAG-THAT-IS-MUCH-TOO-LONG"}, base + 2)
        row(cp, "a1", 3, None, {"idTagInfo": {"status": "Accepted"}}, base + 3)
        row(cp, "s1", 2, "StartTransaction", {"connectorId": 1, "idTag": "T1", "meterStart": 1000, "timestamp": "2025-11-29T10:00:04Z"}, base + 4)
        row(cp, "s1", 3, None, {"transactionId": 7 + n, "idTagInfo": {"status": "Accepted"}}, base + 5)
        row(cp, "m1", 2, "MeterValues", {"connectorId": 1, "transactionId": 7 + n, "meterValue": [{"timestamp": "2025-11-29T10:00:06Z", "sampledValue": [{"value": "900"}]}]}, base + 6)
        row(cp, "m1", 3, None, {}, base + 7)
        row(cp, "h1", 2, "Heartbeat", {}, base + 8)
    return rows


def table(rows):
    return pa.Table.from_pylist(rows)


def jsonl(rows, directory):
    path = os.path.join(directory, "rows.jsonl")
    with open(path, "w", encoding="utf-8") as out:
        for r in rows:
            out.write(json.dumps(r) + "\n")
    return path


class Validate(unittest.TestCase):
    def test_violations_carry_rule_pointer_and_error_code(self):
        found = ocpp.validate("1.6", "Authorize", "request", {"idTag": "A-TAG-THAT-IS-MUCH-TOO-LONG", "extra": 1})
        self.assertEqual(
            [(f.rule, f.pointer, f.error_code) for f in found],
            [
                ("schema-max-length", "/idTag", "PropertyConstraintViolation"),
                ("schema-additional-property", "/extra", "FormationViolation"),
            ],
        )
        self.assertEqual(found[0].value, '"A-TAG-THAT-IS-MUCH-TOO-LONG"')
        self.assertEqual(found[0].severity, "error")
        self.assertEqual(ocpp.validate("2.0.1", "Heartbeat", "request", "{}"), [])

    def test_unknown_actions_and_broken_json_raise_with_where(self):
        with self.assertRaises(ocpp.UnknownActionError) as raised:
            ocpp.validate("1.6", "NoSuchAction", "request", {})
        self.assertEqual(raised.exception.action, "NoSuchAction")
        with self.assertRaises(ocpp.PayloadError) as raised:
            ocpp.validate("1.6", "Heartbeat", "request", '{"a":\n  nope}')
        self.assertEqual((raised.exception.line, raised.exception.column), (2, 4))
        self.assertIsInstance(raised.exception, ocpp.OcppError)
        with self.assertRaises(ValueError):
            ocpp.validate("1.5", "Heartbeat", "request", {})


class Frames(unittest.TestCase):
    def test_a_call_is_taken_apart(self):
        frame = ocpp.decode_frame('[2,"19","Authorize",{"idTag":"T1"}]')
        self.assertEqual((frame.message_type, frame.message_id, frame.action), ("CALL", "19", "Authorize"))
        self.assertEqual(json.loads(frame.payload), {"idTag": "T1"})
        error = ocpp.decode_frame('[4,"19","NotImplemented","",{}]', version="2.0.1")
        self.assertEqual((error.message_type, error.error_code, error.payload), ("CALLERROR", "NotImplemented", None))

    def test_a_broken_frame_raises_with_its_rule_and_answer(self):
        with self.assertRaises(ocpp.FrameError) as raised:
            ocpp.decode_frame('[2,"19","Authorize"]', version="2.0.1")
        error = raised.exception
        self.assertTrue(error.rule.startswith("frame-"), error.rule)
        self.assertEqual(error.reply_id, "19")
        self.assertIsNotNone(error.error_code)


class Tolerant(unittest.TestCase):
    def test_a_quirk_is_repaired_and_reported(self):
        normalized, repairs, decodes = ocpp.tolerant("1.6", "Authorize", "response", {"idTagInfo": {"status": "accepted"}})
        self.assertEqual(normalized, {"idTagInfo": {"status": "Accepted"}})
        self.assertEqual([(r.rule, r.pointer, r.verdict) for r in repairs], [("any.enum-case", "/idTagInfo/status", "warn")])
        self.assertTrue(decodes)
        _, repairs, _ = ocpp.tolerant("1.6", "Authorize", "response", {"idTagInfo": {"status": "Accepted"}})
        self.assertEqual(repairs, [])
        with self.assertRaises(ValueError):
            ocpp.tolerant("1.6", "Authorize", "response", {}, profile="no-such-profile")


class Batches(unittest.TestCase):
    def test_findings_equal_the_cli_on_the_same_rows(self):
        rows = lake_rows()
        found = ocpp.validate_batches(table(rows).to_batches(max_chunksize=4), version="1.6")
        self.assertIsInstance(found, pa.RecordBatch)
        mine = sorted(
            (r["line"], r["charge_point_id"], r["rule"], r["pointer"])
            for r in found.to_pylist()
        )
        with tempfile.TemporaryDirectory() as directory:
            output = cli("check", "--ocpp", "1.6", "--format", "json", jsonl(rows, directory))
        theirs = sorted(
            (f["line"], rows[f["line"] - 1]["charge_point_id"], f["rule"], f.get("pointer", ""))
            for f in map(json.loads, output.splitlines())
            if "rule" in f
        )
        self.assertEqual(mine, theirs)
        rules = {r for _, _, r, _ in mine}
        self.assertIn("schema-max-length", rules)
        self.assertIn("correlation-unanswered-call", rules)
        unanswered = [r for r in found.to_pylist() if r["rule"] == "correlation-unanswered-call"]
        self.assertEqual(sorted(r["charge_point_id"] for r in unanswered), ["CP-A", "CP-B"])

    def test_columns_are_renamed_and_a_table_or_batch_taken(self):
        rows = [{("payload" if k == "body" else k): v for k, v in r.items()} for r in lake_rows()]
        renamed = ocpp.validate_batch(table(rows).to_batches()[0], version="1.6", columns={"body": "payload"})
        plain = ocpp.validate_batches(table(lake_rows()), version="1.6")
        self.assertEqual(renamed.to_pylist(), plain.to_pylist())
        self.assertEqual(renamed.schema.names, ["row", "line", "charge_point_id", "rule", "severity", "category", "pointer", "message", "error_code", "value"])
        with self.assertRaises(ValueError):
            ocpp.validate_batches(table(rows), columns={"no_such_field": "x"})

    def test_kept_columns_join_the_findings_to_their_rows(self):
        rows = lake_rows()
        found = ocpp.validate_batches(table(rows).to_batches(max_chunksize=5), version="1.6", keep=["message_id", "timestamp"])
        self.assertEqual(found.schema.names[-2:], ["message_id", "timestamp"])
        for finding in found.to_pylist():
            source = rows[finding["row"]]
            self.assertEqual((finding["message_id"], finding["timestamp"]), (source["message_id"], source["timestamp"]))
        unanswered = [f["message_id"] for f in found.to_pylist() if f["rule"] == "correlation-unanswered-call"]
        self.assertEqual(unanswered, ["h1", "h1"])
        with self.assertRaises(ValueError):
            ocpp.validate_batches(table(rows), keep=["no_such_column"])
        with self.assertRaises(ValueError) as raised:
            ocpp.validate_batches(table(rows).append_column("rule", pa.array(["r"] * len(rows))), version="1.6", keep=["rule"])
        self.assertIn("already", str(raised.exception))
        empty = ocpp.validate_batches([], version="1.6", keep=["message_id"])
        self.assertIn("message_id", empty.schema.names)

    def test_semantic_rules_can_be_turned_off(self):
        rules = lambda batch: {r["rule"] for r in batch.to_pylist()}
        on = rules(ocpp.validate_batches(table(lake_rows()), version="1.6"))
        off = rules(ocpp.validate_batches(table(lake_rows()), version="1.6", semantic=False))
        semantic = {r for r in on if r not in off}
        self.assertTrue(semantic, on)
        self.assertTrue(off <= on)

    def test_an_error_while_iterating_is_raised_again(self):
        def batches():
            yield table(lake_rows()).to_batches()[0]
            raise KeyError("the source failed")

        with self.assertRaises(KeyError):
            ocpp.validate_batches(batches(), version="1.6")
        with self.assertRaises(TypeError):
            ocpp.validate_batches([1, 2], version="1.6")

    def test_the_summary_equals_the_cli_on_the_same_rows(self):
        rows = lake_rows()
        mine = ocpp.summarize(table(rows), version="1.6")
        with tempfile.TemporaryDirectory() as directory:
            theirs = json.loads(cli("summary", "--ocpp", "1.6", "--format", "json", jsonl(rows, directory)))
        self.assertEqual(mine, theirs)
        self.assertEqual(len(mine["chargePoints"]), 2, mine)


if __name__ == "__main__":
    unittest.main()


class Repair(unittest.TestCase):
    def rows(self):
        rows = lake_rows()[:4]
        rows[1]["body"] = json.dumps({"status": "accepted", "currentTime": "2025-11-29T10:00:00Z", "interval": 300})
        rows[3]["body"] = json.dumps({"id_tag_info": {"status": "Accepted"}})
        return rows

    def test_rows_are_repaired_as_the_cli_reports_them(self):
        rows = self.rows()
        repaired = ocpp.repair(table(rows), profile="default", version="1.6")
        self.assertEqual(repaired.num_rows, len(rows))
        self.assertEqual(json.loads(repaired.column("body")[1].as_py())["status"], "Accepted")
        self.assertEqual(json.loads(repaired.column("body")[3].as_py()), {"idTagInfo": {"status": "Accepted"}})
        self.assertEqual(json.loads(repaired.column("body")[0].as_py()), json.loads(rows[0]["body"]))
        mine = sorted(
            (n + 1, r["rule"], r["pointer"])
            for n, text in enumerate(repaired.column("repairs").to_pylist())
            for r in json.loads(text)
        )
        with tempfile.TemporaryDirectory() as directory:
            output = cli("check", "--ocpp", "1.6", "--profile", "default", "--format", "json", jsonl(rows, directory))
        theirs = sorted(
            (f["line"], f["rule"], f.get("pointer", ""))
            for f in map(json.loads, output.splitlines())
            if f.get("category") == "tolerant"
        )
        self.assertEqual(mine, theirs)
        # The tag over 20 characters is cut; snake_case keys are read as such by the lake reader.
        self.assertEqual({rule for _, rule, _ in mine}, {"any.enum-case", "any.string-too-long"})
        self.assertEqual(json.loads(repaired.column("body")[2].as_py()), {"idTag": "A-TAG-THAT-IS-MUCH-T"})

    def test_a_valid_row_has_no_repairs(self):
        repaired = ocpp.repair_batches(table(lake_rows()[:2]), version="1.6")
        self.assertEqual(repaired.column("repairs").to_pylist(), ["[]", "[]"])


class ReadmeExample(unittest.TestCase):
    def test_the_readme_example_runs_on_a_parquet_export(self):
        with open(os.path.join(ROOT, "README.md"), encoding="utf-8") as readme:
            text = readme.read()
        marker = "<!-- python-example -->\n```python\n"
        start = text.index(marker) + len(marker)
        example = text[start : text.index("```", start)]
        with tempfile.TemporaryDirectory() as directory:
            pq.write_table(table(lake_rows()), os.path.join(directory, "export.parquet"))
            printed = io.StringIO()
            cwd = os.getcwd()
            os.chdir(directory)
            try:
                with contextlib.redirect_stdout(printed):
                    exec(compile(example, "README.md", "exec"), {})
            finally:
                os.chdir(cwd)
        lines = printed.getvalue().splitlines()
        self.assertIn("'rule': 'schema-max-length', 'row_count': 2", lines[0])
        self.assertEqual(lines[1:], ["CP-A 7 2025-11-29T10:00:04Z 0", "CP-B 8 2025-11-29T10:00:04Z 0"])
