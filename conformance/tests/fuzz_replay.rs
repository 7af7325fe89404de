//! Replays the conformance fuzz corpora under `cargo test`, so CI covers them without the
//! fuzzer: for each target the committed seeds, every past crash input, and a local
//! campaign's corpus.

use std::fs;
use std::path::PathBuf;

use ocpp_conformance::fuzz;

/// Runs `hook` on every input of `target`'s corpora; asserts that it has seeds.
fn replay(target: &str, hook: fn(&[u8])) {
    let fuzz = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../fuzz");
    let mut seeds = 0;
    let mut replayed = 0;
    for corpus in ["seeds", "regressions", "corpus"] {
        let Ok(entries) = fs::read_dir(fuzz.join(corpus).join(target)) else {
            continue;
        };
        for entry in entries {
            let path = entry.expect("corpus entry").path();
            let data = match fs::read(&path) {
                Ok(data) => data,
                // A campaign running meanwhile replaces corpus files as it reduces them.
                Err(e) if e.kind() == std::io::ErrorKind::NotFound => continue,
                Err(e) => panic!("{}: {e}", path.display()),
            };
            hook(&data);
            replayed += 1;
            if corpus == "seeds" {
                seeds += 1;
            }
        }
    }
    assert!(seeds > 0, "fuzz/seeds/{target} is empty");
    assert!(replayed >= seeds);
}

#[test]
fn the_scenario_fuzz_target_replays_its_corpora() {
    replay("scenario", fuzz::scenario);
}

#[test]
fn the_csms_frames_fuzz_target_replays_its_corpora() {
    replay("csms_frames", fuzz::csms_frames);
}

#[test]
fn the_runner_frames_fuzz_target_replays_its_corpora() {
    replay("runner_frames", fuzz::runner_frames);
}

#[test]
fn the_proxy_upgrade_fuzz_target_replays_its_corpora() {
    replay("proxy_upgrade", fuzz::proxy_upgrade);
}
