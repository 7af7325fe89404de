//! Answer latencies kept in bounded space: a histogram of logarithmic buckets, each 10 %
//! wider than the one before, from 1 ms to about 250 days. A percentile is read as the upper
//! bound of its bucket, so it is never below the true value and at most 10 % above it.

use serde::Serialize;

/// How many buckets there are: 1.1^250 ms is about 250 days.
const BUCKETS: usize = 250;
/// How much wider each bucket is than the one before.
const GROWTH: f64 = 1.1;

/// Latencies of one action's answers.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Latencies {
    /// Answers counted per bucket: bucket 0 holds up to 1 ms, bucket `i` up to 1.1^i ms.
    counts: Vec<u64>,
    total: u64,
}

impl Default for Latencies {
    fn default() -> Self {
        Self {
            counts: vec![0; BUCKETS],
            total: 0,
        }
    }
}

/// The percentiles of some answers' latencies, in milliseconds.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct Percentiles {
    /// How many answers were timed.
    pub count: u64,
    /// The median.
    pub p50: f64,
    /// The 95th percentile.
    pub p95: f64,
    /// The 99th percentile.
    pub p99: f64,
}

impl Latencies {
    /// Counts one answer that took `millis` milliseconds (a negative time counts as 0).
    pub(crate) fn add(&mut self, millis: i64) {
        let bucket = match millis {
            ..=1 => 0,
            // The bucket whose upper bound is the first at or above `millis`.
            _ => ((millis as f64).ln() / GROWTH.ln()).ceil() as usize,
        };
        self.counts[bucket.min(BUCKETS - 1)] += 1;
        self.total += 1;
    }

    /// The percentiles, or `None` when no answer was timed.
    pub(crate) fn percentiles(&self) -> Option<Percentiles> {
        (self.total > 0).then(|| Percentiles {
            count: self.total,
            p50: self.percentile(50),
            p95: self.percentile(95),
            p99: self.percentile(99),
        })
    }

    /// The upper bound, rounded to 0.1 ms, of the bucket holding the `p`th percentile.
    fn percentile(&self, p: u64) -> f64 {
        let rank = (self.total * p).div_ceil(100).max(1);
        let mut seen = 0;
        let bucket = self
            .counts
            .iter()
            .position(|&count| {
                seen += count;
                seen >= rank
            })
            .unwrap_or(BUCKETS - 1);
        (GROWTH.powi(bucket as i32) * 10.0).round() / 10.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn percentiles_are_at_most_ten_percent_above_the_true_value() {
        let mut latencies = Latencies::default();
        for millis in 1..=1000 {
            latencies.add(millis);
        }
        let p = latencies.percentiles().expect("timed");
        assert_eq!(p.count, 1000);
        for (got, truth) in [(p.p50, 500.0), (p.p95, 950.0), (p.p99, 990.0)] {
            assert!(got >= truth && got <= truth * GROWTH, "{got} for {truth}");
        }
    }

    #[test]
    fn nothing_timed_has_no_percentiles_and_extremes_stay_in_range() {
        let mut latencies = Latencies::default();
        assert_eq!(latencies.percentiles(), None);
        latencies.add(-5);
        latencies.add(i64::MAX);
        let p = latencies.percentiles().expect("timed");
        assert_eq!(p.p50, 1.0);
        assert!(p.p99 > 1e10);
    }
}
