//! Making the CSMS send a CALL. A trigger runs on its own task, concurrently with the
//! connection, so that the station keeps reading and answering while, say, a CSMS's REST API
//! waits for the station's answer before it returns; each trigger has a timeout.

use std::future::Future;
use std::sync::Arc;
use std::time::Duration;

use serde_json::Value;
use tokio::sync::{mpsc, Mutex};
use tokio::task::JoinHandle;
use tokio::time::Instant;

use super::station::{Received, Station, Stop, StopKind};
use super::RunConfig;
use crate::csms::Csms;
use crate::deadline::after;
use crate::http;

/// How long a trigger may run by default (`--trigger-timeout`).
pub const TRIGGER_TIMEOUT: Duration = Duration::from_secs(30);

/// How many lines of a failed trigger's output a deviation quotes.
const OUTPUT_LINES: usize = 5;

/// How the runner makes a CSMS send a CALL.
#[derive(Debug, Default)]
#[non_exhaustive]
pub enum Trigger {
    /// It cannot: cases that need a trigger are skipped.
    #[default]
    None,
    /// Through the in-process reference CSMS.
    InProcess(Arc<Csms>),
    /// By running a shell command with `OCPP_IDENTITY`, `OCPP_ACTION`, `OCPP_PAYLOAD` and
    /// `OCPP_VERSION` set.
    Command(String),
    /// By `POST {url}/api/octt/{version}/{identity}/call/{action}` with the payload as body.
    Url(String),
    /// By nothing: the CSMS acts on its own, and the case waits for it.
    Wait,
    /// By an operator: a prompt on stderr names what to make the CSMS do; Enter skips.
    Manual(Operator),
}

/// The operator of a `--manual` run: each Enter pressed skips the case waiting for one.
#[derive(Debug, Clone)]
pub struct Operator {
    enters: Arc<Mutex<mpsc::UnboundedReceiver<()>>>,
}

impl Operator {
    /// An operator at the terminal: a thread reads stdin and reports each line.
    pub fn from_stdin() -> Self {
        let (sender, enters) = mpsc::unbounded_channel();
        std::thread::spawn(move || {
            for _ in std::io::stdin().lines().map_while(Result::ok) {
                if sender.send(()).is_err() {
                    return;
                }
            }
        });
        Self::from_channel(enters)
    }

    /// An operator whose Enter presses arrive on `enters`.
    pub fn from_channel(enters: mpsc::UnboundedReceiver<()>) -> Self {
        Self {
            enters: Arc::new(Mutex::new(enters)),
        }
    }

    /// Waits for Enter; an operator who has gone (stdin closed) never presses it.
    async fn skip_pressed(self) -> Result<(), Stop> {
        let mut enters = self.enters.lock().await;
        // A key pressed before this prompt is not an answer to it.
        while enters.try_recv().is_ok() {}
        match enters.recv().await {
            Some(()) => Err(Stop::new(StopKind::OperatorSkip, "skipped by the operator")),
            None => std::future::pending().await,
        }
    }
}

/// A trigger running on its own task; it yields why it failed.
pub(crate) struct Pending {
    handle: JoinHandle<Result<(), Stop>>,
    /// Whether it waits for the operator (it ends when the expected CALL comes).
    pub(super) manual: bool,
}

/// Resolves when the pending trigger (if any) ends, clearing it; a failure is a `trigger`
/// stop. Never resolves when no trigger runs.
pub(super) async fn finished(pending: &mut Option<Pending>) -> Result<(), Stop> {
    let Some(running) = pending else {
        return std::future::pending().await;
    };
    let outcome = (&mut running.handle).await;
    *pending = None;
    outcome.unwrap_or_else(|e| {
        Err(Stop::new(
            StopKind::Trigger,
            format!("the trigger task failed: {e}"),
        ))
    })
}

impl Station {
    /// Starts the configured trigger for `action` and returns without waiting for it; a
    /// trigger still running from an earlier step is waited for first.
    pub(super) async fn trigger(
        &mut self,
        config: &RunConfig,
        action: &str,
        payload: Value,
    ) -> Result<(), Stop> {
        self.drop_manual_trigger();
        if self.trigger.is_some() {
            let mut running = self.trigger.take();
            let deadline = after(Instant::now(), config.trigger_timeout);
            self.await_trigger(&mut running, deadline).await?;
        }
        // CALLs already on the wire came before the trigger: read and answer them first.
        self.listen(Instant::now()).await?;
        self.trigger_mark = self.received_calls;
        let timeout = config.trigger_timeout;
        // `1.6` or `2.0.1`, as the trigger URL convention spells it.
        let version = self.version.as_str();
        let task = match &config.trigger {
            Trigger::None => return Err(Stop::new(StopKind::Trigger, "no trigger configured")),
            Trigger::Wait => return Ok(()),
            Trigger::InProcess(csms) => {
                return csms
                    .trigger(&self.identity, action, payload)
                    .map_err(|e| Stop::new(StopKind::Trigger, e))
            }
            Trigger::Command(command) => spawn_failing_as_trigger(run_command(
                command.clone(),
                [
                    ("OCPP_IDENTITY", self.identity.clone()),
                    ("OCPP_ACTION", action.to_owned()),
                    ("OCPP_PAYLOAD", payload.to_string()),
                    ("OCPP_VERSION", version.to_owned()),
                ],
                timeout,
            )),
            Trigger::Manual(operator) => {
                eprintln!(
                    "Make the CSMS send {action} to {} with {payload} — waiting {} s, Enter to skip",
                    self.identity,
                    timeout.as_secs()
                );
                self.trigger = Some(Pending {
                    handle: tokio::spawn(operator.clone().skip_pressed()),
                    manual: true,
                });
                return Ok(());
            }
            Trigger::Url(base) => {
                let url = format!(
                    "{}/api/octt/{version}/{}/call/{action}",
                    base.trim_end_matches('/'),
                    self.identity
                );
                spawn_failing_as_trigger(post(url, payload.to_string(), timeout))
            }
        };
        self.trigger = Some(Pending {
            handle: task,
            manual: false,
        });
        Ok(())
    }

