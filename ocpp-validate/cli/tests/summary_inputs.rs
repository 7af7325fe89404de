//! `summary` takes `check`'s input options — `--input`, `--columns`, `--tolerant`,
//! `--profile`, `--ocpp`, `--jobs`, gzip and several files — and gives the same answers for
//! the same records with any `--jobs`.

mod common;

use std::io::{Cursor, Write};
use std::path::{Path, PathBuf};

use common::{lake_fixtures as fixtures, ocpp_validate};
use ocpp_validate::check::CheckOptions;
use ocpp_validate::summary::summarize;
use proptest::prelude::*;

/// Runs `ocpp-validate summary` in `dir`.
fn summary(dir: &Path, args: &[&str]) -> (Option<i32>, String, String) {
    let args: Vec<&str> = std::iter::once("summary")
        .chain(args.iter().copied())
        .collect();
    ocpp_validate(dir, &args)
}

/// The fixture `nulls_snake.jsonl` as CSV with the time in `written_at`.
fn as_csv(dir: &Path) -> PathBuf {
    let text = std::fs::read_to_string(fixtures().join("nulls_snake.jsonl")).expect("fixture");
    let mut csv = String::from("message_id,message_type,charge_point_id,action,written_at,body\n");
    for line in text.lines() {
        let row: serde_json::Value = serde_json::from_str(line).expect("row");
        let field = |name: &str| match &row[name] {
            serde_json::Value::String(s) => s.clone(),
            other => other.to_string(),
        };
        csv.push_str(&format!(
            "{},{},{},{},{},\"{}\"\n",
            field("message_id"),
            field("message_type"),
            field("charge_point_id"),
            field("action"),
            field("timestamp"),
            field("body").replace('"', "\"\"")
        ));
    }
    let path = dir.join("lake.csv");
    std::fs::write(&path, csv).expect("written");
    path
}

#[test]
fn summary_reads_what_check_reads() {
    let dir = tempfile::tempdir().expect("temporary directory");
    let csv = as_csv(dir.path());
    let (code, jsonl, stderr) = summary(
        &fixtures(),
        &["--tolerant", "--format", "json", "nulls_snake.jsonl"],
    );
    assert_eq!((code, stderr.as_str()), (Some(0), ""));
    // The same records as CSV with another time column, told by --input and --columns.
    let (code, from_csv, stderr) = summary(
        dir.path(),
        &[
            "--tolerant",
            "--profile",
            "default",
            "--ocpp",
            "1.6",
            "--jobs",
            "2",
            "--input",
            "csv",
            "--columns",
            "timestamp=written_at",
            "--format",
            "json",
            csv.to_str().expect("UTF-8 path"),
        ],
    );
    assert_eq!((code, stderr.as_str()), (Some(0), ""));
    assert_eq!(from_csv, jsonl);
    // Gzip, and the trace split over two files: one summary of both.
    let text = std::fs::read_to_string(fixtures().join("nulls_snake.jsonl")).expect("fixture");
    let lines: Vec<&str> = text.lines().collect();
    let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
    gz.write_all((lines[..8].join("\n") + "\n").as_bytes())
        .expect("in memory");
    std::fs::write(
        dir.path().join("first.jsonl.gz"),
        gz.finish().expect("in memory"),
    )
    .expect("written");
    std::fs::write(
        dir.path().join("second.jsonl"),
        lines[8..].join("\n") + "\n",
    )
    .expect("written");
    let (code, split, stderr) = summary(
        dir.path(),
        &[
            "--tolerant",
            "--format",
            "json",
            "first.jsonl.gz",
            "second.jsonl",
        ],
    );
    assert_eq!((code, stderr.as_str()), (Some(0), ""));
    assert_eq!(split, jsonl);
}

#[test]
fn an_input_that_cannot_be_read_is_named_and_the_others_summarized() {
    let (code, stdout, stderr) = summary(
        &fixtures(),
        &["--format", "json", "no-such.jsonl", "nulls_snake.jsonl"],
    );
    assert_eq!(code, Some(2));
    assert!(stderr.contains("cannot read no-such.jsonl"), "{stderr}");
    assert!(stdout.contains("CP-7"), "{stdout}");
}

/// One charge point's message, as generated: which kind, on which connector.
#[derive(Debug, Clone, Copy)]
enum Step {
    Boot,
    Status(u8, u8),
    Start(u8),
    Meter(u8, u16),
    Stop(u8, u16),
    Heartbeat,
}

fn step() -> impl Strategy<Value = Step> {
    prop_oneof![
        Just(Step::Boot),
        (1u8..3, 0u8..4).prop_map(|(c, s)| Step::Status(c, s)),
        (1u8..3).prop_map(Step::Start),
        (1u8..3, 0u16..500).prop_map(|(c, w)| Step::Meter(c, w)),
        (1u8..3, 0u16..500).prop_map(|(c, w)| Step::Stop(c, w)),
        Just(Step::Heartbeat),
    ]
}

