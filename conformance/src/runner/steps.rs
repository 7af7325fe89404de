//! What each scenario step does on the station's connection.

use std::collections::BTreeMap;
use std::time::Duration;

use serde_json::{json, Value};
use tokio::time::Instant;

use super::station::{clip, Received, Station, Stop, StopKind, UNREAD_ID};
use super::RunConfig;
use crate::deadline::after;
use crate::matcher::Matcher;
use crate::scenario::{substitute, Expect, Level, NoAnswer, ResultError, Step};
use crate::transport::connect;

/// What a `send_raw` step accepts as the answer to its frame.
#[derive(Clone, Copy)]
struct RawExpectation<'a> {
    /// The CALLERROR codes allowed.
    codes: &'a [&'a str],
    /// What no answer weighs.
    no_answer: Option<&'a NoAnswer>,
    /// The message id the CALLERROR must carry, when not the frame's own.
    reply_id: Option<&'a str>,
    /// How long to wait.
    timeout: Duration,
}

/// The CALL an `expect_call` step took.
enum Expected {
    /// Arrived while the step waited: the step answers it.
    Open { id: String, payload: Value },
    /// Arrived earlier and was answered by default then.
    Answered { payload: Value },
}

impl Station {
    pub(super) async fn run(&mut self, config: &RunConfig, step: &Step) -> Result<(), Stop> {
        match step {
            Step::Call {
                action,
                payload,
                expect,
            } => self.call(action, payload, expect).await,
            Step::ExpectCall {
                action,
                matchers,
                capture,
                timeout_ms,
                respond,
                respond_error,
                result_error,
            } => {
                // An operator gets the trigger timeout to act, if that is longer.
                let manual = self.trigger.as_ref().is_some_and(|p| p.manual);
                let timeout_ms = if manual {
                    let operator_ms = u64::try_from(config.trigger_timeout.as_millis());
                    (*timeout_ms).max(operator_ms.unwrap_or(u64::MAX))
                } else {
                    *timeout_ms
                };
                let taken = self.expect_call(action, timeout_ms).await;
                self.drop_manual_trigger();
                let (id, payload) = match taken? {
                    Expected::Open { id, payload } => (Some(id), payload),
                    Expected::Answered { payload } => (None, payload),
                };
                self.check(&payload, matchers, capture);
                let Some(id) = id else {
                    return Ok(());
                };
                // Raw on purpose: the answer is the scenario's, which a negative case may
                // make invalid (an unknown code, a payload the schema refuses).
                let frame = match respond_error {
                    Some(code) => json!([4, id, code, "", {}]),
                    None => json!([3, id, substitute(respond, &self.vars)]),
                };
                self.send(frame.to_string(), true).await?;
                match result_error {
                    Some(expected) => self.expect_result_error(action, &id, expected).await,
                    None => Ok(()),
                }
            }
            Step::Send {
                action,
                payload,
                wait_ms,
            } => self.send_unconfirmed(action, payload, *wait_ms).await,
            Step::Trigger { action, payload } => {
                let payload = substitute(payload, &self.vars);
                self.trigger(config, action, payload).await
            }
            Step::SendRaw {
                text,
                error_code,
                accept,
                no_answer,
                reply_id,
                timeout_ms,
            } => {
                let codes: Vec<&str> = error_code
                    .iter()
                    .map(String::as_str)
                    .chain(accept.iter().map(|a| a.code.as_str()))
                    .collect();
                let raw = RawExpectation {
                    codes: &codes,
                    no_answer: no_answer.as_ref(),
                    reply_id: reply_id.as_deref(),
                    timeout: Duration::from_millis(*timeout_ms),
                };
                self.send_raw(text, &raw).await
            }
            Step::Wait { ms } => {
                self.listen(after(Instant::now(), Duration::from_millis(*ms)))
                    .await
            }
            Step::Reconnect {} => {
                self.close().await;
                let target = config.target_for(&self.identity);
                self.socket = connect(&target, &self.identity, self.version)
                    .await
                    .map_err(|e| Stop::new(StopKind::ReconnectFailed, e.to_string()))?;
                self.session = ocpp_validate::Correlator::new();
                Ok(())
            }
        }
    }

    async fn call(&mut self, action: &str, payload: &Value, expect: &Expect) -> Result<(), Stop> {
        let id = self.fresh_id();
        let payload = substitute(payload, &self.vars);
        // Raw on purpose: the payload is the scenario's, invalid where a case tests that.
        self.send(json!([2, id, action, payload]).to_string(), true)
            .await?;
        let deadline = after(Instant::now(), Duration::from_millis(expect.timeout_ms));
        match self.wait_response(&id, deadline).await? {
            Received::Result { payload, .. } => {
                if let Some(code) = &expect.error_code {
                    self.deviate(
                        "expected-callerror",
                        format!("{action}: CALLRESULT where a CALLERROR {code} was expected"),
                    );
                }
                self.check(&payload, &expect.matchers, &expect.capture);
            }
            Received::Error { code, .. } => {
                if expect.error_code.as_deref() != Some(code.as_str()) {
                    self.deviate(
                        "unexpected-callerror",
                        format!("{action}: answered with CALLERROR {code}"),
                    );
                }
            }
            Received::Call { .. } | Received::ResultError { .. } => {}
        }
        Ok(())
    }

