//! Each connector's status over time: its reports (the timeline) and the time spent in each
//! status, from one report to the next and the last one until the charge point's last
//! message.

use std::collections::VecDeque;

use ocpp_model::primitives::{DateTime, Decimal};

use super::session::seconds_between;
use super::{ConnectorStatus, StatusChange};

/// How many status reports the timeline of one connector keeps (the latest); the time in
/// each status counts every report.
pub const MAX_TIMELINE: usize = 1024;

/// What is gathered for one connector while reading.
pub(super) struct ConnectorHistory {
    /// The last report.
    pub(super) last: ConnectorStatus,
    /// The latest reports, oldest first.
    timeline: VecDeque<StatusChange>,
}

impl ConnectorHistory {
    /// A connector first reported with this status.
    pub(super) fn new(first: ConnectorStatus) -> Self {
        let mut timeline = VecDeque::new();
        note(&mut timeline, &first);
        Self {
            last: first,
            timeline,
        }
    }

    /// A later report: the time since the last one counts for the last status.
    pub(super) fn report(&mut self, report: ConnectorStatus) {
        let time_in_status = std::mem::take(&mut self.last.time_in_status);
        note(&mut self.timeline, &report);
        let previous = std::mem::replace(&mut self.last, report);
        self.last.time_in_status = time_in_status;
        let now = self.last.at;
        self.count(&previous.status, previous.at.as_ref(), now.as_ref());
    }

    fn count(&mut self, status: &str, from: Option<&DateTime>, to: Option<&DateTime>) {
        let Some(span) = from
            .zip(to)
            .and_then(|(from, to)| seconds_between(from, to))
        else {
            return;
        };
        if span > Decimal::ZERO {
            let total = self
                .last
                .time_in_status
                .entry(status.to_owned())
                .or_insert(Decimal::ZERO);
            *total = total.checked_add(span).unwrap_or(*total);
        }
    }

    /// The connector's report, the last status counted until `end`.
    pub(super) fn finish(mut self, end: Option<&DateTime>) -> ConnectorStatus {
        let (status, at) = (self.last.status.clone(), self.last.at);
        self.count(&status, at.as_ref(), end);
        let mut last = self.last;
        last.timeline = self.timeline.into();
        last
    }
}

/// Adds a report to a timeline, dropping the oldest past [`MAX_TIMELINE`].
fn note(timeline: &mut VecDeque<StatusChange>, report: &ConnectorStatus) {
    if timeline.len() == MAX_TIMELINE {
        timeline.pop_front();
    }
    timeline.push_back(StatusChange {
        status: report.status.clone(),
        at: report.at,
        error_code: report.error_code.clone(),
    });
}
