//! Parquet inputs, written by the tests with the `parquet` crate: a file with string bodies,
//! a Hive-partitioned Spark folder with struct bodies and microsecond timestamps, a Delta
//! table whose log removes a file, a file of many row groups read one row at a time, and
//! damaged input reported, not panicked on; then files, Hive datasets and Delta tables written
//! by pyarrow and deltalake, anonymized into Parquet those libraries read back.
#![cfg(feature = "parquet")]

use std::fs::File;
use std::io::Read;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use assert_cmd::Command;
use ocpp_validate::trace::parquet::ParquetRows;
use parquet::data_type::{ByteArray, ByteArrayType, Int32Type, Int64Type};
use parquet::file::properties::WriterProperties;
use parquet::file::writer::SerializedFileWriter;
use parquet::schema::parser::parse_message_type;

/// The values of one leaf column, every one present.
enum Column {
    Text(Vec<String>),
    Int(Vec<i32>),
    Long(Vec<i64>),
}

/// Writes a Parquet file of `schema` (all leaves required) holding `columns` in leaf order,
/// `per_group` rows per row group.
fn write(path: &Path, schema: &str, columns: &[Column], per_group: usize) {
    let schema = Arc::new(parse_message_type(schema).expect("schema"));
    let props = Arc::new(WriterProperties::builder().build());
    let file = File::create(path).expect("writable");
    let mut writer = SerializedFileWriter::new(file, schema, props).expect("writer");
    let rows = match &columns[0] {
        Column::Text(v) => v.len(),
        Column::Int(v) => v.len(),
        Column::Long(v) => v.len(),
    };
    for start in (0..rows).step_by(per_group) {
        let range = start..(start + per_group).min(rows);
        let mut group = writer.next_row_group().expect("row group");
        for column in columns {
            let mut leaf = group.next_column().expect("column").expect("a leaf");
            match column {
                Column::Text(values) => {
                    let values: Vec<ByteArray> = values[range.clone()]
                        .iter()
                        .map(|v| ByteArray::from(v.as_str()))
                        .collect();
                    leaf.typed::<ByteArrayType>()
                        .write_batch(&values, None, None)
                        .expect("written");
                }
                Column::Int(values) => {
                    leaf.typed::<Int32Type>()
                        .write_batch(&values[range.clone()], None, None)
                        .expect("written");
                }
                Column::Long(values) => {
                    leaf.typed::<Int64Type>()
                        .write_batch(&values[range.clone()], None, None)
                        .expect("written");
                }
            }
            leaf.close().expect("closed");
        }
        group.close().expect("row group closed");
    }
    writer.close().expect("file closed");
}

/// A fresh temporary directory for `test`.
fn dir(test: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("ocpp-parquet-{}-{test}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("temp dir");
    dir
}

/// Every JSON line a Parquet input reads as.
fn lines(path: &Path) -> Vec<serde_json::Value> {
    let mut text = String::new();
    ParquetRows::open(path)
        .expect("opens")
        .read_to_string(&mut text)
        .expect("reads");
    text.lines()
        .map(|l| serde_json::from_str(l).expect("JSON"))
        .collect()
}

/// `check --format json` on `path`: its output, and the exit code.
fn check(path: &Path) -> (String, i32) {
    let output = Command::cargo_bin("ocpp-validate")
        .expect("binary")
        .args([
            "check",
            "--ocpp",
            "1.6",
            "--no-semantic",
            "--format",
            "json",
        ])
        .arg(path)
        .output()
        .expect("runs");
    let text =
        String::from_utf8(output.stdout).expect("UTF-8") + &String::from_utf8_lossy(&output.stderr);
    (text, output.status.code().unwrap_or(-1))
}

fn texts(values: &[&str]) -> Column {
    Column::Text(values.iter().map(|v| (*v).to_owned()).collect())
}

const STRING_BODIES: &str = "message row {
    required binary message_id (UTF8); required int32 message_type;
    required binary charge_point_id (UTF8); required binary action (UTF8);
    required binary timestamp (UTF8); required binary body (UTF8); }";

