//! One session's analytics, from what the semantic rules learnt of it: duration, energy,
//! idle time, peak and average power, and the samples where a quantity jumped.

use ocpp_model::primitives::{DateTime, Decimal};

use super::{ChargingSession, Jump};
use crate::semantic::{Sample, SessionFact};

/// Seconds from `start` to `stop`, fractions kept (to the nanosecond).
pub(super) fn seconds_between(start: &DateTime, stop: &DateTime) -> Option<Decimal> {
    let span = *stop.as_chrono() - *start.as_chrono();
    let nanos = span.num_nanoseconds()?;
    Some(Decimal::from_i128_with_scale(i128::from(nanos), 9).normalize())
}

/// The session's row: its facts and the figures computed from its samples; a quantity
/// that changed by more than `threshold` (a fraction: 0.1 is 10 %) of its previous value is
/// a jump.
pub(super) fn analyse(fact: SessionFact, threshold: Decimal) -> ChargingSession {
    let duration_seconds = match (&fact.start, &fact.stop) {
        (Some(start), Some(stop)) => seconds_between(start, stop),
        _ => None,
    };
    let powers = || fact.samples.iter().filter_map(|s| s.power_w);
    let average_power_w = match (fact.energy_wh, duration_seconds) {
        // A negative energy (a meter stop below its start) gives no power.
        (Some(energy), Some(seconds)) if seconds > Decimal::ZERO && energy >= Decimal::ZERO => {
            energy
                .checked_mul(Decimal::from(3600))
                .and_then(|e| e.checked_div(seconds))
        }
        _ => mean(powers()),
    }
    .map(|p| p.round_dp(3).normalize());
    ChargingSession {
        idle_seconds: idle(&fact.samples),
        peak_power_w: powers().max(),
        average_power_w,
        jumps: jumps(&fact.samples, threshold),
        transaction_id: fact.transaction_id,
        connector: fact.connector,
        id_tag: fact.id_tag,
        start: fact.start,
        stop: fact.stop,
        duration_seconds,
        energy_wh: fact.energy_wh,
        stop_reason: fact.stop_reason,
        samples: fact.samples,
    }
}

fn mean(values: impl Iterator<Item = Decimal>) -> Option<Decimal> {
    let (sum, count) = values.fold((Some(Decimal::ZERO), 0u32), |(sum, count), v| {
        (sum.and_then(|s| s.checked_add(v)), count + 1)
    });
    sum?.checked_div(Decimal::from(count))
}

/// The spans between consecutive samples that both have a total power of 0, in seconds;
/// `None` without two timed power samples.
fn idle(samples: &[Sample]) -> Option<Decimal> {
    let timed: Vec<(&DateTime, Decimal)> = samples
        .iter()
        .filter_map(|s| Some((s.at.as_ref()?, s.power_w?)))
        .collect();
    if timed.len() < 2 {
        return None;
    }
    let idle = timed
        .windows(2)
        .filter(|pair| pair[0].1.is_zero() && pair[1].1.is_zero())
        .filter_map(|pair| seconds_between(pair[0].0, pair[1].0))
        .filter(|span| *span > Decimal::ZERO)
        .fold(Decimal::ZERO, |sum, span| {
            sum.checked_add(span).unwrap_or(sum)
        });
    Some(idle.normalize())
}

/// Reads one quantity of a sample.
type Quantity = fn(&Sample) -> Option<Decimal>;

/// The quantities a jump is looked for in, with their names in the report. Energy is left
/// out: a register rises by design.
const QUANTITIES: [(&str, Quantity); 5] = [
    ("powerW", |s| s.power_w),
    ("currentA", |s| s.current_a),
    ("voltageV", |s| s.voltage_v),
    ("temperature", |s| s.temperature),
    ("socPercent", |s| s.soc_percent),
];

/// Every sample where a quantity changed by more than `threshold` of its previous value
/// (from 0, any change is a jump), in sample order.
fn jumps(samples: &[Sample], threshold: Decimal) -> Vec<Jump> {
    let mut jumps = Vec::new();
    for (quantity, read) in QUANTITIES {
        let mut previous: Option<Decimal> = None;
        for sample in samples {
            let Some(value) = read(sample) else { continue };
            if let Some(before) = previous {
                // A change too large for a decimal is a jump.
                let change = value.checked_sub(before).map(|c| c.abs());
                let jumped = match (change, before.is_zero()) {
                    (None, _) => true,
                    (Some(change), true) => !change.is_zero(),
                    (Some(change), false) => change
                        .checked_div(before.abs())
                        .is_some_and(|ratio| ratio > threshold),
                };
                if jumped {
                    jumps.push(Jump {
                        at: sample.at,
                        quantity,
                        from: Some(before),
                        to: Some(value),
                    });
                }
            }
            previous = Some(value);
        }
    }
    jumps.sort_by_key(|j| j.at.map(|t| t.as_chrono().timestamp_nanos_opt()));
    jumps
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sample(at: &str, power: i64) -> Sample {
        Sample {
            at: DateTime::parse(at).ok(),
            power_w: Some(Decimal::from(power)),
            ..Sample::default()
        }
    }

    #[test]
    fn idle_time_is_the_spans_at_zero_power_and_jumps_pass_the_threshold() {
        let samples = [
            sample("2024-01-01T10:00:00Z", 0),
            sample("2024-01-01T10:00:30.5Z", 0),
            sample("2024-01-01T10:01:00Z", 7000),
            sample("2024-01-01T10:02:00Z", 7500),
            sample("2024-01-01T10:03:00Z", 0),
            sample("2024-01-01T10:04:00Z", 0),
        ];
        assert_eq!(idle(&samples), Some(Decimal::new(905, 1)));
        let jumps: Vec<(Option<Decimal>, Option<Decimal>)> = jumps(&samples, Decimal::new(1, 1))
            .into_iter()
            .map(|j| (j.from, j.to))
            .collect();
        // 7000 → 7500 is 7 %: no jump.
        assert_eq!(
            jumps,
            [
                (Some(Decimal::ZERO), Some(Decimal::from(7000))),
                (Some(Decimal::from(7500)), Some(Decimal::ZERO))
            ]
        );
    }

    #[test]
    fn values_at_the_limits_of_a_decimal_do_not_panic() {
        let at = |power: Decimal| Sample {
            power_w: Some(power),
            ..Sample::default()
        };
        let samples = [at(Decimal::MAX), at(Decimal::MIN), at(Decimal::MAX)];
        assert_eq!(jumps(&samples, Decimal::new(1, 1)).len(), 2);
        let fact = SessionFact {
            charge_point: None,
            transaction_id: "1".to_owned(),
            connector: None,
            id_tag: None,
            start: DateTime::parse("0000-01-01T00:00:00Z").ok(),
            stop: DateTime::parse("9999-12-31T23:59:59.999999999Z").ok(),
            energy_wh: Some(Decimal::MAX),
            stop_reason: None,
            samples: samples.to_vec(),
        };
        let session = analyse(fact, Decimal::new(1, 1));
        assert_eq!(session.peak_power_w, Some(Decimal::MAX));
    }
}
