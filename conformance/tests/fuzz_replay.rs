//! Replays the `scenario` fuzz corpora under `cargo test`, so CI covers them without the
//! fuzzer: the committed seeds, every past crash input, and a local campaign's corpus.

use std::fs;
use std::path::PathBuf;

use ocpp_conformance::__fuzz;

#[test]
fn the_scenario_fuzz_target_replays_its_corpora() {
    let fuzz = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../fuzz");
    let mut seeds = 0;
    let mut replayed = 0;
    for corpus in ["seeds", "regressions", "corpus"] {
        let Ok(entries) = fs::read_dir(fuzz.join(corpus).join("scenario")) else {
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
            __fuzz::scenario(&data);
            replayed += 1;
            if corpus == "seeds" {
                seeds += 1;
            }
        }
    }
    assert!(seeds > 0, "fuzz/seeds/scenario is empty");
    assert!(replayed >= seeds);
}