#[test]
fn a_file_with_string_bodies_is_checked_row_by_row() {
    let dir = dir("string-bodies");
    let file = dir.join("export.parquet");
    write(
        &file,
        STRING_BODIES,
        &[
            texts(&["1", "1", "2"]),
            Column::Int(vec![2, 3, 2]),
            texts(&["CP1", "CP1", "CP1"]),
            texts(&["Heartbeat", "", "StatusNotification"]),
            texts(&[
                "2026-11-29T10:00:00.123456Z",
                "2026-11-29T10:00:01Z",
                "2026-11-29T10:00:02Z",
            ]),
            texts(&[
                "{}",
                r#"{"currentTime":"2026-11-29T10:00:01Z"}"#,
                r#"{"connectorId":1,"errorCode":"NoError","status":"Charged"}"#,
            ]),
        ],
        2,
    );
    let (text, status) = check(&file);
    assert_eq!(status, 1, "{text}");
    let findings: Vec<&str> = text.lines().filter(|l| l.contains("\"error\"")).collect();
    assert_eq!(findings.len(), 1, "{text}");
    assert!(findings[0].contains("\"rule\":\"schema-enum\""), "{text}");
    assert!(findings[0].contains("\"line\":3"), "the third row: {text}");
    assert!(text.contains("\"records\":3"), "{text}");
    std::fs::remove_dir_all(dir).expect("clean up");
}

#[test]
fn a_hive_partitioned_folder_fills_columns_from_its_paths_and_keeps_microseconds() {
    let dir = dir("hive");
    let schema = "message row {
        required binary message_id (UTF8);
        required int64 write_timestamp (TIMESTAMP(MICROS,true));
        required group body { required int32 connector_id; required binary error_code (UTF8);
                              required binary status (UTF8); } }";
    for (cp, status) in [("CP%3A1", "Available"), ("CP2", "Charged")] {
        let part = dir.join(format!(
            "action=StatusNotification/message_type=2/charge_point_id={cp}"
        ));
        std::fs::create_dir_all(&part).expect("partition dir");
        write(
            &part.join("part-00000-abc.c000.snappy.parquet"),
            schema,
            &[
                texts(&["s1"]),
                Column::Long(vec![1_764_410_400_123_456]),
                Column::Int(vec![1]),
                texts(&["NoError"]),
                texts(&[status]),
            ],
            1,
        );
        std::fs::write(part.join(".part-00000-abc.c000.snappy.parquet.crc"), "x").expect("crc");
    }
    std::fs::write(dir.join("_SUCCESS"), "").expect("marker");
    let rows = lines(&dir);
    assert_eq!(rows.len(), 2);
    assert_eq!(
        rows[0],
        serde_json::json!({
            "message_id": "s1",
            "write_timestamp": "2025-11-29T10:00:00.123456Z",
            "body": {"connector_id": 1, "error_code": "NoError", "status": "Available"},
            "charge_point_id": "CP:1",
            "message_type": "2",
            "action": "StatusNotification",
        })
    );
    let (text, status) = check(&dir);
    assert_eq!(status, 1, "{text}");
    let findings: Vec<&str> = text.lines().filter(|l| l.contains("\"rule\"")).collect();
    assert!(
        findings
            .iter()
            .all(|f| !f.contains("framing") || f.contains("lake-snake-case-keys")),
        "partition values fill message_type and action: {text}"
    );
    assert!(
        findings
            .iter()
            .any(|f| f.contains("schema-enum") && f.contains("\"line\":2")),
        "{text}"
    );
    std::fs::remove_dir_all(dir).expect("clean up");
}

