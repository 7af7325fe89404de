//! Throughput of `ocpp-validate` on a realistic OCPP 1.6 trace, beside the practical ceiling
//! measured in the same run: scanning the same text with serde_json into `IgnoredAny`.
//!
//! The trace: 80% MeterValues with 12 sampled values, 10% Heartbeat, 10% StatusNotification,
//! each CALL followed by its CALLRESULT, as raw frames one per line.
//!
//! Then the same trace, written to a file, is checked by whole `ocpp-validate check`
//! processes (the default, and with `--jobs` and `--no-semantic`) beside rust-ocpp 3.0.4's
//! plain typed decode of its frames, when both binaries are built:
//!
//! ```text
//! cargo build --release -p ocpp-validate --bin ocpp-validate --example validate_throughput
//! (cd ocpp-validate/baseline && cargo build --release)
//! target/release/examples/validate_throughput [MESSAGES] [ROUNDS]
//! ```

use std::hint::black_box;
use std::io::Cursor;
use std::time::Instant;

use ocpp_model::OcppVersion;
use ocpp_validate::check::{check_reader, CheckOptions};
use ocpp_validate::{
    check_frame, schema_accepts, semantic, Correlator, FrameParts, PayloadKind, Position,
};
use serde::de::IgnoredAny;
use serde_json::Value;

#[path = "common/processes.rs"]
mod processes;

/// The allocator the `ocpp-validate` binary uses, so the figures are the CLI's.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

const MEASURANDS: [(&str, &str, &str); 12] = [
    ("Energy.Active.Import.Register", "Wh", ""),
    ("Energy.Reactive.Import.Register", "varh", ""),
    ("Power.Active.Import", "W", ""),
    ("Power.Offered", "W", ""),
    ("Current.Import", "A", "L1"),
    ("Current.Import", "A", "L2"),
    ("Current.Import", "A", "L3"),
    ("Voltage", "V", "L1-N"),
    ("Voltage", "V", "L2-N"),
    ("Voltage", "V", "L3-N"),
    ("Temperature", "Celsius", ""),
    ("SoC", "Percent", ""),
];

