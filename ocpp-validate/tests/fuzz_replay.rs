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

/// The targets that take an OCPP version pick 2.1 too, and their seeds say it: each has
/// 2.1 seeds (named `v2.1-…`), and the frame and payload ones are valid 2.1, so that the
/// replay reaches past the first refusal.
#[test]
fn the_versioned_targets_have_2_1_seeds() {
    use ocpp_model::{v21, AnyFrame, OcppVersion};
    let of_2_1 = |name: &str| -> Vec<(String, Vec<u8>)> {
        let dir = fuzz_dir().join("seeds").join(name);
        let mut seeds: Vec<_> = fs::read_dir(&dir)
            .expect("seeds")
            .map(|entry| entry.expect("seed").path())
            .filter_map(|path| {
                let file = path.file_name()?.to_str()?.to_owned();
                file.starts_with("v2.1-")
                    .then(|| (file, fs::read(&path).expect("readable")))
            })
            .collect();
        seeds.sort();
        seeds
    };
    for name in ["frame", "payload", "check", "typed_roundtrip", "tolerant"] {
        assert!(
            !of_2_1(name).is_empty(),
            "fuzz/seeds/{name} has no 2.1 seed"
        );
    }
    let text = |data: &[u8]| String::from_utf8(data.to_vec()).expect("UTF-8");
    for (file, data) in of_2_1("frame") {
        // Selector 2 picks 2.1.
        assert_eq!(data[0], 2, "{file}");
        let frame = text(&data[1..]);
        assert!(AnyFrame::parse(OcppVersion::V21, &frame).is_ok(), "{file}");
    }
    let mut kinds = std::collections::BTreeSet::new();
    for frame in of_2_1("frame") {
        kinds.insert(text(&frame.1[1..])[1..2].to_owned());
    }
    assert_eq!(
        kinds.into_iter().collect::<String>(),
        "2356",
        "CALL, CALLRESULT, CALLRESULTERROR and SEND"
    );
    for (file, data) in of_2_1("payload") {
        assert_eq!(data[0], 2, "{file}");
        let action = v21::ActionName::ALL[usize::from(data[1] >> 1) % v21::ActionName::ALL.len()];
        let json = text(&data[2..]);
        let decoded = match data[1] & 1 {
            0 => v21::Request::from_json(action, &json).map(drop),
            _ => v21::Response::from_json(action, &json).map(drop),
        };
        assert!(decoded.is_ok(), "{file}: {action}: {decoded:?}");
    }
}
