//! Throughput of `ocpp-validate` on a realistic trace, beside the practical ceiling measured
//! in the same run: scanning the same text with serde_json into `IgnoredAny`.
//!
//! The trace: 80% MeterValues with 12 sampled values, 10% Heartbeat, 10% StatusNotification,
//! each CALL followed by its CALLRESULT, as raw frames one per line; in OCPP 1.6, and the
//! same mix in OCPP 2.0.1 and in 2.1 (whose frames are the 2.0.1 ones: the three actions are
//! spelled alike in both), each version's rows printed together.
//!
//! Then the 1.6 trace, written to a file, is checked by whole `ocpp-validate check`
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

fn trace(version: OcppVersion, messages: usize) -> String {
    let v16 = version == OcppVersion::V16;
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
            1 if v16 => (
                format!(
                    r#"[2,"{i}","StatusNotification",{{"connectorId":1,"errorCode":"NoError","status":"Charging","timestamp":"2024-05-01T10:{:02}:00Z"}}]"#,
                    i % 60
                ),
                format!(r#"[3,"{i}",{{}}]"#),
            ),
            1 => (
                format!(
                    r#"[2,"{i}","StatusNotification",{{"timestamp":"2024-05-01T10:{:02}:00Z","connectorStatus":"Occupied","evseId":1,"connectorId":1}}]"#,
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
                        let value = i * 13 + k;
                        // 2.0.1 and 2.1 have no Temperature measurand: Frequency stands in.
                        let (measurand, unit) = match (v16, *measurand) {
                            (false, "Temperature") => ("Frequency", "Hz"),
                            _ => (*measurand, *unit),
                        };
                        match v16 {
                            true => format!(
                                r#"{{"value":"{value}.{k}","context":"Sample.Periodic","measurand":"{measurand}","location":"Outlet","unit":"{unit}"{phase}}}"#
                            ),
                            false => format!(
                                r#"{{"value":{value}.{k},"context":"Sample.Periodic","measurand":"{measurand}","location":"Outlet","unitOfMeasure":{{"unit":"{unit}"}}{phase}}}"#
                            ),
                        }
                    })
                    .collect();
                let meter_value = format!(
                    r#""meterValue":[{{"timestamp":"2024-05-01T10:{:02}:{:02}.250Z","sampledValue":[{}]}}]"#,
                    i / 60 % 60,
                    i % 60,
                    samples.join(",")
                );
                let call = match v16 {
                    true => format!(
                        r#"[2,"{i}","MeterValues",{{"connectorId":1,"transactionId":{},{meter_value}}}]"#,
                        i / 1000
                    ),
                    false => format!(r#"[2,"{i}","MeterValues",{{"evseId":1,{meter_value}}}]"#),
                };
                (call, format!(r#"[3,"{i}",{{}}]"#))
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

fn run(version: OcppVersion, path: usize, text: &str, messages: usize) {
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
                findings += correlator.check_text(at, version, None, line).len();
            }
            assert_eq!(findings, 0, "the trace is valid");
        }
        2 | 3 => {
            let options = CheckOptions::default()
                .with_version(Some(version))
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
                if let Ok(frame) = check_frame(version, line) {
                    if let FrameParts::Call {
                        action, payload, ..
                    } = FrameParts::from(frame)
                    {
                        let payload = Value::Object(payload);
                        black_box(
                            schema_accepts(version, &action, PayloadKind::Request, &payload).ok(),
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
    let traces: Vec<(OcppVersion, String)> = OcppVersion::ALL
        .iter()
        .map(|&version| (version, trace(version, messages)))
        .collect();
    println!(
        "{messages} CALLs and their CALLRESULTs per version; one thread; best of {rounds} interleaved rounds"
    );
    let mut best = vec![[f64::INFINITY; PATHS.len()]; traces.len()];
    for _ in 0..rounds {
        for ((version, text), best) in traces.iter().zip(&mut best) {
            for (path, best) in best.iter_mut().enumerate() {
                let start = Instant::now();
                run(*version, path, text, messages);
                *best = best.min(start.elapsed().as_secs_f64());
            }
        }
    }
    for ((version, text), best) in traces.iter().zip(&best) {
        let bytes = text.len() as f64;
        println!("OCPP {version}, {:.1} MiB:", bytes / (1024.0 * 1024.0));
        let rate = |seconds: f64| bytes / seconds / (1024.0 * 1024.0);
        let ceiling = rate(best[0]);
        for (label, &seconds) in PATHS.iter().zip(best) {
            println!(
                "  {label:<44} {:>8.1} MiB/s {:>10.0} msg/s  {:>4.0}% of the ceiling",
                rate(seconds),
                (2 * messages) as f64 / seconds,
                100.0 * rate(seconds) / ceiling
            );
        }
    }
    let text = &traces[0].1;
    let file =
        std::env::temp_dir().join(format!("validate_throughput-{}.jsonl", std::process::id()));
    std::fs::write(&file, text).expect("the trace is written");
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