#[test]
fn a_delta_table_reads_the_files_its_log_keeps() {
    let dir = dir("delta");
    let file = |name: &str, id: &str| {
        write(
            &dir.join(name),
            STRING_BODIES,
            &[
                texts(&[id]),
                Column::Int(vec![2]),
                texts(&["CP1"]),
                texts(&["Heartbeat"]),
                texts(&["2026-11-29T10:00:00Z"]),
                texts(&["{}"]),
            ],
            1,
        );
    };
    file("part-a.parquet", "a");
    file("part-b.parquet", "b");
    file("part-c.parquet", "c");
    let log = dir.join("_delta_log");
    std::fs::create_dir_all(&log).expect("log dir");
    let add = |path: &str| {
        format!(
            r#"{{"add":{{"path":"{path}","partitionValues":{{}},"size":1,"modificationTime":0,"dataChange":true}}}}"#
        )
    };
    std::fs::write(
        log.join("00000000000000000000.json"),
        format!(
            "{}\n{}\n{}\n{}\n",
            r#"{"protocol":{"minReaderVersion":1,"minWriterVersion":2}}"#,
            r#"{"metaData":{"id":"t","format":{"provider":"parquet","options":{}},"schemaString":"{}","partitionColumns":[],"configuration":{}}}"#,
            add("part-a.parquet"),
            add("part-b.parquet")
        ),
    )
    .expect("commit 0");
    std::fs::write(
        log.join("00000000000000000001.json"),
        format!(
            "{}\n{}\n",
            r#"{"remove":{"path":"part-a.parquet","deletionTimestamp":1,"dataChange":true}}"#,
            add("part-c.parquet")
        ),
    )
    .expect("commit 1");
    let ids: Vec<_> = lines(&dir)
        .iter()
        .map(|row| row["message_id"].clone())
        .collect();
    assert_eq!(ids, ["b", "c"], "part-a was removed");
    let (text, status) = check(&dir);
    assert_eq!(status, 0, "{text}");
    assert!(text.contains("\"records\":2"), "{text}");
    // A log that starts at a checkpoint is refused, naming the missing commit.
    std::fs::remove_file(log.join("00000000000000000000.json")).expect("removed");
    std::fs::write(log.join("00000000000000000000.checkpoint.parquet"), "").expect("checkpoint");
    let error = ParquetRows::open(&dir).expect_err("refused");
    assert!(
        error
            .message
            .contains("has no commit 00000000000000000000.json"),
        "{error}"
    );
    assert!(
        error.message.contains("checkpoints are not read"),
        "{error}"
    );
    std::fs::remove_dir_all(dir).expect("clean up");
}

#[test]
fn many_row_groups_are_read_one_row_at_a_time() {
    let dir = dir("row-groups");
    let file = dir.join("big.parquet");
    let rows = 20_000;
    let ids: Vec<String> = (0..rows).map(|i| format!("m{i:05}")).collect();
    write(
        &file,
        STRING_BODIES,
        &[
            Column::Text(ids),
            Column::Int(vec![2; rows]),
            Column::Text(vec!["CP1".to_owned(); rows]),
            Column::Text(vec!["Heartbeat".to_owned(); rows]),
            Column::Text(vec!["2026-11-29T10:00:00Z".to_owned(); rows]),
            Column::Text(vec!["{}".to_owned(); rows]),
        ],
        500,
    );
    let mut reader = ParquetRows::open(&file).expect("opens");
    let mut sink = Vec::new();
    let mut buf = [0u8; 64];
    let mut longest = 0;
    loop {
        let n = reader.read(&mut buf).expect("reads");
        if n == 0 {
            break;
        }
        sink.extend_from_slice(&buf[..n]);
        if let Some(end) = sink.iter().rposition(|b| *b == b'\n') {
            let kept = sink.split_off(end + 1);
            longest = longest.max(
                sink.split(|b| *b == b'\n')
                    .map(<[u8]>::len)
                    .max()
                    .unwrap_or(0)
                    + 1,
            );
            sink = kept;
        }
    }
    assert_eq!(reader.rows_read(), rows as u64);
    // The reader never holds more than the row it is handing out.
    assert_eq!(reader.most_bytes_buffered(), longest);
    assert!(longest < 200, "{longest}");
    std::fs::remove_dir_all(dir).expect("clean up");
}

