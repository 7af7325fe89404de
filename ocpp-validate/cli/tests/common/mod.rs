//! Helpers shared by the pipeline, lake and summary tests.

use std::path::{Path, PathBuf};

use assert_cmd::Command;

/// The directory of the data-lake fixtures.
pub(crate) fn lake_fixtures() -> PathBuf {
    Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/.."))
        .join("tests")
        .join("fixtures")
        .join("lake")
}

/// Runs `ocpp-validate` in `dir` (20 s at most): exit status, standard output and error.
pub(crate) fn ocpp_validate(dir: &Path, args: &[&str]) -> (Option<i32>, String, String) {
    let output = Command::cargo_bin("ocpp-validate")
        .expect("the binary is built")
        .current_dir(dir)
        .args(args)
        .timeout(std::time::Duration::from_secs(20))
        .output()
        .expect("the binary runs");
    (
        output.status.code(),
        String::from_utf8(output.stdout).expect("UTF-8"),
        String::from_utf8(output.stderr).expect("UTF-8"),
    )
}
