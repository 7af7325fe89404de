//! What each scenario step does on the station's connection.

use std::collections::BTreeMap;
use std::time::Duration;

use serde_json::{json, Value};
use tokio::time::Instant;

use super::station::{clip, Received, Station, Stop};
use super::RunConfig;
use crate::deadline::after;
use crate::matcher::Matcher;
use crate::scenario::{substitute, Expect, Step};
use crate::transport::connect;

/// How long a `send_raw` step waits for its CALLERROR.
const RAW_TIMEOUT: Duration = Duration::from_millis(5_000);

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
            } => {
                let (id, payload) = match self.expect_call(action, *timeout_ms).await? {
                    Expected::Open { id, payload } => (Some(id), payload),
                    Expected::Answered { payload } => (None, payload),
                };
                self.check(&payload, matchers, capture);
                let Some(id) = id else {
                    return Ok(());
                };
                let frame = match respond_error {
                    Some(code) => json!([4, id, code, "", {}]),
                    None => json!([3, id, substitute(respond, &self.vars)]),
                };
                self.send(frame.to_string(), true).await
            }
            Step::Trigger { action, payload } => {
                let payload = substitute(payload, &self.vars);
                self.trigger(config, action, payload).await
            }
            Step::SendRaw {
                text,
                error_code,
                reply_id,
            } => self.send_raw(text, error_code, reply_id.as_deref()).await,
            Step::Wait { ms } => {
                self.listen(after(Instant::now(), Duration::from_millis(*ms)))
                    .await
            }
            Step::Reconnect {} => {
                self.close().await;
                self.socket = connect(&config.target, &self.identity, self.version)
                    .await
                    .map_err(|e| Stop::new("reconnect-failed", e.to_string()))?;
                self.session = ocpp_validate::Session::new();
                Ok(())
            }
        }
    }

    async fn call(&mut self, action: &str, payload: &Value, expect: &Expect) -> Result<(), Stop> {
        let id = self.fresh_id();
        let payload = substitute(payload, &self.vars);
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
            Received::Call { .. } => {}
        }
        Ok(())
    }

    async fn send_raw(
        &mut self,
        text: &str,
        error_code: &str,
        reply_id: Option<&str>,
    ) -> Result<(), Stop> {
        let id = self.fresh_id();
        let text = text.replace("${id}", &id);
        let expected_id = reply_id.unwrap_or("${id}").replace("${id}", &id);
        self.raw_reply = Some(expected_id.clone());
        self.send(text.clone(), false).await?;
        let deadline = after(Instant::now(), RAW_TIMEOUT);
        let reply = self.wait_response(&expected_id, deadline).await;
        self.raw_reply = None;
        let reply = match reply {
            // A missing CALLERROR is a deviation; later frames are still worth trying.
            Err(stop) if stop.rule == "no-answer" => {
                self.deviate(
                    "no-callerror",
                    format!("{}: no CALLERROR {error_code} in time", clip(&text)),
                );
                return Ok(());
            }
            other => other?,
        };
        match reply {
            Received::Error { code, .. } if code == error_code => {}
            Received::Error { code, .. } => self.deviate(
                "wrong-error-code",
                format!(
                    "malformed frame answered with {code}, {} requires {error_code}",
                    self.version
                ),
            ),
            _ => self.deviate(
                "expected-callerror",
                format!("malformed frame answered with a CALLRESULT, expected {error_code}"),
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
                self.deviate("match", why);
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
                Some(Received::Result { .. } | Received::Error { .. }) => {}
                None => {
                    return Err(Stop::new(
                        "no-call",
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
                Some(Received::Result { id: got, payload }) if got == id => {
                    return Ok(Received::Result { id: got, payload })
                }
                Some(Received::Error { id: got, code }) if got == id => {
                    return Ok(Received::Error { id: got, code })
                }
                Some(Received::Result { .. } | Received::Error { .. }) => {}
                None => {
                    return Err(Stop::new(
                        "no-answer",
                        format!("no answer to message {id} in time"),
                    ))
                }
            }
        }
    }
}