/// Open OCPP Trace lines of the steps, each charge point's calls answered, the charge points
/// interleaved as generated.
fn trace(steps: &[(u8, Step)]) -> String {
    let mut out = String::new();
    let mut transactions = std::collections::HashMap::new();
    let mut meters = std::collections::HashMap::new();
    for (n, &(cp, step)) in steps.iter().enumerate() {
        let time = |offset: usize| {
            let seconds = n * 7 + offset;
            format!(
                "2024-05-01T{:02}:{:02}:{:02}.{:06}Z",
                8 + seconds / 3600,
                seconds / 60 % 60,
                seconds % 60,
                n * 13 % 1_000_000
            )
        };
        let id = format!("m{n}");
        let meter = meters.entry((cp, step_connector(step))).or_insert(0u32);
        let (action, payload, answer) = match step {
            Step::Boot => (
                "BootNotification",
                r#"{"chargePointVendor":"V","chargePointModel":"M"}"#.to_owned(),
                format!(
                    r#"{{"status":"Accepted","currentTime":"{}","interval":300}}"#,
                    time(0)
                ),
            ),
            Step::Status(c, s) => {
                let status = ["Available", "Preparing", "Charging", "Faulted"][usize::from(s)];
                (
                    "StatusNotification",
                    format!(r#"{{"connectorId":{c},"errorCode":"NoError","status":"{status}"}}"#),
                    "{}".to_owned(),
                )
            }
            Step::Start(c) => {
                transactions.insert((cp, c), n);
                (
                    "StartTransaction",
                    format!(
                        r#"{{"connectorId":{c},"idTag":"T{cp}","meterStart":{meter},"timestamp":"{}"}}"#,
                        time(0)
                    ),
                    format!(r#"{{"transactionId":{n},"idTagInfo":{{"status":"Accepted"}}}}"#),
                )
            }
            Step::Meter(c, wh) => {
                *meter += u32::from(wh);
                let tx = transactions.get(&(cp, c)).copied().unwrap_or(9999);
                (
                    "MeterValues",
                    format!(
                        r#"{{"connectorId":{c},"transactionId":{tx},"meterValue":[{{"timestamp":"{}","sampledValue":[{{"value":"{meter}","measurand":"Energy.Active.Import.Register","unit":"Wh"}},{{"value":"{wh}","measurand":"Power.Active.Import","unit":"W"}}]}}]}}"#,
                        time(0)
                    ),
                    "{}".to_owned(),
                )
            }
            Step::Stop(c, wh) => {
                *meter += u32::from(wh);
                let tx = transactions.remove(&(cp, c)).unwrap_or(9999);
                (
                    "StopTransaction",
                    format!(
                        r#"{{"transactionId":{tx},"meterStop":{meter},"timestamp":"{}","reason":"Local"}}"#,
                        time(0)
                    ),
                    "{}".to_owned(),
                )
            }
            Step::Heartbeat => (
                "Heartbeat",
                "{}".to_owned(),
                format!(r#"{{"currentTime":"{}"}}"#, time(0)),
            ),
        };
        let record = |time: String, direction: &str, raw: String| {
            serde_json::json!({
                "schemaVersion": "1.0", "timestamp": time, "ocppVersion": "1.6",
                "chargePointId": format!("CP-{cp}"), "direction": direction, "raw": raw,
            })
            .to_string()
        };
        out.push_str(&record(
            time(0),
            "cp-to-csms",
            format!(r#"[2,"{id}","{action}",{payload}]"#),
        ));
        out.push('\n');
        out.push_str(&record(
            time(1),
            "csms-to-cp",
            format!(r#"[3,"{id}",{answer}]"#),
        ));
        out.push('\n');
    }
    out
}

fn step_connector(step: Step) -> u8 {
    match step {
        Step::Status(c, _) | Step::Start(c) | Step::Meter(c, _) | Step::Stop(c, _) => c,
        Step::Boot | Step::Heartbeat => 0,
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 32, ..ProptestConfig::default() })]

    #[test]
    fn summary_is_the_same_with_any_number_of_jobs(
        steps in proptest::collection::vec((0u8..4, step()), 0..120)
    ) {
        let text = trace(&steps);
        let run = |jobs| {
            let options = CheckOptions::default().with_jobs(jobs);
            summarize(Cursor::new(text.clone()), &options).expect("in memory").to_json()
        };
        let one = run(1);
        prop_assert_eq!(run(2), one.clone());
        prop_assert_eq!(run(3), one);
    }
}
