//! Throughput of decoding OCPP-J frames into typed messages, beside a baseline measured in
//! the same run: parsing the same text into an untyped `serde_json::Value`.
//!
//! `cargo run --release -p ocpp-model --features v21 --example decode_throughput [MESSAGES] [ROUNDS]`
//!
//! The 2.1 mix is the 2.0.1 one (the same five actions, the same payloads, which 2.1 accepts
//! as they are), so that the two versions' rows compare the decoders alone.

use std::hint::black_box;
use std::time::{Duration, Instant};

use ocpp_model::framing::Frame;
use ocpp_model::{v16, v201, v21};

const V16_FRAMES: &[&str] = &[
    r#"[2,"ID","BootNotification",{"chargePointVendor":"VendorX","chargePointModel":"Model-22","chargePointSerialNumber":"SN-0042","firmwareVersion":"1.4.2"}]"#,
    r#"[2,"ID","Heartbeat",{}]"#,
    r#"[2,"ID","StatusNotification",{"connectorId":1,"errorCode":"NoError","status":"Charging","timestamp":"2024-05-01T10:00:00.250Z"}]"#,
    r#"[2,"ID","MeterValues",{"connectorId":1,"transactionId":88,"meterValue":[{"timestamp":"2024-05-01T10:00:00Z","sampledValue":[{"value":"15342.5","measurand":"Energy.Active.Import.Register","unit":"Wh","context":"Sample.Periodic"},{"value":"11040","measurand":"Power.Active.Import","unit":"W"},{"value":"16.1","measurand":"Current.Import","unit":"A","phase":"L1"},{"value":"230.4","measurand":"Voltage","unit":"V","phase":"L1-N"}]}]}]"#,
    r#"[2,"ID","StartTransaction",{"connectorId":1,"idTag":"04A2B3C4","meterStart":15000,"timestamp":"2024-05-01T09:00:00+02:00"}]"#,
];

/// The 2.0.1 mix, and the 2.1 one.
const V201_FRAMES: &[&str] = &[
    r#"[2,"ID","BootNotification",{"reason":"PowerUp","chargingStation":{"model":"Model-22","vendorName":"VendorX","serialNumber":"SN-0042","firmwareVersion":"1.4.2"}}]"#,
    r#"[2,"ID","Heartbeat",{}]"#,
    r#"[2,"ID","StatusNotification",{"timestamp":"2024-05-01T10:00:00.250Z","connectorStatus":"Occupied","evseId":1,"connectorId":1}]"#,
    r#"[2,"ID","TransactionEvent",{"eventType":"Updated","timestamp":"2024-05-01T10:00:00Z","triggerReason":"MeterValuePeriodic","seqNo":4,"transactionInfo":{"transactionId":"TX-88","chargingState":"Charging"},"evse":{"id":1,"connectorId":1},"meterValue":[{"timestamp":"2024-05-01T10:00:00Z","sampledValue":[{"value":15342.5,"measurand":"Energy.Active.Import.Register","unitOfMeasure":{"unit":"Wh"}},{"value":11040,"measurand":"Power.Active.Import"},{"value":16.1,"measurand":"Current.Import","phase":"L1"}]}]}]"#,
    r#"[2,"ID","Authorize",{"idToken":{"idToken":"04A2B3C4","type":"ISO14443"}}]"#,
];

fn corpus(templates: &[&str], messages: usize) -> Vec<String> {
    (0..messages)
        .map(|i| templates[i % templates.len()].replacen("\"ID\"", &format!("\"{i}\""), 1))
        .collect()
}

/// One decoding path over a corpus.
type Path = fn(&str);

/// A version's rows: its frames, and the baseline, frame and typed decoding paths.
struct Mix {
    version: &'static str,
    templates: &'static [&'static str],
    /// Panics unless the frame decodes, typed payload and all: the figures must not time
    /// error paths.
    check: Path,
    paths: [(&'static str, Path); 3],
}

/// The mix of `$module` over `$frames`.
macro_rules! mix {
    ($version:literal, $module:ident, $frames:expr) => {
        Mix {
            version: $version,
            templates: $frames,
            check: |f| {
                let Ok(Frame::Call(call)) = f.parse::<$module::Frame>() else {
                    panic!("{f}")
                };
                if let Err(error) = call
                    .action
                    .parse()
                    .and_then(|action| $module::Request::from_value(action, &call.payload))
                {
                    panic!("{f}: {error}");
                }
            },
            paths: [
                ("serde_json::Value parse (baseline)", |f| {
                    black_box(serde_json::from_str::<serde_json::Value>(f).ok());
                }),
                ("frame decode", |f| {
                    black_box(f.parse::<$module::Frame>().ok());
                }),
                ("frame + typed payload decode", |f| {
                    if let Ok(Frame::Call(call)) = f.parse::<$module::Frame>() {
                        black_box(
                            call.action
                                .parse()
                                .and_then(|action| {
                                    $module::Request::from_value(action, &call.payload)
                                })
                                .ok(),
                        );
                    }
                }),
            ],
        }
    };
}

fn main() {
    let mut args = std::env::args().skip(1);
    let messages = args.next().and_then(|n| n.parse().ok()).unwrap_or(200_000);
    let rounds = args.next().and_then(|n| n.parse().ok()).unwrap_or(5_usize);
    let mixes = [
        mix!("1.6", v16, V16_FRAMES),
        mix!("2.0.1", v201, V201_FRAMES),
        mix!("2.1", v21, V201_FRAMES),
    ];
    let corpora: Vec<Vec<String>> = mixes
        .iter()
        .map(|mix| corpus(mix.templates, messages))
        .collect();
    for (mix, frames) in mixes.iter().zip(&corpora) {
        frames
            .iter()
            .take(mix.templates.len())
            .for_each(|f| (mix.check)(f));
    }
    println!("{messages} frames per version; best of {rounds} interleaved rounds");
    let mut best = [[Duration::MAX; 3]; 3];
    for _ in 0..rounds {
        for ((mix, frames), best) in mixes.iter().zip(&corpora).zip(&mut best) {
            for ((_, path), best) in mix.paths.iter().zip(best.iter_mut()) {
                let start = Instant::now();
                for frame in frames {
                    path(frame);
                }
                *best = (*best).min(start.elapsed());
            }
        }
    }
    for ((mix, frames), best) in mixes.iter().zip(&corpora).zip(&best) {
        let bytes: usize = frames.iter().map(String::len).sum();
        let baseline = best[0].as_secs_f64();
        for ((label, _), time) in mix.paths.iter().zip(best) {
            let seconds = time.as_secs_f64();
            println!(
                "{:<44} {:>10.0} msg/s {:>8.1} MiB/s  {:.2}× baseline time",
                format!("{:<5} {label}", mix.version),
                frames.len() as f64 / seconds,
                bytes as f64 / seconds / (1024.0 * 1024.0),
                seconds / baseline
            );
        }
    }
}