    /// Sends a SEND and watches for `wait_ms` that nothing answers it: the receiver SHALL
    /// NOT respond to a SEND (OCPP 2.1 Part 4 §4.2.4). CSMS CALLs meanwhile are answered.
    async fn send_unconfirmed(
        &mut self,
        action: &str,
        payload: &Value,
        wait_ms: u64,
    ) -> Result<(), Stop> {
        let id = self.fresh_id();
        let payload = substitute(payload, &self.vars);
        // Raw on purpose: the payload is the scenario's, as for a CALL.
        self.send(json!([6, id, action, payload]).to_string(), true)
            .await?;
        let deadline = after(Instant::now(), Duration::from_millis(wait_ms));
        let kind = match self.wait_reply(&[&id], deadline).await {
            Err(stop) if stop.kind == StopKind::NoAnswer => return Ok(()),
            Err(stop) => return Err(stop),
            Ok(Received::Result { .. }) => "a CALLRESULT",
            Ok(Received::Error { .. }) => "a CALLERROR",
            Ok(Received::ResultError { .. }) => "a CALLRESULTERROR",
            Ok(Received::Call { .. }) => "a CALL",
        };
        self.deviate(
            "answered-send",
            format!(
                "{action}: the CSMS answered the SEND {id} with {kind}; OCPP 2.1 Part 4 \
                 §4.2.4: the receiver SHALL NOT respond to a SEND"
            ),
        );
        Ok(())
    }

    /// Waits for the CALLRESULTERROR answering the CALLRESULT `id` (OCPP 2.1 Part 4 §4.2.3),
    /// with one of the accepted codes and the CALLRESULT's id (§4.1.4).
    async fn expect_result_error(
        &mut self,
        action: &str,
        id: &str,
        expected: &ResultError,
    ) -> Result<(), Stop> {
        let deadline = after(Instant::now(), Duration::from_millis(expected.timeout_ms));
        let codes: Vec<&str> = expected.accept.iter().map(|a| a.code.as_str()).collect();
        let allowed = codes.join(" or ");
        match self.wait_reply(&[id], deadline).await {
            Err(stop) if stop.kind == StopKind::NoAnswer => {
                let (level, why) = expected
                    .no_answer
                    .as_ref()
                    .map_or((Level::Error, String::new()), |n| {
                        (n.level, format!(" ({})", n.reason))
                    });
                self.deviate_at(
                    level,
                    "no-callresulterror",
                    format!(
                        "{action}: no CALLRESULTERROR ({allowed}) to the CALLRESULT {id} in \
                         time{why}"
                    ),
                );
            }
            Err(stop) => return Err(stop),
            Ok(Received::ResultError { code, .. }) if codes.contains(&code.as_str()) => {}
            Ok(Received::ResultError { code, .. }) => self.deviate(
                "wrong-error-code",
                format!(
                    "{action}: the CALLRESULT {id} got CALLRESULTERROR {code}; OCPP {} allows \
                     {allowed} here",
                    self.version
                ),
            ),
            Ok(Received::Result { .. } | Received::Error { .. } | Received::Call { .. }) => self
                .deviate(
                    "expected-callresulterror",
                    format!("{action}: the CALLRESULT {id} got another answer than a CALLRESULTERROR, expected {allowed}"),
                ),
        }
        Ok(())
    }

    /// Sends a malformed frame and judges its CALLERROR: one of `codes`, carrying the frame's
    /// id (or `-1` only when `reply_id` says the id cannot be read). One wrong answer is one
    /// deviation.
    async fn send_raw(&mut self, text: &str, raw: &RawExpectation<'_>) -> Result<(), Stop> {
        let RawExpectation {
            codes,
            no_answer,
            reply_id,
            timeout,
        } = *raw;
        let id = self.fresh_id();
        let text = text.replace("${id}", &id);
        let expected_id = reply_id.unwrap_or("${id}").replace("${id}", &id);
        self.raw_reply = Some(expected_id.clone());
        self.send(text.clone(), false).await?;
        let deadline = after(Instant::now(), timeout);
        let ids = [expected_id.as_str(), UNREAD_ID];
        let reply = self.wait_reply(&ids, deadline).await;
        self.raw_reply = None;
        let allowed = codes.join(" or ");
        let reply = match reply {
            // A missing CALLERROR is a deviation; later frames are still worth trying.
            Err(stop) if stop.kind == StopKind::NoAnswer => {
                let (level, why) = no_answer.map_or((Level::Error, String::new()), |n| {
                    (n.level, format!(" ({})", n.reason))
                });
                self.deviate_at(
                    level,
                    "no-callerror",
                    format!("{}: no CALLERROR ({allowed}) in time{why}", clip(&text)),
                );
                return Ok(());
            }
            other => other?,
        };
        match reply {
            Received::Error { id: got, .. } if got == UNREAD_ID && expected_id != UNREAD_ID => {
                self.deviate(
                    "callerror-id",
                    format!(
                        "{}: the CALLERROR carries message id -1 although the id {expected_id} \
                         was readable (OCPP 2.0.1 Part 4 §4.2.3 keeps -1 for an unreadable id)",
                        clip(&text)
                    ),
                );
            }
            Received::Error { code, .. } if codes.contains(&code.as_str()) => {}
            Received::ResultError { code, .. } => self.deviate(
                "expected-callerror",
                format!(
                    "{}: answered with CALLRESULTERROR {code}, which answers a CALLRESULT; \
                     expected a CALLERROR {allowed}",
                    clip(&text)
                ),
            ),
            Received::Error { code, .. } => {
                let unknown = if is_known_code(self.version, &code) {
                    String::new()
                } else {
                    format!(" (not an OCPP {} error code)", self.version)
                };
                self.deviate(
                    "wrong-error-code",
                    format!(
                        "{}: answered with {code}{unknown}; OCPP {} allows {allowed} here",
                        clip(&text),
                        self.version
                    ),
                );
            }
            Received::Result { .. } | Received::Call { .. } => self.deviate(
                "expected-callerror",
                format!(
                    "{}: answered with a CALLRESULT, expected {allowed}",
                    clip(&text)
                ),
            ),
        }
        Ok(())
    }

