//! Rendering case reports: one renderer per format.

mod exchange;
mod html;
mod human;
mod json;
mod junit;
mod result;

use crate::config::TestEnv;
use crate::scenario::Level;

pub(crate) use exchange::Exchange;
pub use exchange::{Exchanged, MAX_EXCHANGED};
pub use html::html;
pub use human::{human, human_case, human_totals};
pub use json::{json, json_case};
pub use junit::junit;
pub use result::{AnsweredBy, CaseReport, Deviation, Status, UnsolicitedCall};

/// The exit code a CI gate reads: 0 all passed or skipped (warnings allowed unless the run
/// was strict), 1 a failed case, 2 the CSMS could not be reached.
pub fn exit_code(cases: &[CaseReport]) -> u8 {
    if cases.iter().any(|c| c.unreachable) {
        2
    } else if cases.iter().any(|c| c.status == Status::Fail) {
        1
    } else {
        0
    }
}

/// How many cases passed, failed and were skipped.
fn counts(cases: &[CaseReport]) -> (usize, usize, usize) {
    let count = |status| cases.iter().filter(|c| c.status == status).count();
    (
        count(Status::Pass),
        count(Status::Fail),
        count(Status::Skip),
    )
}

/// The test environment a run used, as the first lines of its report.
#[derive(Debug)]
#[non_exhaustive]
pub struct Configuration {
    /// For the human report.
    pub human: String,
    /// For the JSON report: one object `{"configuration": {"file": …, …}}` on its own line.
    pub json: String,
}

/// States the test environment read from `file`.
pub fn configuration(file: &str, env: &TestEnv) -> Configuration {
    let identities = env.identities();
    let human = format!(
        "configuration: {file} (identities {}, pending {}, rejected {}; valid token {}; \
         Basic credentials {})\n",
        identities.default,
        identities.pending,
        identities.rejected,
        env.tokens.valid.id,
        if env.auth.basic.is_some() {
            "yes"
        } else {
            "no"
        }
    );
    let mut stated = camel_case_keys(serde_json::to_value(env).unwrap_or_default());
    if let Some(map) = stated.as_object_mut() {
        map.insert("file".to_owned(), file.into());
        // Credentials stay out of reports.
        map.remove("auth");
    }
    let json = serde_json::json!({ "configuration": stated }).to_string() + "\n";
    Configuration { human, json }
}

/// The test environment with the file's snake_case keys (`group_id`) in the camelCase of
/// every JSON output (`groupId`); the `answers` table is keyed by action and holds payloads,
/// which stay as written.
fn camel_case_keys(value: serde_json::Value) -> serde_json::Value {
    match value {
        serde_json::Value::Object(map) => map
            .into_iter()
            .map(|(key, child)| {
                let child = if key == "answers" {
                    child
                } else {
                    camel_case_keys(child)
                };
                (camel_case(&key), child)
            })
            .collect(),
        other => other,
    }
}

/// `connectors_per_evse` → `connectorsPerEvse`.
fn camel_case(key: &str) -> String {
    let mut out = String::with_capacity(key.len());
    let mut upper = false;
    for c in key.chars() {
        if c == '_' {
            upper = true;
        } else if upper {
            out.push(c.to_ascii_uppercase());
            upper = false;
        } else {
            out.push(c);
        }
    }
    out
}

/// A deviation as one line: step, level, rule and message.
fn deviation_line(deviation: &Deviation) -> String {
    let level = match deviation.level {
        Level::Error => "error",
        Level::Warning => "warning",
    };
    format!(
        "step {} {level} [{}] {}",
        deviation.step, deviation.rule, deviation.message
    )
}
