//! Scale of `ocpp-validate check`: one-job and two-job throughput side by side on the same
//! in-memory trace, the peak memory (VmHWM) while a multi-GB generated trace is streamed
//! through the checker, and the peak memory per charge point for traces of many charge
//! points that each send one message.
//!
//! The trace: CSMS log lines of 16 charge points interleaved; per charge point 80%
//! MeterValues with 6 sampled values, 10% Heartbeat, 10% StatusNotification, each CALL
//! followed by its CALLRESULT. The traces of many charge points: each charge point sends one
//! answered Heartbeat (nothing is left to follow), or one answered StatusNotification (its
//! connector's status is kept, up to the limit of charge points kept).
//!
//! Throughputs are the best of interleaved rounds (1 job, then 2 jobs, repeated), so that a
//! burst of other work on the machine does not decide the ratio.
//!
//! Last, the in-memory trace, written to a file, is checked by whole `ocpp-validate check`
//! processes with one and two jobs beside rust-ocpp 3.0.4's plain typed decode of its
//! frames, when both binaries are built (see `validate_throughput`).
//!
//! `cargo run --release -p ocpp-validate --example check_scale [MESSAGES] [STREAM_GIB] [ROUNDS]
//! [CHARGE_POINTS]`

use std::io::{self, BufReader, Read};
use std::time::Instant;

use ocpp_validate::check::{check_reader, CheckOptions, Counts};

#[path = "common/processes.rs"]
mod processes;

/// The allocator the `ocpp-validate` binary uses, so the figures are the CLI's.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

const CHARGE_POINTS: usize = 16;

fn trace(messages: usize) -> String {
    let mut out = String::new();
    for i in 0..messages {
        let cp = i % CHARGE_POINTS;
        let at = format!(
            "2026-03-02T08:{:02}:{:02}.{:03}Z",
            i / 60_000 % 60,
            i / 1000 % 60,
            i % 1000
        );
        let call = match i % 10 {
            0 => r#""Heartbeat",{}"#.to_owned(),
            1 => r#""StatusNotification",{"connectorId":1,"errorCode":"NoError","status":"Charging"}"#
                .to_owned(),
            _ => {
                let values: Vec<String> = [
                    ("Energy.Active.Import.Register", "Wh"),
                    ("Power.Active.Import", "W"),
                    ("Current.Import", "A"),
                    ("Voltage", "V"),
                    ("SoC", "Percent"),
                    ("Temperature", "Celsius"),
                ]
                .iter()
                .map(|(measurand, unit)| {
                    format!(r#"{{"value":"{}.5","measurand":"{measurand}","unit":"{unit}"}}"#, i % 977)
                })
                .collect();
                format!(
                    r#""MeterValues",{{"connectorId":1,"transactionId":{cp},"meterValue":[{{"timestamp":"{at}","sampledValue":[{}]}}]}}"#,
                    values.join(",")
                )
            }
        };
        let result = if i % 10 == 0 {
            format!(r#"{{"currentTime":"{at}"}}"#)
        } else {
            "{}".to_owned()
        };
        out.push_str(&format!(
            "{at} INFO [cp=CP-{cp:03}] received: [2,\"{i}\",{call}]\n"
        ));
        out.push_str(&format!(
            "{at} INFO [cp=CP-{cp:03}] send: [3,\"{i}\",{result}]\n"
        ));
    }
    out
}

fn run(input: impl io::BufRead, jobs: usize) -> (Counts, f64) {
    let options = CheckOptions::default().with_jobs(jobs);
    let start = Instant::now();
    let summary = check_reader(input, options, &mut |_| {}).expect("in memory");
    (summary, start.elapsed().as_secs_f64())
}

/// A block of text repeated until `remaining` bytes were read.
struct Repeat {
    block: Vec<u8>,
    offset: usize,
    remaining: u64,
}

impl Read for Repeat {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let left = usize::try_from(self.remaining).unwrap_or(usize::MAX);
        let n = buf.len().min(self.block.len() - self.offset).min(left);
        buf[..n].copy_from_slice(&self.block[self.offset..self.offset + n]);
        self.offset = (self.offset + n) % self.block.len();
        self.remaining -= n as u64;
        Ok(n)
    }
}

/// A field of `/proc/self/status` in KiB (`VmHWM`, `VmRSS`).
fn status_kib(field: &str) -> Option<f64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with(field))?;
    line.split_whitespace().nth(1)?.parse().ok()
}

fn peak_rss_mib() -> String {
    status_kib("VmHWM:").map_or_else(
        || "unknown (no /proc/self/status)".to_owned(),
        |kib| format!("{:.1} MiB", kib / 1024.0),
    )
}

/// Log lines of `count` charge points, made as they are read: each sends one CALL
/// (`call`, a Heartbeat or a StatusNotification) and is answered.
struct ManyChargePoints {
    next: usize,
    count: usize,
    status: bool,
    lines: Vec<u8>,
    offset: usize,
}