    fn check(
        &mut self,
        payload: &Value,
        matchers: &BTreeMap<String, Matcher>,
        capture: &BTreeMap<String, String>,
    ) {
        for (pointer, matcher) in matchers {
            let matcher = matcher.substituted(&self.vars);
            if let Err(why) = matcher.check(payload, pointer) {
                self.deviate("match", why.to_string());
            }
        }
        for (name, pointer) in capture {
            match payload.pointer(pointer) {
                Some(value) => {
                    self.vars.insert(name.clone(), value.clone());
                }
                None => self.deviate(
                    "capture",
                    format!("{pointer}: missing, cannot capture {name}"),
                ),
            }
        }
    }

    /// Takes the earliest CALL of `action` received since the latest trigger step started
    /// (since the connection opened when there was none): one answered by default while no
    /// step waited, or else the next to arrive before the timeout.
    async fn expect_call(&mut self, action: &str, timeout_ms: u64) -> Result<Expected, Stop> {
        let deadline = after(Instant::now(), Duration::from_millis(timeout_ms));
        let mark = self.trigger_mark;
        if let Some(index) = self
            .calls
            .iter()
            .position(|c| c.action == action && c.seq > mark)
        {
            if let Some(kept) = self.calls.remove(index) {
                self.took(&kept);
                return Ok(Expected::Answered {
                    payload: kept.payload,
                });
            }
        }
        loop {
            match self.receive(deadline).await? {
                Some(Received::Call {
                    id,
                    action: got,
                    payload,
                }) if got == action => return Ok(Expected::Open { id, payload }),
                Some(Received::Call {
                    id,
                    action: got,
                    payload,
                }) => self.answer_unsolicited(id, got, payload, deadline).await?,
                Some(
                    Received::Result { .. } | Received::Error { .. } | Received::ResultError { .. },
                ) => {}
                None => {
                    return Err(Stop::new(
                        StopKind::NoCall,
                        format!("the CSMS sent no {action} within {timeout_ms} ms"),
                    ))
                }
            }
        }
    }

    /// Waits for the answer to message `id`, answering every CSMS CALL meanwhile.
    pub(crate) async fn wait_response(
        &mut self,
        id: &str,
        deadline: Instant,
    ) -> Result<Received, Stop> {
        self.wait_reply(&[id], deadline).await
    }

    /// Waits for an answer carrying one of `ids`, answering every CSMS CALL meanwhile.
    async fn wait_reply(&mut self, ids: &[&str], deadline: Instant) -> Result<Received, Stop> {
        let id = ids.first().copied().unwrap_or_default();
        loop {
            match self.receive(deadline).await? {
                Some(Received::Call {
                    id: call_id,
                    action,
                    payload,
                }) => {
                    self.answer_unsolicited(call_id, action, payload, deadline)
                        .await?
                }
                Some(Received::Result { id: got, payload }) if ids.contains(&got.as_str()) => {
                    return Ok(Received::Result { id: got, payload })
                }
                Some(Received::Error { id: got, code }) if ids.contains(&got.as_str()) => {
                    return Ok(Received::Error { id: got, code })
                }
                Some(Received::ResultError { id: got, code }) if ids.contains(&got.as_str()) => {
                    return Ok(Received::ResultError { id: got, code })
                }
                Some(
                    Received::Result { .. } | Received::Error { .. } | Received::ResultError { .. },
                ) => {}
                None => {
                    return Err(Stop::new(
                        StopKind::NoAnswer,
                        format!("no answer to message {id} in time"),
                    ))
                }
            }
        }
    }
}

/// Whether `code` is in the version's CALLERROR code table.
fn is_known_code(version: ocpp_model::OcppVersion, code: &str) -> bool {
    ocpp_model::AnyErrorCode::parse(version, code).is_some()
}