    /// Ends a manual trigger: its CALL came, or a new step no longer waits for it.
    pub(super) fn drop_manual_trigger(&mut self) {
        if self.trigger.as_ref().is_some_and(|p| p.manual) {
            if let Some(running) = self.trigger.take() {
                running.handle.abort();
            }
        }
    }

    /// Waits for `running` to end before `deadline`, reading and answering the CSMS meanwhile.
    async fn await_trigger(
        &mut self,
        running: &mut Option<Pending>,
        deadline: Instant,
    ) -> Result<(), Stop> {
        loop {
            tokio::select! {
                outcome = finished(running) => return outcome,
                received = self.receive(deadline) => match received? {
                    Some(Received::Call { id, action, payload }) => {
                        self.answer_unsolicited(id, action, payload, deadline).await?;
                    }
                    Some(Received::Result { .. } | Received::Error { .. } | Received::ResultError { .. }) => {}
                    None => return Err(Stop::new(StopKind::Trigger, "the trigger did not end in time")),
                },
            }
        }
    }

    /// At the end of a case: waits for a trigger still running (for at most `timeout`,
    /// answering the CSMS meanwhile) and records its failure; stops it without a word when
    /// the case already stopped.
    pub(crate) async fn settle_trigger(&mut self, stopped: bool, timeout: Duration) {
        self.drop_manual_trigger();
        let Some(running) = self.trigger.take() else {
            return;
        };
        if stopped {
            running.handle.abort();
            return;
        }
        let mut running = Some(running);
        // The trigger's own timeout ends it first; the margin covers its last report.
        let deadline = after(Instant::now(), timeout + Duration::from_secs(1));
        if let Err(stop) = self.await_trigger(&mut running, deadline).await {
            self.deviate(stop.kind.rule(), stop.message);
        }
        if let Some(left) = running {
            left.handle.abort();
        }
    }
}

/// Runs a trigger's task; the reason it fails is a [`StopKind::Trigger`] stop.
fn spawn_failing_as_trigger(
    task: impl Future<Output = Result<(), String>> + Send + 'static,
) -> JoinHandle<Result<(), Stop>> {
    tokio::spawn(async move { task.await.map_err(|why| Stop::new(StopKind::Trigger, why)) })
}

/// Runs `command` with `env` set; a non-zero exit, a failure to start or a run longer than
/// `timeout` is the reason returned (the process is killed then).
async fn run_command(
    command: String,
    env: [(&'static str, String); 4],
    timeout: Duration,
) -> Result<(), String> {
    let child = tokio::process::Command::new("sh")
        .arg("-c")
        .arg(&command)
        .envs(env)
        .stdin(std::process::Stdio::null())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .kill_on_drop(true)
        .spawn()
        .map_err(|e| format!("{command}: {e}"))?;
    match tokio::time::timeout(timeout, child.wait_with_output()).await {
        Err(_) => Err(format!(
            "{command}: still running after {} s; stopped",
            timeout.as_secs_f64()
        )),
        Ok(Err(e)) => Err(format!("{command}: {e}")),
        Ok(Ok(output)) if output.status.success() => Ok(()),
        Ok(Ok(output)) => {
            let mut text = String::from_utf8_lossy(&output.stdout).into_owned();
            text.push_str(&String::from_utf8_lossy(&output.stderr));
            Err(format!(
                "{command}: exited with {}{}",
                output.status,
                first_lines(&text)
            ))
        }
    }
}

/// POSTs `body` to `url`; anything but a 2xx status in `timeout` is the reason returned.
async fn post(url: String, body: String, timeout: Duration) -> Result<(), String> {
    match tokio::time::timeout(timeout, http::post_json(&url, &body)).await {
        Err(_) => Err(format!(
            "POST {url}: no answer within {} s",
            timeout.as_secs_f64()
        )),
        Ok(Err(e)) => Err(format!("POST {url}: {e}")),
        Ok(Ok(answer)) if (200..300).contains(&answer.status) => Ok(()),
        Ok(Ok(answer)) => Err(format!(
            "POST {url}: HTTP {}{}",
            answer.status,
            first_lines(&answer.body)
        )),
    }
}

/// The first lines of a trigger's output, for a deviation (empty when there is none).
fn first_lines(text: &str) -> String {
    let lines: Vec<&str> = text
        .lines()
        .filter(|l| !l.trim().is_empty())
        .take(OUTPUT_LINES)
        .collect();
    if lines.is_empty() {
        String::new()
    } else {
        format!("; output: {}", lines.join(" / "))
    }
}
