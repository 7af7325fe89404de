//! Meter registers within a transaction.
//!
//! * `semantic-meter-decreasing`: a `*.Register` measurand (same phase and location) lower
//!   than its previous reading within one transaction; kWh readings are compared in Wh.

use ocpp_model::primitives::Decimal;
use ocpp_model::OcppVersion;
use serde_json::Value;

use super::decode::{MeterValue, SampledValue};
use super::{finding, Cx, Out};
use crate::finding::Severity;

/// The measurand a sample without one carries.
pub(super) const DEFAULT_MEASURAND: &str = "Energy.Active.Import.Register";
/// The unit a sample without one is in.
pub(super) const DEFAULT_UNIT: &str = "Wh";

/// Each sample with the indexes of its meter value and of itself.
pub(super) fn samples<'v, 'a>(
    values: &'v [MeterValue<'a>],
) -> impl Iterator<Item = (usize, usize, &'v SampledValue<'a>)> + 'v {
    values.iter().enumerate().flat_map(|(i, value)| {
        value
            .sampled_value
            .iter()
            .enumerate()
            .map(move |(j, sample)| (i, j, sample))
    })
}

/// The JSON pointer of a sample below `base` (`/meterValue` or `/transactionData`).
pub(super) fn pointer(base: &str, i: usize, j: usize) -> String {
    format!("{base}/{i}/sampledValue/{j}")
}

/// A sample's value as the version writes it: text in 1.6, a number in 2.0.1 and 2.1.
fn as_sent(cx: Cx<'_>, value: Decimal) -> Value {
    let text = value.to_string();
    match cx.version {
        OcppVersion::V16 => Value::String(text),
        OcppVersion::V201 => serde_json::from_str(&text).unwrap_or(Value::String(text)),
        OcppVersion::V21 => serde_json::from_str(&text).unwrap_or(Value::String(text)),
    }
}

/// The last reading of each register of one transaction.
#[derive(Debug, Default)]
pub(super) struct Registers {
    /// (measurand, phase, location) and the last reading, in Wh (or varh, VAh).
    last: Vec<(String, Option<String>, Option<String>, Decimal)>,
    /// The first and last active import reading without phase, in Wh.
    import: Option<(Decimal, Decimal)>,
}

/// How many registers one transaction may follow (a sampled value names at most a measurand,
/// a phase and a location, so real stations stay far below).
const MAX_REGISTERS: usize = 64;

impl Registers {
    /// Reports registers lower than their previous reading; `transaction` names the
    /// transaction in messages.
    pub(super) fn check(
        &mut self,
        cx: Cx<'_>,
        transaction: &str,
        base: &str,
        values: &[MeterValue<'_>],
        out: &mut Out<'_>,
    ) {
        for (i, j, sample) in samples(values) {
            let measurand = sample.measurand.as_deref().unwrap_or(DEFAULT_MEASURAND);
            if !measurand.ends_with(".Register") {
                continue;
            }
            let Some(sent) = sample.value.decimal() else {
                continue;
            };
            let unit = sample.unit().unwrap_or(DEFAULT_UNIT);
            let base_unit = unit.strip_prefix('k').unwrap_or(unit);
            let reading = if unit.starts_with('k') {
                // A reading too large to scale is left to the schema's range checks.
                match sent.checked_mul(Decimal::from(1000)) {
                    Some(reading) => reading,
                    None => continue,
                }
            } else {
                sent
            };
            let (phase, location) = (sample.phase.as_deref(), sample.location.as_deref());
            if measurand == DEFAULT_MEASURAND && phase.is_none() {
                let first = self.import.map_or(reading, |(first, _)| first);
                self.import = Some((first, reading));
            }
            let room = self.last.len() < MAX_REGISTERS;
            let known = self.last.iter_mut().find(|(m, p, l, _)| {
                m == measurand && p.as_deref() == phase && l.as_deref() == location
            });
            match known {
                Some((_, _, _, last)) => {
                    if reading < *last {
                        out.findings.push(finding(
                            cx.at,
                            "semantic-meter-decreasing",
                            Severity::Error,
                            format!("{}/value", pointer(base, i, j)),
                            format!(
                                "{measurand} fell from {} {base_unit} to {} {base_unit} within transaction {transaction}",
                                last.normalize(),
                                reading.normalize()
                            ),
                            Some(as_sent(cx, sent)),
                        ));
                    }
                    *last = reading;
                }
                None if room => self.last.push((
                    measurand.to_owned(),
                    phase.map(str::to_owned),
                    location.map(str::to_owned),
                    reading,
                )),
                None => {}
            }
        }
    }

    /// The rise of the active import register over the readings seen, in Wh.
    pub(super) fn energy(&self) -> Option<Decimal> {
        self.import
            .and_then(|(first, last)| last.checked_sub(first))
    }
}
