//! Entry points for the fuzz targets in `fuzz/` (`scenario`, `csms_frames`,
//! `runner_frames`, `proxy_upgrade`), kept here so that `cargo test` replays their corpora without the
//! fuzzer. Each panics only when an invariant breaks; bad input itself must never panic.

mod csms_frames;
mod proxy_upgrade;
mod runner_frames;

use std::collections::BTreeMap;

use serde_json::Value;

pub use csms_frames::csms_frames;
pub use proxy_upgrade::proxy_upgrade;
pub use runner_frames::runner_frames;

use crate::scenario::{substitute, Scenario, Step, FORMAT};

/// Scenario files: parsing never panics, an accepted file declares the format this crate
/// reads, errors name the file, and every matcher and substitution of an accepted file runs
/// on its own payloads without panicking.
pub fn scenario(data: &[u8]) {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let scenario = match Scenario::parse("fuzz.toml", text) {
        Ok(scenario) => scenario,
        Err(e) => {
            assert!(e.to_string().starts_with("fuzz.toml: "), "{e}");
            return;
        }
    };
    assert_eq!(scenario.format, FORMAT);
    let mut vars = BTreeMap::new();
    vars.insert("id".to_owned(), Value::String(scenario.id.clone()));
    for step in &scenario.steps {
        match step {
            Step::Call {
                payload, expect, ..
            } => {
                let sent = substitute(payload, &vars);
                for (pointer, matcher) in &expect.matchers {
                    let _verdict = matcher.check(&sent, pointer);
                }
                capture(&sent, &expect.capture, &mut vars);
            }
            Step::ExpectCall {
                matchers,
                capture: wanted,
                respond,
                ..
            } => {
                let answer = substitute(respond, &vars);
                for (pointer, matcher) in matchers {
                    let _verdict = matcher.check(&answer, pointer);
                }
                capture(&answer, wanted, &mut vars);
            }
            Step::Trigger { payload, .. } | Step::Send { payload, .. } => {
                substitute(payload, &vars);
            }
            Step::SendRaw { .. } | Step::Wait { .. } | Step::Reconnect {} => {}
        }
    }
}

fn capture(payload: &Value, wanted: &BTreeMap<String, String>, vars: &mut BTreeMap<String, Value>) {
    for (name, pointer) in wanted {
        if let Some(value) = payload.pointer(pointer) {
            vars.insert(name.clone(), value.clone());
        }
    }
}
