//! The charging profile of a session, for `summary`: each meter value of the transaction
//! read into one [`Sample`] of the quantities a data engineer plots (energy, power,
//! current, voltage, temperature, state of charge), in base units. Kept only when facts are
//! asked for, at most [`MAX_SAMPLES`] per session.

use ocpp_model::primitives::{DateTime, Decimal};
use serde::Serialize;

use super::decode::{MeterValue, SampledValue};
use super::meter_values::{DEFAULT_MEASURAND, DEFAULT_UNIT};
use crate::values;

/// How many samples one session keeps; later meter values are not kept (the energy and the
/// register checks still read them).
pub const MAX_SAMPLES: usize = 4096;

/// One meter value of a session, its quantities in base units.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct Sample {
    /// When it was measured.
    #[serde(
        skip_serializing_if = "Option::is_none",
        serialize_with = "values::time"
    )]
    pub at: Option<DateTime>,
    /// `Energy.Active.Import.Register` without phase, in Wh.
    #[serde(
        skip_serializing_if = "Option::is_none",
        serialize_with = "values::number"
    )]
    pub energy_wh: Option<Decimal>,
    /// Total `Power.Active.Import` (the value without phase, else the sum of the phases), W.
    #[serde(
        skip_serializing_if = "Option::is_none",
        serialize_with = "values::number"
    )]
    pub power_w: Option<Decimal>,
    /// Total `Current.Import` (as power), in A.
    #[serde(
        skip_serializing_if = "Option::is_none",
        serialize_with = "values::number"
    )]
    pub current_a: Option<Decimal>,
    /// `Voltage` without phase, else the mean of the phases, in V.
    #[serde(
        skip_serializing_if = "Option::is_none",
        serialize_with = "values::number"
    )]
    pub voltage_v: Option<Decimal>,
    /// `Temperature`, in the unit sent (Celsius unless said).
    #[serde(
        skip_serializing_if = "Option::is_none",
        serialize_with = "values::number"
    )]
    pub temperature: Option<Decimal>,
    /// `SoC`, in percent.
    #[serde(
        skip_serializing_if = "Option::is_none",
        serialize_with = "values::number"
    )]
    pub soc_percent: Option<Decimal>,
}

/// The value of a sample in its base unit: a `k`-prefixed unit scaled by 1000.
fn base_value(sample: &SampledValue<'_>, default_unit: &str) -> Option<Decimal> {
    let value = sample.value.decimal()?;
    let unit = sample.unit().unwrap_or(default_unit);
    match unit.strip_prefix('k') {
        Some(_) => value.checked_mul(Decimal::from(1000)),
        None => Some(value),
    }
}

/// How the values of one measurand over the phases make one quantity.
#[derive(Clone, Copy)]
enum Over {
    /// The value without phase, else the sum of the phase values.
    Sum,
    /// The value without phase, else the mean of the phase values.
    Mean,
    /// The first value.
    First,
}

/// One quantity of a meter value: `measurand` in `default_unit` unless a unit is given.
fn quantity(
    value: &MeterValue<'_>,
    measurand: &str,
    default_unit: &str,
    over: Over,
) -> Option<Decimal> {
    let matching = || {
        value.sampled_value.iter().filter(move |s| {
            s.measurand.as_deref().unwrap_or(DEFAULT_MEASURAND) == measurand
                && s.location
                    .as_deref()
                    .is_none_or(|l| l == "Outlet" || l == "EV")
        })
    };
    if let Some(whole) = matching().find(|s| s.phase.is_none()) {
        return base_value(whole, default_unit);
    }
    let mut phases = matching().filter_map(|s| base_value(s, default_unit));
    match over {
        Over::First => phases.next(),
        Over::Sum => phases.try_fold(Decimal::ZERO, |sum, v| sum.checked_add(v)),
        Over::Mean => {
            let values: Vec<Decimal> = phases.collect();
            let count = Decimal::from(values.len());
            let sum = values
                .into_iter()
                .try_fold(Decimal::ZERO, |sum, v| sum.checked_add(v))?;
            sum.checked_div(count)
        }
    }
    .filter(|_| matching().next().is_some())
}

/// The sample a meter value gives; `None` when it holds none of the quantities.
pub(super) fn sample(value: &MeterValue<'_>) -> Option<Sample> {
    let sample = Sample {
        at: value
            .timestamp
            .as_deref()
            .and_then(|t| DateTime::parse(t).ok()),
        energy_wh: quantity(value, DEFAULT_MEASURAND, DEFAULT_UNIT, Over::First),
        power_w: quantity(value, "Power.Active.Import", "W", Over::Sum),
        current_a: quantity(value, "Current.Import", "A", Over::Sum),
        voltage_v: quantity(value, "Voltage", "V", Over::Mean),
        temperature: quantity(value, "Temperature", "Celsius", Over::First),
        soc_percent: quantity(value, "SoC", "Percent", Over::First),
    };
    let any = [
        sample.energy_wh,
        sample.power_w,
        sample.current_a,
        sample.voltage_v,
        sample.temperature,
        sample.soc_percent,
    ]
    .iter()
    .any(Option::is_some);
    any.then_some(sample)
}

/// Adds the samples of `values` to `samples`, keeping at most [`MAX_SAMPLES`].
pub(super) fn keep(samples: &mut Vec<Sample>, values: &[MeterValue<'_>]) {
    let room = MAX_SAMPLES.saturating_sub(samples.len());
    samples.extend(values.iter().filter_map(sample).take(room));
}
