//! Measurands and units.
//!
//! * `semantic-unit-mismatch`: a sample whose unit does not fit its measurand — voltage in V,
//!   current in A, active energy in Wh/kWh, reactive energy in varh/kvarh, active power in
//!   W/kW, reactive power in var/kvar, state of charge in Percent, temperature in Celsius
//!   (also the 1.6 schema's `Celcius`), Fahrenheit or K. A missing measurand means
//!   `Energy.Active.Import.Register` and a missing unit means `Wh` (1.6 §7.31/§7.45, 2.0.1
//!   SampledValueType/UnitOfMeasureType); a mismatch through the default unit is a warning,
//!   an explicit one an error. Measurands not listed here are not judged.

use serde_json::Value;

use super::decode::MeterValue;
use super::meter_values::{pointer, samples, DEFAULT_MEASURAND, DEFAULT_UNIT};
use super::{finding, Cx, Out};
use crate::finding::Severity;

/// The units a measurand may be given in; `None` for measurands not judged.
fn units_for(measurand: &str) -> Option<&'static [&'static str]> {
    let units: &'static [&'static str] = match measurand {
        m if m.starts_with("Energy.Active.") => &["Wh", "kWh"],
        m if m.starts_with("Energy.Reactive.") => &["varh", "kvarh"],
        m if m.starts_with("Energy.Apparent.") => &["VAh", "kVAh"],
        m if m.starts_with("Power.Active.") || m == "Power.Offered" => &["W", "kW"],
        m if m.starts_with("Power.Reactive.") => &["var", "kvar"],
        m if m.starts_with("Current.") => &["A"],
        "Voltage" => &["V"],
        "SoC" => &["Percent"],
        "Temperature" => &["Celsius", "Celcius", "Fahrenheit", "K"],
        _ => return None,
    };
    Some(units)
}

/// Checks that each sample's unit fits its measurand.
pub(super) fn check(cx: Cx<'_>, base: &str, values: &[MeterValue<'_>], out: &mut Out<'_>) {
    for (i, j, sample) in samples(values) {
        let measurand = sample.measurand.as_deref().unwrap_or(DEFAULT_MEASURAND);
        let Some(allowed) = units_for(measurand) else {
            continue;
        };
        let explicit = sample.unit();
        let unit = explicit.unwrap_or(DEFAULT_UNIT);
        if allowed.contains(&unit) {
            continue;
        }
        let at = pointer(base, i, j);
        let expected = allowed.join(" or ");
        let found = match explicit {
            Some(unit) => {
                let place = if sample.unit.is_some() {
                    "/unit"
                } else {
                    "/unitOfMeasure/unit"
                };
                (
                    Severity::Error,
                    format!("{at}{place}"),
                    format!("{measurand} given in {unit}; expected {expected}"),
                    Some(Value::from(unit)),
                )
            }
            None => (
                Severity::Warning,
                at,
                format!("{measurand} has no unit, so it is in Wh by default; expected {expected}"),
                None,
            ),
        };
        let (severity, pointer, message, value) = found;
        out.findings.push(finding(
            cx.at,
            "semantic-unit-mismatch",
            severity,
            pointer,
            message,
            value,
        ));
    }
}
