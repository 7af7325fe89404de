//! Counters and round-trip latency histograms collected while a fleet runs.

use std::collections::BTreeMap;
use std::time::Duration;

use serde::Serialize;

use super::drops::DropReason;

/// Sub-buckets per power of two: latencies are kept to within 1/8 (12.5 %) of their value.
const SUB: usize = 8;
/// Powers of two covered, in microseconds (2^40 µs is about 12 days).
const OCTAVES: usize = 40;

/// A latency histogram with logarithmic buckets and bounded size, whatever the count.
#[derive(Debug, Clone)]
pub struct Histogram {
    counts: Vec<u64>,
    total: u64,
    max_us: u64,
}

impl Default for Histogram {
    fn default() -> Self {
        Self {
            counts: vec![0; SUB * OCTAVES],
            total: 0,
            max_us: 0,
        }
    }
}

/// The bucket a latency of `us` microseconds falls in.
fn bucket(us: u64) -> usize {
    if us < SUB as u64 {
        return us as usize;
    }
    let octave = 63 - us.leading_zeros() as usize;
    let shift = octave - 3;
    let sub = ((us >> shift) as usize) & (SUB - 1);
    ((octave - 2) * SUB + sub).min(SUB * OCTAVES - 1)
}

/// The largest latency, in microseconds, that falls in bucket `index`.
fn upper_bound(index: usize) -> u64 {
    if index < SUB {
        return index as u64;
    }
    let octave = index / SUB + 2;
    let sub = (index % SUB) as u64;
    (((SUB as u64) + sub + 1) << (octave - 3)) - 1
}

impl Histogram {
    /// Records one round trip.
    pub fn record(&mut self, latency: Duration) {
        let us = u64::try_from(latency.as_micros()).unwrap_or(u64::MAX);
        self.counts[bucket(us)] += 1;
        self.total += 1;
        self.max_us = self.max_us.max(us);
    }

    /// Adds another histogram's samples to this one.
    pub fn merge(&mut self, other: &Histogram) {
        for (mine, theirs) in self.counts.iter_mut().zip(&other.counts) {
            *mine += theirs;
        }
        self.total += other.total;
        self.max_us = self.max_us.max(other.max_us);
    }

    /// How many round trips were recorded.
    pub fn count(&self) -> u64 {
        self.total
    }

    /// The latency at or below which `quantile` (0–1) of the samples lie, in milliseconds
    /// (bucket upper bound, never above the maximum seen); 0 when empty.
    pub fn quantile_ms(&self, quantile: f64) -> f64 {
        if self.total == 0 {
            return 0.0;
        }
        let rank = ((quantile * self.total as f64).ceil() as u64).clamp(1, self.total);
        let mut seen = 0;
        for (index, count) in self.counts.iter().enumerate() {
            seen += count;
            if seen >= rank {
                return upper_bound(index).min(self.max_us) as f64 / 1000.0;
            }
        }
        self.max_ms()
    }

    /// The largest latency seen, in milliseconds.
    pub fn max_ms(&self) -> f64 {
        self.max_us as f64 / 1000.0
    }

    /// Sample counts in power-of-two millisecond ranges (`le_ms` is the inclusive upper
    /// edge), from the first non-empty range to the last.
    pub fn coarse(&self) -> Vec<HistogramBin> {
        let mut bins: Vec<HistogramBin> = Vec::new();
        for (index, &count) in self.counts.iter().enumerate() {
            let ms = upper_bound(index) / 1000;
            let le_ms = ms.max(1).next_power_of_two();
            match bins.last_mut() {
                Some(last) if last.le_ms == le_ms => last.count += count,
                _ => bins.push(HistogramBin { le_ms, count }),
            }
        }
        let first = bins.iter().position(|b| b.count > 0).unwrap_or(bins.len());
        let last = bins.iter().rposition(|b| b.count > 0).map_or(0, |i| i + 1);
        bins.get(first..last).map(<[_]>::to_vec).unwrap_or_default()
    }

    /// p50, p90, p99 and max of the samples.
    pub fn summary(&self) -> Percentiles {
        Percentiles {
            p50_ms: self.quantile_ms(0.50),
            p90_ms: self.quantile_ms(0.90),
            p99_ms: self.quantile_ms(0.99),
            max_ms: self.max_ms(),
        }
    }
}

/// One range of the printed histogram.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct HistogramBin {
    /// Inclusive upper edge of the range, in milliseconds.
    pub le_ms: u64,
    /// Round trips in the range.
    pub count: u64,
}

/// Latency percentiles, in milliseconds.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct Percentiles {
    /// Median.
    pub p50_ms: f64,
    /// 90th percentile.
    pub p90_ms: f64,
    /// 99th percentile.
    pub p99_ms: f64,
    /// Largest seen.
    pub max_ms: f64,
}

/// What happened to the CALLs of one action.
#[derive(Debug, Clone, Default)]
#[non_exhaustive]
pub struct ActionStats {
    /// CALLs sent.
    pub calls: u64,
    /// CALLRESULTs received.
    pub results: u64,
    /// CALLERRORs received.
    pub errors: u64,
    /// CALLs with no answer in time.
    pub timeouts: u64,
    /// Round trips of answered CALLs.
    pub latency: Histogram,
}

/// Everything counted over a run, shared by the stations behind a lock.
#[derive(Debug, Clone, Default)]
#[non_exhaustive]
pub struct Stats {
    /// Per action, by name.
    pub actions: BTreeMap<String, ActionStats>,
    /// CALLERRORs by error code.
    pub call_errors: BTreeMap<String, u64>,
    /// Deviations of the CSMS's frames, by rule id.
    pub deviations: BTreeMap<String, u64>,
    /// Dropped connections by reason.
    pub drops: BTreeMap<DropReason, u64>,
}

impl Stats {
    /// The entry for `action`, created on first use.
    pub fn action(&mut self, action: &str) -> &mut ActionStats {
        self.actions.entry(action.to_owned()).or_default()
    }

    /// Counts one deviation of rule `rule`.
    pub fn deviate(&mut self, rule: &str) {
        *self.deviations.entry(rule.to_owned()).or_default() += 1;
    }

    /// All actions' latencies together.
    pub fn overall(&self) -> Histogram {
        let mut all = Histogram::default();
        for stats in self.actions.values() {
            all.merge(&stats.latency);
        }
        all
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn buckets_round_up_within_an_eighth() {
        for us in [
            0, 1, 7, 8, 9, 15, 16, 17, 100, 999, 1000, 123_456, 9_999_999,
        ] {
            let upper = upper_bound(bucket(us));
            assert!(upper >= us, "{us} -> {upper}");
            assert!(upper <= us + us / 8 + 1, "{us} -> {upper}");
        }
    }

    #[test]
    fn percentiles_follow_the_samples() {
        let mut histogram = Histogram::default();
        for ms in 1..=100 {
            histogram.record(Duration::from_millis(ms));
        }
        let summary = histogram.summary();
        assert!((50.0..=57.0).contains(&summary.p50_ms), "{summary:?}");
        assert!((90.0..=102.0).contains(&summary.p90_ms), "{summary:?}");
        assert!((99.0..=100.0).contains(&summary.p99_ms), "{summary:?}");
        assert_eq!(summary.max_ms, 100.0);
        assert_eq!(histogram.coarse().iter().map(|b| b.count).sum::<u64>(), 100);
    }

    #[test]
    fn an_empty_histogram_reports_zeros() {
        let histogram = Histogram::default();
        assert_eq!(histogram.summary().p99_ms, 0.0);
        assert!(histogram.coarse().is_empty());
    }
}
