//! The load report as pretty-printed JSON.

use super::LoadReport;

/// The report as JSON, newline-terminated.
pub fn json(report: &LoadReport) -> String {
    let mut text = serde_json::to_string_pretty(report).unwrap_or_default();
    text.push('\n');
    text
}

#[cfg(test)]
mod tests {
    #[test]
    fn renders_the_sample() {
        insta::assert_snapshot!(super::json(&super::super::sample::report()));
    }
}
