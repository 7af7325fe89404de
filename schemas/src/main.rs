//! `ocpp-schemas [--check]`: writes the JSON schemas of the typed payloads into `schemas/`,
//! or checks that the committed ones are current.

use std::process::ExitCode;

fn main() -> ExitCode {
    let check = std::env::args().skip(1).any(|a| a == "--check");
    let dir = ocpp_schemas::schemas_dir();
    let files = ocpp_schemas::generate();
    if check {
        let stale = ocpp_schemas::differences(&dir, &files);
        for path in &stale {
            eprintln!("stale: schemas/{path}");
        }
        if !stale.is_empty() {
            eprintln!("ocpp-schemas: schema files are stale; run `cargo run -p ocpp-schemas`");
            return ExitCode::FAILURE;
        }
        eprintln!("ocpp-schemas: {} files up to date", files.len());
        return ExitCode::SUCCESS;
    }
    match ocpp_schemas::write(&dir, &files) {
        Ok(()) => {
            eprintln!("ocpp-schemas: {} files written", files.len());
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("ocpp-schemas: {e}");
            ExitCode::FAILURE
        }
    }
}