#[test]
fn damaged_files_are_reported_with_their_name() {
    let dir = dir("damaged");
    let file = dir.join("export.parquet");
    write(
        &file,
        STRING_BODIES,
        &[
            texts(&["1"]),
            Column::Int(vec![2]),
            texts(&["CP1"]),
            texts(&["Heartbeat"]),
            texts(&["2026-11-29T10:00:00Z"]),
            texts(&["{}"]),
        ],
        1,
    );
    let whole = std::fs::read(&file).expect("written");
    let broken = dir.join("broken.parquet");
    for cut in [0, 4, whole.len() / 2, whole.len() - 9] {
        std::fs::write(&broken, &whole[..cut]).expect("written");
        let (text, status) = check(&broken);
        assert_eq!(status, 2, "{cut}: {text}");
        assert!(text.contains("broken.parquet"), "{cut}: {text}");
        assert!(!text.contains("panicked"), "{cut}: {text}");
    }
    // Every single-byte change of the footer's length is refused or read, never a panic.
    for at in whole.len() - 8..whole.len() - 4 {
        let mut bytes = whole.clone();
        bytes[at] ^= 0x5a;
        if let Ok(mut rows) = ParquetRows::from_bytes(bytes.into()) {
            let _ = rows.read_to_end(&mut Vec::new());
        }
    }
    let (text, status) = check(&dir.join("empty-dir"));
    assert_eq!(status, 2, "{text}");
    std::fs::create_dir_all(dir.join("empty-dir")).expect("dir");
    let (text, _) = check(&dir.join("empty-dir"));
    assert!(text.contains("a directory with no files to read"), "{text}");
    std::fs::remove_dir_all(dir).expect("clean up");
}

/// Python with pyarrow writes `script`'s file; `Err` says why it cannot (CI must have it).
fn pyarrow(script: &str) -> Result<(), String> {
    let output = std::process::Command::new("python3")
        .args(["-c", script])
        .output()
        .map_err(|e| format!("python3: {e}"))?;
    if output.status.success() {
        Ok(())
    } else {
        Err(format!(
            "python3 with pyarrow cannot write the file (pip install pyarrow): {}",
            String::from_utf8_lossy(&output.stderr)
        ))
    }
}

/// Whether pyarrow wrote `script`'s file; outside CI a missing pyarrow skips the test.
fn pyarrow_writes(script: &str) -> bool {
    match pyarrow(script) {
        Ok(()) => true,
        Err(why) => {
            assert!(
                std::env::var("CI").as_deref() != Ok("true"),
                "the pyarrow test needs pyarrow in CI: {why}"
            );
            println!("SKIPPED: {why}");
            false
        }
    }
}