impl Read for ManyChargePoints {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        if self.offset == self.lines.len() {
            if self.next == self.count {
                return Ok(0);
            }
            let (cp, at) = (self.next, "2026-03-02T08:00:00Z");
            self.next += 1;
            let (call, result) = if self.status {
                (
                    r#""StatusNotification",{"connectorId":1,"errorCode":"NoError","status":"Available"}"#,
                    "{}".to_owned(),
                )
            } else {
                (r#""Heartbeat",{}"#, format!(r#"{{"currentTime":"{at}"}}"#))
            };
            self.lines = format!(
                "{at} INFO [cp=CP-{cp:07}] received: [2,\"1\",{call}]\n{at} INFO [cp=CP-{cp:07}] send: [3,\"1\",{result}]\n"
            )
            .into_bytes();
            self.offset = 0;
        }
        let n = buf.len().min(self.lines.len() - self.offset);
        buf[..n].copy_from_slice(&self.lines[self.offset..self.offset + n]);
        self.offset += n;
        Ok(n)
    }
}

/// Checks `count` charge points of one message each with 2 jobs and prints the peak memory
/// above the RSS before, per charge point. Run in a process of its own, so that nothing
/// else raised the peak.
fn per_charge_point(count: usize, status: bool) {
    let before = status_kib("VmRSS:");
    let input = ManyChargePoints {
        next: 0,
        count,
        status,
        lines: Vec::new(),
        offset: 0,
    };
    let (summary, seconds) = run(BufReader::with_capacity(1 << 20, input), 2);
    let what = if status {
        "one answered StatusNotification (a status kept)"
    } else {
        "one answered Heartbeat (nothing kept)"
    };
    match (before, status_kib("VmHWM:")) {
        (Some(before), Some(peak)) => println!(
            "{count} charge points, each {what}: {} records in {seconds:.1} s, peak {:.1} MiB above the {:.1} MiB before: {:.0} bytes per charge point",
            summary.records,
            (peak - before) / 1024.0,
            before / 1024.0,
            (peak - before) * 1024.0 / count as f64
        ),
        _ => println!("{count} charge points, each {what}: peak memory unknown (no /proc/self)"),
    }
}

/// Set to `heartbeat` or `status` in the process that [`per_charge_point`] runs in.
const CHILD: &str = "CHECK_SCALE_CHARGE_POINTS";

fn main() {
    let mut args = std::env::args().skip(1);
    if let Ok(kind) = std::env::var(CHILD) {
        let count = args
            .next()
            .and_then(|a| a.parse().ok())
            .unwrap_or(1_000_000);
        return per_charge_point(count, kind == "status");
    }
    let messages: usize = args
        .next()
        .and_then(|a| a.parse().ok())
        .unwrap_or(1_000_000);
    let stream_gib: f64 = args.next().and_then(|a| a.parse().ok()).unwrap_or(2.0);
    let cores = std::thread::available_parallelism().map_or(1, usize::from);
    println!("cores available: {cores}");
    let rounds: usize = args.next().and_then(|a| a.parse().ok()).unwrap_or(3);
    let charge_points: usize = args
        .next()
        .and_then(|a| a.parse().ok())
        .unwrap_or(1_000_000);
    for kind in ["heartbeat", "status"] {
        let child = std::env::current_exe().and_then(|exe| {
            std::process::Command::new(exe)
                .env(CHILD, kind)
                .arg(charge_points.to_string())
                .output()
        });
        match child {
            Ok(output) => print!("{}", String::from_utf8_lossy(&output.stdout)),
            Err(e) => println!("{charge_points} charge points ({kind}): cannot run: {e}"),
        }
    }

    // Streamed first, so that VmHWM is not raised by the in-memory trace below.
    let block = trace(4_000).into_bytes();
    let bytes = (stream_gib * (1u64 << 30) as f64) as u64;
    let stream = Repeat {
        block,
        offset: 0,
        remaining: bytes,
    };
    let (summary, seconds) = run(BufReader::with_capacity(1 << 20, stream), 2);
    println!(
        "streamed {:.2} GiB ({} records, {} findings) with 2 jobs in {seconds:.1} s: peak RSS (VmHWM) {}",
        bytes as f64 / (1u64 << 30) as f64,
        summary.records,
        summary.errors + summary.warnings + summary.infos,
        peak_rss_mib()
    );

    let text = trace(messages);
    let mib = text.len() as f64 / (1 << 20) as f64;
    println!(
        "in-memory trace: {} records, {mib:.1} MiB; best of {rounds} interleaved rounds",
        2 * messages
    );
    let mut best = [f64::INFINITY; 2];
    let mut summaries = [Counts::default(); 2];
    for _ in 0..rounds {
        for (slot, jobs) in [1, 2].into_iter().enumerate() {
            let (summary, seconds) = run(text.as_bytes(), jobs);
            summaries[slot] = summary;
            best[slot] = best[slot].min(seconds);
        }
    }
    assert_eq!(summaries[0], summaries[1], "the jobs disagree");
    let records = summaries[0].records as f64;
    println!("{:<8} {:>12} {:>14}", "jobs", "records", "throughput");
    for (jobs, seconds) in [1, 2].into_iter().zip(best) {
        println!(
            "{jobs:<8} {:>10.1}/s {:>10.1} MiB/s",
            records / seconds,
            mib / seconds
        );
    }
    println!("speed-up with 2 jobs: {:.2}x", best[0] / best[1]);
    let file = std::env::temp_dir().join(format!("check_scale-{}.log", std::process::id()));
    std::fs::write(&file, &text).expect("the trace is written");
    processes::compare(
        &file,
        &[
            ("check (the default: semantic rules, default jobs)", &[]),
            ("check --jobs 2", &["--jobs", "2"]),
            ("check --jobs 1", &["--jobs", "1"]),
        ],
        rounds,
    );
    std::fs::remove_file(&file).ok();
}
