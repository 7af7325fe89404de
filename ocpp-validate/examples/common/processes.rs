//! Whole processes timed side by side on one file: `ocpp-validate check` in the ways a user
//! runs it, beside rust-ocpp 3.0.4's plain typed decode of the same frames (the
//! `rust-ocpp-baseline` crate in `ocpp-validate/baseline`, built on its own so that its
//! dependencies stay out of the workspace). The commands run in turn, round after round, and
//! each one's median wall time is printed with its ratio to the baseline's, so that a burst of
//! other work on the machine weighs on every command alike.

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::Instant;

/// The `ocpp-validate` binary built beside this example (`target/release/ocpp-validate`).
fn ocpp_validate() -> Option<PathBuf> {
    let exe = std::env::current_exe().ok()?;
    let binary = exe.parent()?.parent()?.join("ocpp-validate");
    binary.is_file().then_some(binary)
}

/// The baseline binary: `$RUST_OCPP_BASELINE`, else where `cargo build --release` in
/// `ocpp-validate/baseline` puts it.
fn baseline() -> Option<PathBuf> {
    let binary = match std::env::var_os("RUST_OCPP_BASELINE") {
        Some(path) => PathBuf::from(path),
        None => {
            Path::new(env!("CARGO_MANIFEST_DIR")).join("baseline/target/release/rust-ocpp-baseline")
        }
    };
    binary.is_file().then_some(binary)
}

/// Times the baseline and `check` with each of `ways` (extra arguments, with a label) on
/// `file`, `rounds` times in turn, and prints the medians.
pub(crate) fn compare(file: &Path, ways: &[(&str, &[&str])], rounds: usize) {
    let (Some(check), Some(baseline)) = (ocpp_validate(), baseline()) else {
        println!(
            "whole processes: skipped (build `ocpp-validate` with --release and the baseline with `cargo build --release` in ocpp-validate/baseline)"
        );
        return;
    };
    let mut commands: Vec<(String, Command)> = Vec::new();
    let mut plain = Command::new(&baseline);
    plain.arg(file);
    commands.push(("rust-ocpp 3.0.4 typed decode (baseline)".to_owned(), plain));
    for (label, args) in ways {
        let mut command = Command::new(&check);
        command
            .arg("check")
            .arg("--statistics")
            .args(*args)
            .arg(file);
        commands.push(((*label).to_owned(), command));
    }
    let mut times: Vec<Vec<f64>> = vec![Vec::new(); commands.len()];
    for _ in 0..rounds {
        for ((_, command), times) in commands.iter_mut().zip(&mut times) {
            let start = Instant::now();
            let status = command
                .stdout(Stdio::null())
                .stderr(Stdio::null())
                .status()
                .expect("the command runs");
            times.push(start.elapsed().as_secs_f64());
            // `check` exits 1 when it finds errors; only a failure to run is fatal.
            assert!(
                status.code().is_some_and(|c| c <= 1),
                "{command:?}: {status}"
            );
        }
    }
    let medians: Vec<f64> = times.iter_mut().map(|t| median(t)).collect();
    let mib = std::fs::metadata(file).map_or(0.0, |m| m.len() as f64 / (1 << 20) as f64);
    println!("whole processes on {mib:.1} MiB, median of {rounds} rounds in turn:");
    println!(
        "{:<52} {:>8} {:>10} {:>16}",
        "command", "seconds", "MiB/s", "time vs baseline"
    );
    for ((label, _), seconds) in commands.iter().zip(&medians) {
        println!(
            "{label:<52} {seconds:>8.2} {:>10.1} {:>15.2}x",
            mib / seconds,
            seconds / medians[0]
        );
    }
}

fn median(times: &mut [f64]) -> f64 {
    times.sort_by(f64::total_cmp);
    times[times.len() / 2]
}