#[test]
fn a_file_written_by_pyarrow_with_nanosecond_times_and_nulls_is_read() {
    let dir = dir("pyarrow");
    let file = dir.join("pyarrow.parquet");
    let script = format!(
        r#"
import pyarrow as pa, pyarrow.parquet as pq
table = pa.table({{
    "message_id": ["b1", "b1"],
    "message_type": pa.array([2, 3], pa.int64()),
    "charge_point_id": ["CP1", "CP1"],
    "action": ["BootNotification", None],
    "write_timestamp": pa.array([1764410400123456789, 1764410401000000000], pa.timestamp("ns", tz="UTC")),
    "body": ['{{"charge_point_vendor":"V","charge_point_model":"M","firmware_version":null}}',
             '{{"status":"Accepted","current_time":"2025-11-29T10:00:01Z","interval":300}}'],
}})
pq.write_table(table, {path:?}, compression="snappy", row_group_size=1)
"#,
        path = file.to_str().expect("UTF-8 path")
    );
    if !pyarrow_writes(&script) {
        return;
    }
    let rows = lines(&file);
    assert_eq!(rows.len(), 2);
    assert_eq!(rows[0]["write_timestamp"], "2025-11-29T10:00:00.123456789Z");
    assert_eq!(rows[1]["action"], serde_json::Value::Null);
    assert_eq!(rows[1]["message_type"], 3);
    let (text, status) = check(&file);
    assert_eq!(status, 1, "{text}");
    assert!(text.contains("\"records\":2,\"errors\":1"), "{text}");
    assert!(
        text.contains(r#""line":1,"rule":"schema-type","severity":"error","category":"schema","pointer":"/firmwareVersion""#),
        "the explicit null is kept: {text}"
    );
    std::fs::remove_dir_all(dir).expect("clean up");
}

/// What pyarrow reads of a Parquet file: its schema, compression, row groups, and the
/// charge point and body columns.
fn pyarrow_read(path: &Path) -> serde_json::Value {
    let script = format!(
        r#"
import json, pyarrow.parquet as pq
f = pq.ParquetFile({path:?})
t = f.read()
print(json.dumps({{
    "schema": str(t.schema.remove_metadata()),
    "compression": f.metadata.row_group(0).column(0).compression,
    "row_groups": f.metadata.num_row_groups,
    "ids": t.column("charge_point_id").to_pylist(),
    "bodies": t.column("body").to_pylist(),
}}))
"#,
        path = path.to_str().expect("UTF-8 path")
    );
    python_json(&script)
}

#[test]
fn a_pyarrow_file_is_anonymized_into_parquet_that_pyarrow_reads_back() {
    let dir = dir("anonymize-pyarrow");
    let (input, output) = (dir.join("in.parquet"), dir.join("out.parquet"));
    let script = format!(
        r#"
import pyarrow as pa, pyarrow.parquet as pq
table = pa.table({{
    "message_id": ["a1", "a1", "b1", "b1"],
    "message_type": pa.array([2, 3, 2, 3], pa.int64()),
    "charge_point_id": ["CP-SECRET-7", "CP-SECRET-7", "CP-SECRET-7", None],
    "action": ["Authorize", None, "Heartbeat", None],
    "write_timestamp": pa.array([1764410400123456789, 1764410401000000000, 1764410402000000000, 1764410403000000000], pa.timestamp("ns", tz="UTC")),
    "body": ['{{"id_tag":"TAG-SECRET-1"}}', '{{"id_tag_info":{{"status":"Accepted"}}}}', '{{}}', '{{"current_time":"2025-11-29T10:00:01Z"}}'],
}})
pq.write_table(table, {path:?}, compression="zstd", row_group_size=2)
"#,
        path = input.to_str().expect("UTF-8 path")
    );
    if !pyarrow_writes(&script) {
        return;
    }
    let run = Command::cargo_bin("ocpp-validate")
        .expect("built")
        .args(["anonymize", "--salt", "s", "-o"])
        .arg(&output)
        .arg(&input)
        .output()
        .expect("runs");
    let stderr = String::from_utf8_lossy(&run.stderr);
    assert_eq!(run.status.code(), Some(0), "{stderr}");
    assert!(stderr.contains("charge_point_id"), "{stderr}");
    let (before, after) = (pyarrow_read(&input), pyarrow_read(&output));
    for same in ["schema", "compression", "row_groups"] {
        assert_eq!(before[same], after[same], "{same}");
    }
    let ids = after["ids"].as_array().expect("ids");
    assert_eq!(ids[3], serde_json::Value::Null);
    assert_eq!(ids[0], ids[2], "the same identity, the same pseudonym");
    assert_ne!(ids[0], "CP-SECRET-7");
    assert_eq!(ids[0].as_str().map(str::len), Some("CP-SECRET-7".len()));
    let bodies = after["bodies"].to_string();
    assert!(!bodies.contains("TAG-SECRET-1"), "{bodies}");
    assert!(bodies.contains("Accepted"), "{bodies}");
    // The anonymized file checks as the original did.
    let (original, status) = check(&input);
    let (anonymized, anonymized_status) = check(&output);
    assert_eq!(status, anonymized_status);
    let counts = |text: &str| text.lines().last().map(str::to_owned);
    assert_eq!(counts(&original), counts(&anonymized));
    // diff reads both files alike: nothing structural changed.
    let compared = Command::cargo_bin("ocpp-validate")
        .expect("built")
        .args([
            "diff",
            "--fail-on",
            "new-action,vanished-action,new-member,vanished-member",
        ])
        .arg(&input)
        .arg(&output)
        .output()
        .expect("runs");
    assert_eq!(
        compared.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&compared.stdout)
    );
    // With another input beside it the Parquet file cannot keep its format.
    let run = Command::cargo_bin("ocpp-validate")
        .expect("built")
        .args(["anonymize", "--salt", "s"])
        .arg(&input)
        .arg(&input)
        .output()
        .expect("runs");
    assert_eq!(run.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&run.stderr).contains("one input at a time"));
    std::fs::remove_dir_all(dir).expect("clean up");
}

