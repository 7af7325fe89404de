//! Value parsers for the numeric options, each with its stated range: a number out of range
//! is a usage error (exit 2), never a panic later.

use std::time::Duration;

/// The longest duration any option takes.
pub(crate) const MAX_DURATION: Duration = Duration::from_secs(365 * 24 * 3600);

/// The longest duration in milliseconds (`--timeout-ms`, `--delay-ms`).
pub(crate) const MAX_MS: u64 = 365 * 24 * 3600 * 1000;

/// Reads `500ms`, `90s`, `2m` or a bare number of seconds, at most one year.
pub(crate) fn duration(text: &str) -> Result<Duration, String> {
    let (number, scale) = if let Some(n) = text.strip_suffix("ms") {
        (n, 0.001)
    } else if let Some(n) = text.strip_suffix('s') {
        (n, 1.0)
    } else if let Some(n) = text.strip_suffix('m') {
        (n, 60.0)
    } else {
        (text, 1.0)
    };
    let duration = number
        .parse::<f64>()
        .ok()
        .and_then(|n| Duration::try_from_secs_f64(n * scale).ok())
        .ok_or_else(|| format!("{text:?} is not a duration such as 500ms, 90s or 2m"))?;
    if duration > MAX_DURATION {
        return Err(format!("{text:?} is longer than a year (365 days)"));
    }
    Ok(duration)
}

/// Reads a positive duration of at most one year.
pub(crate) fn positive_duration(text: &str) -> Result<Duration, String> {
    match duration(text)? {
        Duration::ZERO => Err(format!("{text:?} is zero; give a positive duration")),
        positive => Ok(positive),
    }
}

/// The fewest and most stations started per second.
const RAMP: (f64, f64) = (0.001, 1_000_000.0);

/// Reads a ramp in stations per second, from 0.001 to 1,000,000.
pub(crate) fn ramp(text: &str) -> Result<f64, String> {
    let (low, high) = RAMP;
    match text.parse::<f64>() {
        Ok(ramp) if (low..=high).contains(&ramp) => Ok(ramp),
        _ => Err(format!(
            "{text:?} is not a number of stations per second from {low} to {high}"
        )),
    }
}
