//! The committed generated modules are exactly what the generator makes of the official
//! schemas (CI runs this, so a stale or hand-edited file fails the build).

use ocpp_codegen::{differences, generate, version_dir, Paths};

#[test]
fn committed_code_is_what_the_generator_produces() {
    let paths = Paths::from_workspace();
    if !version_dir(&paths.schemas, "v16").is_dir() {
        eprintln!(
            "SKIPPED: official OCPP schemas not found at {} (set OCPP_OFFICIAL_SCHEMAS)",
            paths.schemas.display()
        );
        return;
    }
    let files = generate(&paths).expect("generation succeeds");
    assert!(files.len() > 300, "all modules generated ({})", files.len());
    let stale = differences(&paths, &files).expect("comparison succeeds");
    assert!(
        stale.is_empty(),
        "stale generated files {stale:?}; run `cargo run -p ocpp-codegen`"
    );
}
