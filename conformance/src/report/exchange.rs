//! The frames a case's station sent and received, for the sequence diagram of the HTML
//! report: each with the step it belongs to, at most [`MAX_EXCHANGED`] per case.

use ocpp_model::framing::MessageTypeId;
use ocpp_validate::report::Arrow;
use ocpp_validate::{cut, Sender};
use serde::Serialize;
use serde_json::Value;

/// The most frames of one case kept for its report; later ones are counted.
pub const MAX_EXCHANGED: usize = 1000;

/// The most characters of a frame kept.
const MAX_TEXT: usize = 300;

/// One frame of a case.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[non_exhaustive]
pub struct Exchanged {
    /// The 1-based step running when it passed (0: connecting).
    pub step: usize,
    /// Who sent it and what it is.
    #[serde(flatten)]
    pub arrow: Arrow,
}

/// The frames of one case so far.
#[derive(Debug, Default)]
pub(crate) struct Exchange {
    pub(crate) frames: Vec<Exchanged>,
    pub(crate) left_out: usize,
}

impl Exchange {
    /// Keeps one frame `sender` sent during `step`.
    pub(crate) fn record(&mut self, step: usize, sender: Sender, text: &str) {
        if self.frames.len() >= MAX_EXCHANGED {
            self.left_out += 1;
            return;
        }
        let from = Some(Arrow::side(sender));
        let frame: Option<Value> = serde_json::from_str(text).ok();
        let part = |i: usize| {
            frame
                .as_ref()
                .and_then(|f| f.get(i))
                .and_then(Value::as_str)
        };
        let kind = (frame
            .as_ref()
            .and_then(|f| f.get(0))
            .and_then(Value::as_u64))
        .and_then(|n| {
            (MessageTypeId::ALL.iter())
                .find(|t| u64::from(t.as_u8()) == n)
                .map(|t| t.name())
        });
        let id = part(1).map(str::to_owned);
        let action = match kind {
            Some("CALL" | "SEND") => part(2).map(str::to_owned),
            // A response takes the action of the latest CALL of the other side with its id.
            _ => (self.frames.iter().rev())
                .map(|f| &f.arrow)
                .find(|f| f.kind == Some("CALL") && f.id == id && f.from != from)
                .and_then(|f| f.action.clone()),
        };
        let error_code = match kind {
            Some("CALLERROR" | "CALLRESULTERROR") => part(2).map(str::to_owned),
            _ => None,
        };
        let mut arrow = Arrow::default();
        arrow.from = from;
        arrow.kind = kind;
        arrow.action = action;
        arrow.id = id;
        arrow.error_code = error_code;
        arrow.text = cut(text, MAX_TEXT).into_owned();
        self.frames.push(Exchanged { step, arrow });
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn responses_take_their_call_s_action_and_errors_their_code() {
        let mut exchange = Exchange::default();
        exchange.record(1, Sender::ChargingStation, r#"[2,"1","Heartbeat",{}]"#);
        exchange.record(
            1,
            Sender::Csms,
            r#"[3,"1",{"currentTime":"2024-01-01T00:00:00Z"}]"#,
        );
        exchange.record(2, Sender::Csms, r#"[2,"1","Reset",{"type":"Soft"}]"#);
        exchange.record(
            2,
            Sender::ChargingStation,
            r#"[4,"1","NotSupported","",{}]"#,
        );
        exchange.record(3, Sender::ChargingStation, "not a frame");
        let actions: Vec<_> = exchange
            .frames
            .iter()
            .map(|f| f.arrow.action.as_deref())
            .collect();
        assert_eq!(
            actions,
            [
                Some("Heartbeat"),
                Some("Heartbeat"),
                Some("Reset"),
                Some("Reset"),
                None
            ]
        );
        assert_eq!(
            exchange.frames[3].arrow.error_code.as_deref(),
            Some("NotSupported")
        );
        assert_eq!(exchange.frames[4].arrow.kind, None);
        assert_eq!(exchange.frames[4].arrow.text, "not a frame");
    }

    #[test]
    fn frames_past_the_limit_are_counted() {
        let mut exchange = Exchange::default();
        for _ in 0..MAX_EXCHANGED + 5 {
            exchange.record(1, Sender::ChargingStation, r#"[2,"1","Heartbeat",{}]"#);
        }
        assert_eq!(
            (exchange.frames.len(), exchange.left_out),
            (MAX_EXCHANGED, 5)
        );
    }
}
