//! Replays the fuzz corpora under `cargo test`, so CI covers them without the fuzzer: the
//! committed seeds (`fuzz/seeds/TARGET`), every past crash input (`fuzz/regressions/TARGET`),
//! and a local campaign's corpus (`fuzz/corpus/TARGET`) when one is present.

use std::fs;
use std::path::{Path, PathBuf};

use ocpp_validate::fuzz;

fn fuzz_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../fuzz")
}

/// Runs `target` on every file of the target's corpora; gives how many files ran.
fn replay(name: &str, target: Target) -> usize {
    let mut count = 0;
    for corpus in ["seeds", "regressions", "corpus"] {
        let dir = fuzz_dir().join(corpus).join(name);
        let Ok(entries) = fs::read_dir(&dir) else {
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
            target(&data);
            count += 1;
        }
    }
    count
}

fn seeds(name: &str) -> usize {
    let dir: PathBuf = fuzz_dir().join("seeds").join(name);
    fs::read_dir(Path::new(&dir))
        .map(|d| d.count())
        .unwrap_or(0)
}

/// A fuzz target's entry point.
type Target = fn(&[u8]);

#[test]
fn every_fuzz_target_has_seeds_and_replays_them() {
    let targets: [(&str, Target); 10] = [
        ("frame", fuzz::frame),
        ("payload", fuzz::payload),
        ("check", fuzz::check),
        ("date_time", fuzz::date_time),
        ("typed_roundtrip", fuzz::typed_roundtrip),
        ("tolerant", fuzz::tolerant),
        ("log", fuzz::log),
        ("lake_jsonl", fuzz::lake_jsonl),
        ("csv", fuzz::csv),
        ("parquet", fuzz::parquet),
    ];
    for (name, target) in targets {
        let seeded = seeds(name);
        assert!(seeded > 0, "fuzz/seeds/{name} is empty");
        assert!(replay(name, target) >= seeded, "{name}");
    }
}