fn trace(messages: usize) -> String {
    let mut out = String::new();
    for i in 0..messages {
        let (call, result) = match i % 10 {
            0 => (
                format!(r#"[2,"{i}","Heartbeat",{{}}]"#),
                format!(
                    r#"[3,"{i}",{{"currentTime":"2024-05-01T10:{:02}:00Z"}}]"#,
                    i % 60
                ),
            ),
            1 => (
                format!(
                    r#"[2,"{i}","StatusNotification",{{"connectorId":1,"errorCode":"NoError","status":"Charging","timestamp":"2024-05-01T10:{:02}:00Z"}}]"#,
                    i % 60
                ),
                format!(r#"[3,"{i}",{{}}]"#),
            ),
            _ => {
                let samples: Vec<String> = MEASURANDS
                    .iter()
                    .enumerate()
                    .map(|(k, (measurand, unit, phase))| {
                        let phase = if phase.is_empty() { String::new() } else { format!(r#","phase":"{phase}""#) };
                        format!(
                            r#"{{"value":"{}.{}","context":"Sample.Periodic","measurand":"{measurand}","location":"Outlet","unit":"{unit}"{phase}}}"#,
                            i * 13 + k,
                            k
                        )
                    })
                    .collect();
                (
                    format!(
                        r#"[2,"{i}","MeterValues",{{"connectorId":1,"transactionId":{},"meterValue":[{{"timestamp":"2024-05-01T10:{:02}:{:02}.250Z","sampledValue":[{}]}}]}}]"#,
                        i / 1000,
                        i / 60 % 60,
                        i % 60,
                        samples.join(",")
                    ),
                    format!(r#"[3,"{i}",{{}}]"#),
                )
            }
        };
        out.push_str(&call);
        out.push('\n');
        out.push_str(&result);
        out.push('\n');
    }
    out
}

/// The paths measured, in the order printed.
const PATHS: [&str; 5] = [
    "serde_json scan into IgnoredAny (ceiling)",
    "validation: frames, payloads, correlation",
    "check: trace reader + validation",
    "check with the semantic rules (default)",
    "frames + schema-only validation of CALLs",
];

fn run(path: usize, text: &str, messages: usize) {
    match path {
        0 => {
            for line in text.lines() {
                black_box(serde_json::from_str::<IgnoredAny>(line).ok());
            }
        }
        1 => {
            // The lines split as the scan splits them, each checked by one connection's
            // correlator: the validation itself, without the trace reader around it.
            let mut correlator = Correlator::new();
            let mut findings = 0;
            for (record, line) in text.lines().enumerate() {
                let at = Position::new(record, record + 1);
                findings += correlator
                    .check_text(at, OcppVersion::V16, None, line)
                    .len();
            }
            assert_eq!(findings, 0, "the trace is valid");
        }
        2 | 3 => {
            let options = CheckOptions::default()
                .with_version(Some(OcppVersion::V16))
                .with_max_line(1 << 20)
                .with_semantic((path == 3).then(semantic::Config::default));
            let mut findings = 0_usize;
            let summary = check_reader(Cursor::new(text.as_bytes()), options, &mut |f| {
                // The trace's transactions start before it: only those semantic findings.
                let expected = matches!(
                    f.rule,
                    "semantic-transaction-unknown" | "semantic-transaction-never-stopped"
                );
                findings += usize::from(!expected);
            })
            .expect("in-memory input");
            assert_eq!(
                (summary.records, findings),
                (2 * messages, 0),
                "the trace is valid"
            );
        }
        _ => {
            for line in text.lines() {
                if let Ok(frame) = check_frame(OcppVersion::V16, line) {
                    if let FrameParts::Call {
                        action, payload, ..
                    } = FrameParts::from(frame)
                    {
                        let payload = Value::Object(payload);
                        black_box(
                            schema_accepts(
                                OcppVersion::V16,
                                &action,
                                PayloadKind::Request,
                                &payload,
                            )
                            .ok(),
                        );
                    }
                }
            }
        }
    }
}

fn main() {
    let mut args = std::env::args().skip(1);
    let messages = args.next().and_then(|n| n.parse().ok()).unwrap_or(40_000);
    let rounds = args.next().and_then(|n| n.parse().ok()).unwrap_or(5_usize);
    let text = trace(messages);
    let bytes = text.len() as f64;
    println!(
        "{messages} CALLs and their CALLRESULTs, {:.1} MiB; one thread; best of {rounds} interleaved rounds",
        bytes / (1024.0 * 1024.0)
    );
    let mut best = [f64::INFINITY; PATHS.len()];
    for _ in 0..rounds {
        for (path, best) in best.iter_mut().enumerate() {
            let start = Instant::now();
            run(path, &text, messages);
            *best = best.min(start.elapsed().as_secs_f64());
        }
    }
    let rate = |seconds: f64| bytes / seconds / (1024.0 * 1024.0);
    let ceiling = rate(best[0]);
    for (label, seconds) in PATHS.iter().zip(best) {
        println!(
            "{label:<44} {:>8.1} MiB/s  {:>4.0}% of the ceiling",
            rate(seconds),
            100.0 * rate(seconds) / ceiling
        );
    }
    let file =
        std::env::temp_dir().join(format!("validate_throughput-{}.jsonl", std::process::id()));
    std::fs::write(&file, &text).expect("the trace is written");
    processes::compare(
        &file,
        &[
            ("check (the default: semantic rules, default jobs)", &[]),
            ("check --jobs 2", &["--jobs", "2"]),
            ("check --jobs 1", &["--jobs", "1"]),
            (
                "check --jobs 1 --no-semantic",
                &["--jobs", "1", "--no-semantic"],
            ),
        ],
        rounds.max(3),
    );
    std::fs::remove_file(&file).ok();
}