#[test]
fn a_nested_body_is_refused_for_parquet_output_and_read_with_to_open_trace() {
    let dir = dir("anonymize-nested");
    let input = dir.join("nested.parquet");
    let script = format!(
        r#"
import pyarrow as pa, pyarrow.parquet as pq
table = pa.table({{
    "message_id": ["a1"], "message_type": pa.array([2], pa.int64()),
    "charge_point_id": ["CP-SECRET-7"], "action": ["Authorize"],
    "write_timestamp": pa.array([1764410400123456789], pa.timestamp("ns", tz="UTC")),
    "body": pa.array([{{"id_tag": "TAG-SECRET-1"}}]),
}})
pq.write_table(table, {path:?})
"#,
        path = input.to_str().expect("UTF-8 path")
    );
    if !pyarrow_writes(&script) {
        return;
    }
    let anonymize = |extra: &[&str]| {
        Command::cargo_bin("ocpp-validate")
            .expect("built")
            .args(["anonymize", "--salt", "s"])
            .args(extra)
            .arg(&input)
            .output()
            .expect("runs")
    };
    let refused = anonymize(&["-o", dir.join("out.parquet").to_str().expect("UTF-8")]);
    assert_eq!(refused.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&refused.stderr);
    assert!(
        stderr.contains("column body is Struct") && stderr.contains("--to open-trace"),
        "{stderr}"
    );
    let converted = anonymize(&["--to", "open-trace"]);
    assert_eq!(
        converted.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&converted.stderr)
    );
    let trace = String::from_utf8_lossy(&converted.stdout);
    assert!(
        !trace.contains("TAG-SECRET-1") && !trace.contains("CP-SECRET-7"),
        "{trace}"
    );
    std::fs::remove_dir_all(dir).expect("clean up");
}

/// The last line of a script that uses deltalake: deltalake's Python binding can abort at
/// interpreter shutdown while its runtime threads are still being torn down ("terminate called
/// without an active exception", delta-io/delta-rs#2184), so the script flushes what it printed
/// and leaves without running the interpreter's teardown.
const DELTALAKE_EXIT: &str = "import os, sys\nsys.stdout.flush()\nos._exit(0)\n";

/// What `script` prints, as JSON (Python with pyarrow, and deltalake where it is used).
fn python_json(script: &str) -> serde_json::Value {
    let output = std::process::Command::new("python3")
        .args(["-c", script])
        .output()
        .expect("python3 runs");
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    serde_json::from_slice(&output.stdout).expect("JSON")
}

/// Every file below `dir`, as `/`-separated relative paths, sorted.
fn tree(dir: &Path) -> Vec<String> {
    let mut files = Vec::new();
    let mut pending = vec![dir.to_owned()];
    while let Some(next) = pending.pop() {
        for entry in std::fs::read_dir(&next).expect("readable") {
            let path = entry.expect("entry").path();
            if path.is_dir() {
                pending.push(path);
            } else {
                let relative = path.strip_prefix(dir).expect("inside");
                files.push(relative.to_string_lossy().replace('\\', "/"));
            }
        }
    }
    files.sort();
    files
}

