//! Boot and heartbeat, per charge point.
//!
//! * `semantic-not-booted`: a transaction message (StartTransaction, StopTransaction,
//!   TransactionEvent) sent after a BootNotification that is not answered yet or was answered
//!   Pending or Rejected (1.6 §4.2, 2.0.1 B01–B03). A trace that starts after the boot is not
//!   judged.
//! * `semantic-heartbeat-cadence`: a Heartbeat after more than twice the interval the CSMS set
//!   (BootNotification `interval` when Accepted, or an accepted 1.6 ChangeConfiguration or
//!   2.0.1 SetVariables of `HeartbeatInterval`) since the station's previous message of any
//!   kind, answers included (1.6 §4.6 lets other messages stand in for heartbeats), or less
//!   than half the interval after the previous Heartbeat. Needs capture timestamps.

use super::decode::Request;
use super::in_flight::seconds;
use super::{finding, Cx, Fact, Out};
use crate::finding::{Position, Severity};

/// What the trace shows of one station's boot and heartbeats.
#[derive(Debug, Default)]
pub(super) struct Boot {
    state: State,
    /// The heartbeat interval in seconds the CSMS set last.
    pub(super) heartbeat_interval: Option<i64>,
    /// When the station last sent a message, in microseconds.
    last_call: Option<i64>,
    /// When the station last sent a Heartbeat, in microseconds.
    last_heartbeat: Option<i64>,
}

#[derive(Debug, Default)]
enum State {
    /// No BootNotification in the trace so far.
    #[default]
    Unseen,
    /// A BootNotification (of this record) is waiting for its answer.
    Waiting(Position),
    /// The last BootNotification was answered with this status.
    Answered(String),
}

impl Boot {
    /// Whether no boot and no heartbeat interval was seen: the time of the station's last
    /// message is read only once an interval is known, which a station message comes with.
    pub(super) fn is_idle(&self) -> bool {
        matches!(self.state, State::Unseen)
            && self.heartbeat_interval.is_none()
            && self.last_heartbeat.is_none()
    }

    /// Follows a CALL the station sent.
    pub(super) fn station_call(&mut self, cx: Cx<'_>, request: &Request<'_>, out: &mut Out<'_>) {
        match request {
            Request::Boot(boot) => {
                // A boot whose answer cannot be told (not paired by id) is not judged.
                self.state = match cx.paired {
                    true => State::Waiting(cx.at),
                    false => State::Unseen,
                };
                // A boot whose vendor or model cannot be read tells the summary nothing.
                if let (Some(vendor), Some(model)) = (&boot.vendor, &boot.model) {
                    out.fact(|| Fact::Boot {
                        charge_point: cx.charge_point.map(str::to_owned),
                        at: cx.time.copied(),
                        vendor: vendor.to_string(),
                        model: model.to_string(),
                        firmware: boot.firmware.as_deref().map(str::to_owned),
                    });
                }
            }
            Request::StartTransaction(_)
            | Request::StopTransaction(_)
            | Request::TransactionEvent(_) => self.check_booted(cx, request, out),
            Request::Heartbeat => self.heartbeat(cx, out),
            _ => {}
        }
        self.heard(cx);
    }

    /// Notes that the station sent something (a CALL or an answer).
    pub(super) fn heard(&mut self, cx: Cx<'_>) {
        if cx.micros.is_some() {
            self.last_call = cx.micros;
        }
    }

    fn check_booted(&self, cx: Cx<'_>, request: &Request<'_>, out: &mut Out<'_>) {
        let why = match &self.state {
            State::Unseen => return,
            State::Answered(status) if status == "Accepted" => return,
            State::Waiting(at) => format!(
                "the BootNotification of record {} is not answered yet",
                at.record
            ),
            State::Answered(status) => format!("the last BootNotification was answered {status}"),
        };
        out.findings.push(finding(
            cx.at,
            "semantic-not-booted",
            Severity::Error,
            String::new(),
            format!(
                "{:?} sent before a BootNotification was accepted: {why}",
                request.act()
            ),
            None,
        ));
    }

    fn heartbeat(&mut self, cx: Cx<'_>, out: &mut Out<'_>) {
        let (Some(now), Some(interval)) = (cx.micros, self.heartbeat_interval) else {
            return;
        };
        let interval_us = interval.saturating_mul(1_000_000);
        let problem = match (self.last_call, self.last_heartbeat) {
            (Some(last), _) if now - last > interval_us.saturating_mul(2) => Some(format!(
                "Heartbeat {} after the station's previous message; the CSMS set an interval of {}",
                seconds(now - last),
                seconds(interval_us)
            )),
            (_, Some(last)) if now - last < interval_us / 2 => Some(format!(
                "Heartbeat only {} after the previous one; the CSMS set an interval of {}",
                seconds(now - last),
                seconds(interval_us)
            )),
            _ => None,
        };
        if let Some(message) = problem {
            out.findings.push(finding(
                cx.at,
                "semantic-heartbeat-cadence",
                Severity::Warning,
                String::new(),
                message,
                None,
            ));
        }
        self.last_heartbeat = Some(now);
    }

    /// Follows the CSMS's answer to a BootNotification.
    pub(super) fn answered(
        &mut self,
        cx: Cx<'_>,
        status: &str,
        interval: Option<i64>,
        out: &mut Out<'_>,
    ) {
        if let Some(interval) = interval.filter(|&i| status == "Accepted" && i > 0) {
            self.heartbeat_interval = Some(interval);
        }
        self.state = State::Answered(status.to_owned());
        out.fact(|| Fact::BootAnswered {
            charge_point: cx.charge_point.map(str::to_owned),
            status: status.to_owned(),
        });
    }
}
