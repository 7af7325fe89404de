//! Throughput of decoding OCPP-J frames into typed messages, beside a baseline measured in
//! the same run: parsing the same text into an untyped `serde_json::Value`.
//!
//! `cargo run --release -p ocpp-model --example decode_throughput [MESSAGES] [ROUNDS]`

use std::hint::black_box;
use std::time::{Duration, Instant};

use ocpp_model::framing::Frame;
use ocpp_model::{v16, v201};

const V16_FRAMES: &[&str] = &[
    r#"[2,"ID","BootNotification",{"chargePointVendor":"VendorX","chargePointModel":"Model-22","chargePointSerialNumber":"SN-0042","firmwareVersion":"1.4.2"}]"#,
    r#"[2,"ID","Heartbeat",{}]"#,
    r#"[2,"ID","StatusNotification",{"connectorId":1,"errorCode":"NoError","status":"Charging","timestamp":"2024-05-01T10:00:00.250Z"}]"#,
    r#"[2,"ID","MeterValues",{"connectorId":1,"transactionId":88,"meterValue":[{"timestamp":"2024-05-01T10:00:00Z","sampledValue":[{"value":"15342.5","measurand":"Energy.Active.Import.Register","unit":"Wh","context":"Sample.Periodic"},{"value":"11040","measurand":"Power.Active.Import","unit":"W"},{"value":"16.1","measurand":"Current.Import","unit":"A","phase":"L1"},{"value":"230.4","measurand":"Voltage","unit":"V","phase":"L1-N"}]}]}]"#,
    r#"[2,"ID","StartTransaction",{"connectorId":1,"idTag":"04A2B3C4","meterStart":15000,"timestamp":"2024-05-01T09:00:00+02:00"}]"#,
];

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

/// Every frame of the corpus must decode, or the figures would time error paths.
fn check_corpus(v16_frames: &[String], v201_frames: &[String]) {
    for frame in v16_frames.iter().take(V16_FRAMES.len()) {
        let Ok(Frame::Call(call)) = frame.parse::<v16::Frame>() else {
            panic!("{frame}")
        };
        if let Err(error) = call
            .action
            .parse()
            .and_then(|action| v16::Request::from_value(action, &call.payload))
        {
            panic!("{frame}: {error}");
        }
    }
    for frame in v201_frames.iter().take(V201_FRAMES.len()) {
        let Ok(Frame::Call(call)) = frame.parse::<v201::Frame>() else {
            panic!("{frame}")
        };
        if let Err(error) = call
            .action
            .parse()
            .and_then(|action| v201::Request::from_value(action, &call.payload))
        {
            panic!("{frame}: {error}");
        }
    }
}

/// One decoding path over a corpus.
type Path = fn(&str);

const PATHS: [(&str, Path); 6] = [
    ("1.6   serde_json::Value parse (baseline)", |f| {
        black_box(serde_json::from_str::<serde_json::Value>(f).ok());
    }),
    ("1.6   frame decode", |f| {
        black_box(f.parse::<v16::Frame>().ok());
    }),
    ("1.6   frame + typed payload decode", |f| {
        if let Ok(Frame::Call(call)) = f.parse::<v16::Frame>() {
            black_box(
                call.action
                    .parse()
                    .and_then(|action| v16::Request::from_value(action, &call.payload))
                    .ok(),
            );
        }
    }),
    ("2.0.1 serde_json::Value parse (baseline)", |f| {
        black_box(serde_json::from_str::<serde_json::Value>(f).ok());
    }),
    ("2.0.1 frame decode", |f| {
        black_box(f.parse::<v201::Frame>().ok());
    }),
    ("2.0.1 frame + typed payload decode", |f| {
        if let Ok(Frame::Call(call)) = f.parse::<v201::Frame>() {
            black_box(
                call.action
                    .parse()
                    .and_then(|action| v201::Request::from_value(action, &call.payload))
                    .ok(),
            );
        }
    }),
];

fn main() {
    let mut args = std::env::args().skip(1);
    let messages = args.next().and_then(|n| n.parse().ok()).unwrap_or(200_000);
    let rounds = args.next().and_then(|n| n.parse().ok()).unwrap_or(5_usize);
    let v16_frames = corpus(V16_FRAMES, messages);
    let v201_frames = corpus(V201_FRAMES, messages);
    check_corpus(&v16_frames, &v201_frames);
    println!("{messages} frames per version; best of {rounds} interleaved rounds");
    let mut best = [Duration::MAX; 6];
    for _ in 0..rounds {
        for (index, (_, path)) in PATHS.iter().enumerate() {
            let frames = if index < 3 { &v16_frames } else { &v201_frames };
            let start = Instant::now();
            for frame in frames {
                path(frame);
            }
            best[index] = best[index].min(start.elapsed());
        }
    }
    for (index, (label, _)) in PATHS.iter().enumerate() {
        let frames = if index < 3 { &v16_frames } else { &v201_frames };
        let bytes: usize = frames.iter().map(String::len).sum();
        let seconds = best[index].as_secs_f64();
        let baseline = best[if index < 3 { 0 } else { 3 }].as_secs_f64();
        println!(
            "{label:<44} {:>10.0} msg/s {:>8.1} MiB/s  {:.2}× baseline time",
            frames.len() as f64 / seconds,
            bytes as f64 / seconds / (1024.0 * 1024.0),
            seconds / baseline
        );
    }
}