/// `anonymize --salt s` of `input`, with `extra` arguments: exit code and standard error.
fn anonymize_into(input: &Path, extra: &[&std::ffi::OsStr]) -> (i32, String) {
    let run = Command::cargo_bin("ocpp-validate")
        .expect("built")
        .args(["anonymize", "--salt", "s"])
        .args(extra)
        .arg(input)
        .output()
        .expect("runs");
    let stderr = String::from_utf8_lossy(&run.stderr).into_owned();
    (run.status.code().unwrap_or(-1), stderr)
}

/// The rows of two stations, one identity with characters a path escapes, as a pyarrow table
/// named `table` in a Python script. The bodies are spaced JSON, which anonymize writes back
/// compact: each file gets smaller, so a size copied from the input would be wrong.
const TWO_STATIONS: &str = r#"
import pyarrow as pa
table = pa.table({
    "message_id": ["a1", "a1", "h1", "h1"],
    "message_type": pa.array([2, 3, 2, 3], pa.int64()),
    "charge_point_id": ["CP:SECRET 7", "CP:SECRET 7", "CP-OTHER-2", "CP-OTHER-2"],
    "action": ["Authorize", None, "Heartbeat", None],
    "write_timestamp": pa.array([1764410400123456, 1764410401000000, 1764410402000000, 1764410403000000], pa.timestamp("us", tz="UTC")),
    "body": ['{"id_tag": "TAG-SECRET-1"}', '{"id_tag_info": {"status": "Accepted"}}', '{}', '{"current_time": "2025-11-29T10:00:01Z"}'],
})
"#;

/// The identities read back, none of them an original, each of the original's length.
fn assert_pseudonymous(ids: &serde_json::Value) {
    let ids: Vec<&str> = ids
        .as_array()
        .expect("ids")
        .iter()
        .filter_map(|id| id.as_str())
        .collect();
    assert_eq!(ids.len(), 2, "{ids:?}");
    let mut lengths: Vec<usize> = ids.iter().map(|id| id.len()).collect();
    lengths.sort_unstable();
    assert_eq!(lengths, ["CP-OTHER-2".len(), "CP:SECRET 7".len()]);
    assert!(
        !ids.iter()
            .any(|id| id.contains("SECRET") || id.contains("OTHER")),
        "{ids:?}"
    );
}

#[test]
fn a_hive_partitioned_pyarrow_dataset_is_anonymized_into_one_pyarrow_reads() {
    let dir = dir("anonymize-hive");
    let (input, output) = (dir.join("in"), dir.join("out"));
    let script = format!(
        "{TWO_STATIONS}\nimport pyarrow.parquet as pq\n\
         pq.write_to_dataset(table, {input:?}, partition_cols=['charge_point_id'])\n",
        input = input.to_str().expect("UTF-8 path")
    );
    if !pyarrow_writes(&script) {
        return;
    }
    std::fs::write(input.join("_SUCCESS"), "").expect("marker");
    let (status, stderr) = anonymize_into(&input, &["-o".as_ref(), output.as_os_str()]);
    assert_eq!(status, 0, "{stderr}");
    assert!(stderr.contains("charge_point_id"), "{stderr}");
    let files = tree(&output);
    assert_eq!(files.len(), 2, "one file per station, no marker: {files:?}");
    assert!(
        files
            .iter()
            .all(|f| f.starts_with("charge_point_id=") && f.ends_with(".parquet")),
        "{files:?}"
    );
    assert!(
        !files
            .iter()
            .any(|f| f.contains("SECRET") || f.contains("OTHER")),
        "{files:?}"
    );
    let read = python_json(&format!(
        r#"
import json, pyarrow.dataset as ds
t = ds.dataset({output:?}, format="parquet", partitioning="hive").to_table()
print(json.dumps({{"rows": t.num_rows, "ids": sorted(set(map(str, t.column("charge_point_id").to_pylist()))),
                  "bodies": t.column("body").to_pylist()}}))
"#,
        output = output.to_str().expect("UTF-8 path")
    ));
    assert_eq!(read["rows"], 4);
    assert_pseudonymous(&read["ids"]);
    let bodies = read["bodies"].to_string();
    assert!(
        !bodies.contains("TAG-SECRET-1") && bodies.contains("Accepted"),
        "{bodies}"
    );
    let ((original, status), (anonymized, anonymized_status)) = (check(&input), check(&output));
    assert_eq!(status, anonymized_status);
    assert_eq!(original.lines().last(), anonymized.lines().last());
    // A directory already holding files is not written into; a directory needs -o.
    let (status, stderr) = anonymize_into(&input, &["-o".as_ref(), output.as_os_str()]);
    assert_eq!(status, 2, "{stderr}");
    assert!(stderr.contains("is not empty"), "{stderr}");
    let (status, stderr) = anonymize_into(&input, &[]);
    assert_eq!(status, 2, "{stderr}");
    assert!(stderr.contains("named by -o"), "{stderr}");
    std::fs::remove_dir_all(dir).expect("clean up");
}

