//! Cost of tolerance: decoding valid OCPP-J frames strictly and tolerantly in the same run
//! (goal: tolerant at most 1.5× the strict time), plus, for information, tolerant decoding
//! of the same messages carrying typical vendor deviations.
//!
//! `cargo run --release -p ocpp-validate --example tolerant_throughput [MESSAGES] [ROUNDS]`

use std::hint::black_box;
use std::time::{Duration, Instant};

use ocpp_model::framing::Frame;
use ocpp_model::{v16, v201, OcppVersion};
use ocpp_validate::tolerant::{decode_frame, Policy};

/// Valid frames, and the same frames as deviating peers send them.
const V16: &[(&str, &str)] = &[
    (
        r#"[2,"ID","MeterValues",{"connectorId":2,"transactionId":7,"meterValue":[{"timestamp":"2026-11-29T08:15:00Z","sampledValue":[{"value":"8812.0","measurand":"Energy.Active.Import.Register","unit":"Wh"},{"value":"7200","measurand":"Power.Active.Import","unit":"W"},{"value":"31.2","measurand":"Current.Import","unit":"A","phase":"L2"}]}]}]"#,
        r#"[2,"ID","MeterValues",{"connector_id":"2","transaction_id":7,"meterValue":[{"timestamp":"2026-11-29 08:15:00","sampledValue":[{"value":8812.0,"measurand":"Energy.Active.Import.Register","unit":"wh"},{"value":7200,"measurand":"Power.Active.Import","unit":"W"},{"value":31.2,"measurand":"Current.Import","unit":"A","phase":"L2"}]}]}]"#,
    ),
    (
        r#"[2,"ID","StatusNotification",{"connectorId":2,"errorCode":"NoError","status":"Preparing","timestamp":"2026-11-29T08:14:00+01:00"}]"#,
        r#"[2,"ID","StatusNotification",{"connectorId":2,"errorCode":"NoError","status":"preparing","timestamp":"2026-11-29T08:14:00+01","info":null}]"#,
    ),
    (
        r#"[2,"ID","Authorize",{"idTag":"A1B2C3D4"}]"#,
        r#"[2,"ID","Authorize",{"idTag":"A1B2C3D4","connectorId":2}]"#,
    ),
];

const V201: &[(&str, &str)] = &[
    (
        r#"[2,"ID","TransactionEvent",{"eventType":"Updated","timestamp":"2026-11-29T08:15:00Z","triggerReason":"MeterValuePeriodic","seqNo":9,"transactionInfo":{"transactionId":"T-7"},"meterValue":[{"timestamp":"2026-11-29T08:15:00Z","sampledValue":[{"value":8812.0,"measurand":"Energy.Active.Import.Register"},{"value":7200,"measurand":"Power.Active.Import"}]}]}]"#,
        r#"[2,"ID","TransactionEvent",{"event_type":"updated","timestamp":"2026-11-29T08:15:00","triggerReason":"MeterValuePeriodic","seqNo":"9","transactionInfo":{"transactionId":"T-7"},"meterValue":[{"timestamp":"2026-11-29T08:15:00Z","sampledValue":[{"value":"8812.0","measurand":"Energy.Active.Import.Register"},{"value":7200,"measurand":"Power.Active.Import"}]}]}]"#,
    ),
    (
        r#"[2,"ID","StatusNotification",{"timestamp":"2026-11-29T08:14:00Z","connectorStatus":"Occupied","evseId":2,"connectorId":1}]"#,
        r#"[2,"ID","StatusNotification",{"timestamp":"2026-11-29 08:14:00Z","connectorStatus":"occupied","evseId":"2","connectorId":1}]"#,
    ),
    (r#"[2,"ID","Heartbeat",{}]"#, r#"[2,"ID","Heartbeat"]"#),
];

fn corpus(pairs: &[(&str, &str)], messages: usize, deviant: bool) -> Vec<String> {
    (0..messages)
        .map(|i| {
            let (valid, bad) = pairs[i % pairs.len()];
            let template = if deviant { bad } else { valid };
            template.replacen("\"ID\"", &format!("\"{i}\""), 1)
        })
        .collect()
}

fn strict(version: OcppVersion, text: &str) -> bool {
    match version {
        OcppVersion::V16 => {
            matches!(text.parse::<v16::Frame>(), Ok(Frame::Call(call)) if call.action.parse().and_then(|action| v16::Request::from_value(action, &call.payload)).is_ok())
        }
        _ => {
            matches!(text.parse::<v201::Frame>(), Ok(Frame::Call(call)) if call.action.parse().and_then(|action| v201::Request::from_value(action, &call.payload)).is_ok())
        }
    }
}

fn tolerant(version: OcppVersion, text: &str, policy: &Policy) -> bool {
    let decoded = decode_frame(version, text, policy, &|_| None);
    matches!(decoded.message, Some(Ok(_)))
}

fn main() {
    let mut args = std::env::args().skip(1);
    let messages = args.next().and_then(|n| n.parse().ok()).unwrap_or(100_000);
    let rounds = args.next().and_then(|n| n.parse().ok()).unwrap_or(5_usize);
    let policy = Policy::default();
    let inputs = [
        (
            OcppVersion::V16,
            corpus(V16, messages, false),
            corpus(V16, messages, true),
        ),
        (
            OcppVersion::V201,
            corpus(V201, messages, false),
            corpus(V201, messages, true),
        ),
    ];
    // Every valid frame must decode strictly, and every deviant one tolerantly only.
    for (version, valid, deviant) in &inputs {
        for (good, bad) in valid.iter().zip(deviant).take(3) {
            assert!(
                strict(*version, good) && tolerant(*version, good, &policy),
                "{good}"
            );
            assert!(
                !strict(*version, bad) && tolerant(*version, bad, &policy),
                "{bad}"
            );
        }
    }
    println!("{messages} frames per version and path; best of {rounds} interleaved rounds");
    let paths = [
        "strict decode, valid (baseline)",
        "tolerant decode, valid",
        "tolerant decode, deviant",
    ];
    let mut best = [[Duration::MAX; 3]; 2];
    for _ in 0..rounds {
        for (v, (version, valid, deviant)) in inputs.iter().enumerate() {
            for (p, best) in best[v].iter_mut().enumerate() {
                let start = Instant::now();
                match p {
                    0 => valid.iter().for_each(|f| {
                        black_box(strict(*version, f));
                    }),
                    1 => valid.iter().for_each(|f| {
                        black_box(tolerant(*version, f, &policy));
                    }),
                    _ => deviant.iter().for_each(|f| {
                        black_box(tolerant(*version, f, &policy));
                    }),
                }
                *best = (*best).min(start.elapsed());
            }
        }
    }
    for (v, (version, _, _)) in inputs.iter().enumerate() {
        for (p, label) in paths.iter().enumerate() {
            let seconds = best[v][p].as_secs_f64();
            println!(
                "{:<5} {label:<34} {:>10.0} msg/s  {:.2}× strict time",
                version.as_str(),
                messages as f64 / seconds,
                seconds / best[v][0].as_secs_f64()
            );
        }
    }
}
