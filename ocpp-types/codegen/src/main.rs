//! `ocpp-codegen [--check]`: regenerates the action modules of `ocpp-model`, or checks that
//! the committed ones are what the schemas produce.

use std::process::ExitCode;

use ocpp_codegen::{differences, generate, write, Paths};

fn main() -> ExitCode {
    let check = std::env::args().skip(1).any(|a| a == "--check");
    let paths = Paths::from_workspace();
    let files = match generate(&paths) {
        Ok(files) => files,
        Err(e) => {
            eprintln!("ocpp-codegen: {e}");
            return ExitCode::FAILURE;
        }
    };
    let outcome = if check {
        differences(&paths, &files).map(|stale| {
            for path in &stale {
                eprintln!("stale: ocpp-types/src/{path}");
            }
            stale.is_empty()
        })
    } else {
        write(&paths, &files).map(|()| true)
    };
    match outcome {
        Ok(true) => {
            eprintln!(
                "ocpp-codegen: {} files {}",
                files.len(),
                if check { "up to date" } else { "written" }
            );
            ExitCode::SUCCESS
        }
        Ok(false) => {
            eprintln!("ocpp-codegen: generated files are stale; run `cargo run -p ocpp-codegen`");
            ExitCode::FAILURE
        }
        Err(e) => {
            eprintln!("ocpp-codegen: {e}");
            ExitCode::FAILURE
        }
    }
}