#[test]
fn a_delta_table_written_by_deltalake_is_anonymized_into_one_deltalake_reads() {
    let dir = dir("anonymize-delta");
    let (input, output) = (dir.join("in"), dir.join("out"));
    // Three commits: two appends, then a delete that rewrites one file and removes two.
    let script = format!(
        "{TWO_STATIONS}\nfrom deltalake import write_deltalake, DeltaTable\n\
         write_deltalake({input:?}, table, partition_by=['charge_point_id'])\n\
         write_deltalake({input:?}, table, partition_by=['charge_point_id'], mode='append')\n\
         DeltaTable({input:?}).delete(\"action = 'Authorize'\")\n{DELTALAKE_EXIT}",
        input = input.to_str().expect("UTF-8 path")
    );
    match pyarrow(&script) {
        Ok(()) => {}
        Err(why) => {
            assert!(
                std::env::var("CI").as_deref() != Ok("true"),
                "the Delta test needs deltalake in CI: {why}"
            );
            println!("SKIPPED (pip install deltalake): {why}");
            return;
        }
    }
    let (status, stderr) = anonymize_into(&input, &["-o".as_ref(), output.as_os_str()]);
    assert_eq!(status, 0, "{stderr}");
    let read = python_json(&format!(
        r#"
import json, os, urllib.parse
from deltalake import DeltaTable
dt = DeltaTable({output:?})
t = dt.to_pyarrow_table()
import pyarrow as pa
adds = pa.table(dt.get_add_actions(flatten=True)).to_pylist()
print(json.dumps({{"version": dt.version(), "rows": t.num_rows,
    "ids": sorted(set(map(str, t.column("charge_point_id").to_pylist()))),
    "bodies": t.column("body").to_pylist(),
    "sizes": [[os.path.getsize(os.path.join({output:?}, urllib.parse.unquote(a["path"]))), a["size_bytes"]] for a in adds]}}))
{DELTALAKE_EXIT}"#,
        output = output.to_str().expect("UTF-8 path")
    ));
    assert_eq!(read["version"], 2, "every commit is kept");
    assert_eq!(read["rows"], 6, "{read}");
    assert_pseudonymous(&read["ids"]);
    let bodies = read["bodies"].to_string();
    assert!(
        !bodies.contains("TAG-SECRET-1") && bodies.contains("Accepted"),
        "{bodies}"
    );
    for pair in read["sizes"].as_array().expect("sizes") {
        assert_eq!(pair[0], pair[1], "an add action gives its file's new size");
    }
    // Nothing in the log tells an original: no statistics, no predicate, no identity.
    for file in tree(&output)
        .iter()
        .filter(|f| f.starts_with("_delta_log/"))
    {
        let text = std::fs::read_to_string(output.join(file)).expect("commit");
        assert!(
            !text.contains("SECRET") && !text.contains("OTHER"),
            "{file}: {text}"
        );
        assert!(
            !text.contains("\"stats\"") && !text.contains("predicate"),
            "{file}: {text}"
        );
    }
    let ((original, status), (anonymized, anonymized_status)) = (check(&input), check(&output));
    assert_eq!(status, anonymized_status);
    assert_eq!(original.lines().last(), anonymized.lines().last());
    std::fs::remove_dir_all(dir).expect("clean up");
}
