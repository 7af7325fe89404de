//! The consumer view is read through `check`'s pipeline: its pairing is `check`'s on every
//! input, and it reads every input `check` reads (lake exports, gzip, several charge points).

use std::io::Write;

use flate2::write::GzEncoder;
use ocpp_validate::check::{check_reader, CheckOptions};
use ocpp_validate::consumer_view::ConsumerView;
use serde_json::Value;

/// The view of `input` as JSON, and the error reading it, if any.
fn view(input: &[u8]) -> Value {
    let (view, error) = ConsumerView::read(input, CheckOptions::default());
    assert!(error.is_none(), "{error:?}");
    serde_json::from_str(&view.to_json()).expect("JSON")
}

/// The record indexes `check` names with `rule`.
fn found(input: &[u8], rule: &str) -> Vec<u64> {
    let mut at = Vec::new();
    check_reader(input, CheckOptions::default(), &mut |finding| {
        if finding.rule == rule {
            at.push(finding.at.record as u64);
        }
    })
    .expect("read");
    at.sort_unstable();
    at
}

fn indexes(view: &Value, member: &str) -> Vec<u64> {
    view[member]
        .as_array()
        .expect("array")
        .iter()
        .map(|i| i.as_u64().expect("index"))
        .collect()
}

/// Broken frames, repeated ids, two charge points, directions: the view's orphans and
/// unanswered calls are exactly the records `check` reports as such.
#[test]
fn the_view_pairs_as_check_does() {
    let records = [
        // CP-A: a CALL too broken to check (payload not an object) is listed but not opened,
        // so its answer is an orphan, as `check` says.
        ("CP-A", "cp-to-csms", r#"[2,"1","Heartbeat","x"]"#),
        ("CP-A", "csms-to-cp", r#"[3,"1",{}]"#),
        // CP-B uses the same id: its answer pairs with its own CALL only.
        ("CP-B", "cp-to-csms", r#"[2,"1","Heartbeat",{}]"#),
        (
            "CP-B",
            "csms-to-cp",
            r#"[3,"1",{"currentTime":"2024-05-01T08:00:00Z"}]"#,
        ),
        // An answer sent the same way as its CALL answers nothing.
        ("CP-A", "cp-to-csms", r#"[2,"2","Heartbeat",{}]"#),
        (
            "CP-A",
            "cp-to-csms",
            r#"[3,"2",{"currentTime":"2024-05-01T08:00:00Z"}]"#,
        ),
        // A broken CALLERROR still closes its CALL.
        ("CP-B", "cp-to-csms", r#"[2,"3","Heartbeat",{}]"#),
        ("CP-B", "csms-to-cp", r#"[4,"3",7,"",{}]"#),
    ];
    let input: String = records
        .iter()
        .map(|(cp, direction, frame)| {
            let record = serde_json::json!({
                "schemaVersion": "1.1",
                "timestamp": "2024-05-01T08:00:00Z",
                "ocppVersion": "1.6",
                "chargePointId": cp,
                "direction": direction,
                "raw": frame,
            });
            record.to_string() + "\n"
        })
        .collect();
    let view = view(input.as_bytes());
    let orphans = found(input.as_bytes(), "correlation-orphan-response");
    let unanswered = found(input.as_bytes(), "correlation-unanswered-call");
    assert_eq!(orphans, [1, 5]);
    assert_eq!(unanswered, [4]);
    assert_eq!(indexes(&view, "orphanResponses"), orphans);
    assert_eq!(indexes(&view, "unansweredCalls"), unanswered);
    assert_eq!(view["records"][3]["correlatesWith"], 2);
    assert_eq!(view["records"][7]["correlatesWith"], 6);
    assert_eq!(view["records"][0]["action"], "Heartbeat");
    assert_eq!(view["counts"]["records"], 8);
}

/// A gzip-compressed input and a data-lake export are read as `check` reads them.
#[test]
fn the_view_reads_gzip_and_lake_exports() {
    let raw = concat!(
        "[2,\"1\",\"Heartbeat\",{}]\n",
        "[3,\"1\",{\"currentTime\":\"2024-05-01T08:00:00Z\"}]\n"
    );
    let mut gzip = GzEncoder::new(Vec::new(), flate2::Compression::default());
    gzip.write_all(raw.as_bytes()).expect("compress");
    let compressed = gzip.finish().expect("compress");
    assert_eq!(view(&compressed), view(raw.as_bytes()));
    assert_eq!(view(raw.as_bytes())["records"][1]["correlatesWith"], 0);

    let lake = concat!(
        "message_id,message_type,charge_point_id,action,write_timestamp,body\n",
        "m1,2,CP-1,Heartbeat,2024-05-01T08:00:00.123456Z,{}\n",
        "m1,3,CP-1,Heartbeat,2024-05-01T08:00:01.123456Z,\"{\"\"currentTime\"\":\"\"2024-05-01T08:00:01Z\"\"}\"\n",
    );
    let view = view(lake.as_bytes());
    assert_eq!(view["counts"]["calls"], 1);
    assert_eq!(view["counts"]["callResults"], 1);
    assert_eq!(view["records"][1]["correlatesWith"], 0);
    assert_eq!(view["orphanResponses"], Value::Array(Vec::new()));
}

/// Gives some lines, then fails, as a broken pipe or a disk error would.
struct FailingAfter(&'static [u8]);

impl std::io::Read for FailingAfter {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        if self.0.is_empty() {
            return Err(std::io::Error::other("the disk went away"));
        }
        let n = self.0.len().min(buf.len());
        buf[..n].copy_from_slice(&self.0[..n]);
        self.0 = &self.0[n..];
        Ok(n)
    }
}

/// When reading fails, the view of the records read before is kept and the error given.
#[test]
fn a_read_error_keeps_the_view_so_far() {
    let input = FailingAfter(
        b"[2,\"1\",\"Heartbeat\",{}]\n[3,\"1\",{\"currentTime\":\"2024-05-01T08:00:00Z\"}]\n",
    );
    let (view, error) = ConsumerView::read(std::io::BufReader::new(input), CheckOptions::default());
    let error = error.expect("the read failed");
    assert!(error.to_string().contains("the disk went away"), "{error}");
    let view: Value = serde_json::from_str(&view.to_json()).expect("JSON");
    assert_eq!(view["counts"]["records"], 2);
    assert_eq!(view["records"][1]["correlatesWith"], 0);
}
