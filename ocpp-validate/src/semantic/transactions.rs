//! Transaction lifecycle, per charge point (1.6 StartTransaction/StopTransaction/MeterValues,
//! 2.0.1 TransactionEvent).
//!
//! * `semantic-start-twice`: a transaction started on a connector (2.0.1: an EVSE) that has one
//!   open, or a 2.0.1 transaction id started again.
//! * `semantic-stop-without-start`: a stop (1.6 StopTransaction, 2.0.1 `Ended`) of a
//!   transaction this trace never started or already stopped. A warning: the trace may start
//!   mid-session.
//! * `semantic-transaction-unknown`: meter values (1.6 MeterValues `transactionId`, 2.0.1
//!   `Updated`) for a transaction this trace has not started; from then on it is followed.
//! * `semantic-meter-stop-below-start`: a 1.6 `meterStop` below the transaction's
//!   `meterStart`.
//! * `semantic-transaction-never-stopped`: a transaction still open at the end of the trace.
//!
//! A 1.6 transaction exists once the CSMS answers StartTransaction with its id. In a trace
//! without message ids (a data-lake export of the station's requests) no answer can be told,
//! so a StartTransaction waits, unbound, on its connector: the first MeterValues on that
//! connector naming a transaction id unknown so far binds it to that id, and so does a
//! StopTransaction of an unknown id when the station has exactly one start waiting.

use std::collections::HashMap;
use std::fmt;

use ocpp_model::primitives::{DateTime, Decimal};
use serde_json::Value;

use super::decode::{Connector, MeterValue, StartTransaction, StopTransaction, TransactionEvent};
use super::in_flight::PendingStart;
use super::meter_values::Registers;
use super::profile::{self, Sample};
use super::{finding, units, Cx, Fact, Out, SessionFact};
use crate::finding::{Position, Severity};

/// How many transactions one station may have open before new ones are no longer followed.
const MAX_OPEN: usize = 4096;

/// The open transactions of one station.
#[derive(Debug, Default)]
pub(super) struct Transactions {
    open: HashMap<TransactionId, Transaction>,
    /// 1.6 starts whose answer the trace cannot tell, by connector (at most [`MAX_OPEN`]).
    unbound: HashMap<i64, PendingStart>,
}

/// A transaction id: 1.6 numbers them, 2.0.1 names them.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
enum TransactionId {
    Number(i64),
    Text(String),
}

impl fmt::Display for TransactionId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Number(n) => write!(f, "{n}"),
            Self::Text(text) => write!(f, "{text:?}"),
        }
    }
}

#[derive(Debug, Default)]
struct Transaction {
    /// The record that started it (or first named it).
    at: Position,
    connector: Option<Connector>,
    id_tag: Option<String>,
    start: Option<DateTime>,
    meter_start: Option<i64>,
    /// Whether its start was read from a payload that fails its schema.
    start_fails_schema: bool,
    registers: Registers,
    /// Its meter values, kept only when facts are.
    samples: Vec<Sample>,
    /// Why it stopped, once it did.
    stop_reason: Option<String>,
    /// Whether its start was read (a StartTransaction, a `Started` event); a transaction
    /// first named by a later message has unknown energy.
    started: bool,
}

impl Transaction {
    /// The rise of its energy register, when its start was read: the samples of a
    /// transaction first met halfway cover only part of it.
    fn register_energy(&self) -> Option<Decimal> {
        self.started.then(|| self.registers.energy()).flatten()
    }

    /// Reads meter values of this transaction (`transaction` names it in messages): the
    /// register checks, and the samples when facts are kept.
    fn read(
        &mut self,
        cx: Cx<'_>,
        transaction: &str,
        base: &str,
        values: &[MeterValue<'_>],
        out: &mut Out<'_>,
    ) {
        self.registers.check(cx, transaction, base, values, out);
        if out.keeps_facts() {
            profile::keep(&mut self.samples, values);
        }
    }
}

impl Transactions {
    /// Whether no transaction is open.
    pub(super) fn is_empty(&self) -> bool {
        self.open.is_empty() && self.unbound.is_empty()
    }

    /// 1.6 StartTransaction whose answer cannot be told (not paired by message id): it waits
    /// on its connector for the id a later message names. A later start on the same
    /// connector replaces it.
    pub(super) fn start_unpaired_16(&mut self, start: PendingStart) {
        let Some(connector) = start.connector else {
            return;
        };
        if self.unbound.len() < MAX_OPEN || self.unbound.contains_key(&connector) {
            self.unbound.insert(connector, start);
        }
    }

    /// Binds a waiting start to transaction `id`, unknown so far: the one on `connector`, or
    /// without a connector the only one waiting. Says whether one was bound.
    fn bind(&mut self, id: i64, connector: Option<i64>) -> bool {
        let connector = match connector {
            Some(connector) => connector,
            None if self.unbound.len() == 1 => match self.unbound.keys().next() {
                Some(&only) => only,
                None => return false,
            },
            None => return false,
        };
        match self.unbound.remove(&connector) {
            Some(start) => {
                self.started_16(id, start);
                true
            }
            None => false,
        }
    }

    /// The open transaction on a connector (2.0.1: on an EVSE), if any.
    fn on(&self, connector: Connector) -> Option<(&TransactionId, &Transaction)> {
        self.open.iter().find(|(_, tx)| {
            tx.connector.is_some_and(|c| match connector.evse {
                Some(evse) => c.evse == Some(evse),
                None => c == connector,
            })
        })
    }

    /// 1.6 StartTransaction request: its connector must be free.
    pub(super) fn start_16(&self, cx: Cx<'_>, start: &StartTransaction<'_>, out: &mut Out<'_>) {
        let Some(connector) = start.connector_id.map(|id| Connector { evse: None, id }) else {
            return;
        };
        if let Some((id, tx)) = self.on(connector) {
            out.findings.push(start_twice(
                cx.at,
                "/connectorId".to_owned(),
                format!(
                    "StartTransaction on connector {connector}, which has transaction {id} open since record {}",
                    tx.at.record
                ),
            ));
        }
    }

    /// 1.6 StartTransaction answered: the transaction exists.
    pub(super) fn started_16(&mut self, id: i64, start: PendingStart) {
        if self.open.len() >= MAX_OPEN {
            return;
        }
        self.open.insert(
            TransactionId::Number(id),
            Transaction {
                at: start.at,
                connector: start.connector.map(|id| Connector { evse: None, id }),
                id_tag: start.id_tag,
                start: start.timestamp,
                meter_start: start.meter_start,
                start_fails_schema: start.fails_schema,
                started: true,
                ..Transaction::default()
            },
        );
    }

    /// 1.6 StopTransaction request.
    pub(super) fn stop_16(&mut self, cx: Cx<'_>, stop: &StopTransaction<'_>, out: &mut Out<'_>) {
        units::check(cx, "/transactionData", &stop.transaction_data, out);
        let Some(number) = stop.transaction_id else {
            return;
        };
        let id = TransactionId::Number(number);
        if !self.open.contains_key(&id) {
            self.bind(number, None);
        }
        let Some(mut tx) = self.open.remove(&id) else {
            out.findings
                .push(stop_without_start(cx.at, "/transactionId", &id));
            return;
        };
        tx.read(
            cx,
            &id.to_string(),
            "/transactionData",
            &stop.transaction_data,
            out,
        );
        let below = match (tx.meter_start, stop.meter_stop) {
            (Some(start), Some(stop)) if stop < start => Some((start, stop)),
            _ => None,
        };
        if let Some((meter_start, meter_stop)) = below {
            let read = match tx.start_fails_schema {
                true => " (meterStart read from a payload that fails its schema)",
                false => "",
            };
            out.findings.push(finding(
                cx.at,
                "semantic-meter-stop-below-start",
                Severity::Error,
                "/meterStop".to_owned(),
                format!(
                    "meterStop {meter_stop} of transaction {id} is below its meterStart {meter_start} (record {}){read}",
                    tx.at.record
                ),
                Some(Value::from(meter_stop)),
            ));
        }
        // meterStart and meterStop span the whole session; the samples may not (they start
        // after meterStart), so without both the energy is unknown.
        let energy = match (tx.meter_start, stop.meter_stop) {
            (Some(start), Some(stop)) => Some(Decimal::from(stop) - Decimal::from(start)),
            _ => None,
        };
        let stopped = stop
            .timestamp
            .as_deref()
            .and_then(|t| DateTime::parse(t).ok());
        tx.stop_reason = stop.reason.as_deref().map(str::to_owned);
        close(cx, &id, tx, stopped, energy, out);
    }

    /// 1.6 MeterValues of a transaction.
    pub(super) fn meter_values_16(
        &mut self,
        cx: Cx<'_>,
        (id, connector): (i64, Option<i64>),
        values: &[MeterValue<'_>],
        out: &mut Out<'_>,
    ) {
        if let Some(connector) =
            connector.filter(|_| !self.open.contains_key(&TransactionId::Number(id)))
        {
            self.bind(id, Some(connector));
        }
        let id = TransactionId::Number(id);
        if let Some(tx) = self.follow(cx, &id, "/transactionId", out) {
            tx.read(cx, &id.to_string(), "/meterValue", values, out);
        }
    }

    /// The open transaction `id`; one not open is reported unknown and followed from now on.
    fn follow(
        &mut self,
        cx: Cx<'_>,
        id: &TransactionId,
        pointer: &str,
        out: &mut Out<'_>,
    ) -> Option<&mut Transaction> {
        if !self.open.contains_key(id) {
            out.findings.push(finding(
                cx.at,
                "semantic-transaction-unknown",
                Severity::Warning,
                pointer.to_owned(),
                format!("transaction {id} was not started in this trace"),
                None,
            ));
            if self.open.len() >= MAX_OPEN {
                return None;
            }
            self.open.insert(
                id.clone(),
                Transaction {
                    at: cx.at,
                    ..Transaction::default()
                },
            );
        }
        self.open.get_mut(id)
    }

    /// 2.0.1 TransactionEvent.
    pub(super) fn event_201(
        &mut self,
        cx: Cx<'_>,
        event: &TransactionEvent<'_>,
        out: &mut Out<'_>,
    ) {
        units::check(cx, "/meterValue", &event.meter_value, out);
        let info = event.transaction_info.as_ref();
        let (Some(event_type), Some(id)) = (
            &event.event_type,
            info.and_then(|i| i.transaction_id.as_ref()),
        ) else {
            return;
        };
        let id = TransactionId::Text(id.to_string());
        let connector = event.evse.as_ref().and_then(|evse| {
            Some(Connector {
                evse: Some(evse.id?),
                id: evse.connector_id.unwrap_or(0),
            })
        });
        let timestamp = event
            .timestamp
            .as_deref()
            .and_then(|t| DateTime::parse(t).ok());
        let pointer = "/transactionInfo/transactionId";
        let tx = match &**event_type {
            "Started" => {
                if let Some(earlier) = self.open.get(&id) {
                    out.findings.push(start_twice(
                        cx.at,
                        pointer.to_owned(),
                        format!(
                            "transaction {id} started again; it is open since record {}",
                            earlier.at.record
                        ),
                    ));
                } else if let Some((other, tx)) = connector.and_then(|c| self.on(c)) {
                    out.findings.push(start_twice(
                        cx.at,
                        "/evse/id".to_owned(),
                        format!(
                            "transaction {id} started on EVSE {}, which has transaction {other} open since record {}",
                            connector.and_then(|c| c.evse).unwrap_or_default(),
                            tx.at.record
                        ),
                    ));
                }
                if self.open.len() >= MAX_OPEN && !self.open.contains_key(&id) {
                    return;
                }
                let tx = self.open.entry(id.clone()).or_default();
                *tx = Transaction {
                    at: cx.at,
                    start: timestamp,
                    started: true,
                    ..Transaction::default()
                };
                tx
            }
            "Ended" => {
                let Some(mut tx) = self.open.remove(&id) else {
                    out.findings.push(stop_without_start(cx.at, pointer, &id));
                    return;
                };
                tx.read(cx, &id.to_string(), "/meterValue", &event.meter_value, out);
                learn(&mut tx, connector, event);
                let energy = tx.register_energy();
                tx.stop_reason = info
                    .and_then(|i| i.stopped_reason.as_deref())
                    .map(str::to_owned);
                close(cx, &id, tx, timestamp, energy, out);
                return;
            }
            _ => match self.follow(cx, &id, pointer, out) {
                Some(tx) => tx,
                None => return,
            },
        };
        tx.read(cx, &id.to_string(), "/meterValue", &event.meter_value, out);
        learn(tx, connector, event);
    }

    /// Reports the transactions still open, in the order they started.
    pub(super) fn finish(&mut self, charge_point: Option<&str>, out: &mut Out<'_>) {
        let mut open: Vec<(TransactionId, Transaction)> = self.open.drain().collect();
        open.sort_by_key(|(_, tx)| tx.at.record);
        for (id, tx) in open {
            let on = tx
                .connector
                .map(|c| format!(" on connector {c}"))
                .unwrap_or_default();
            let read = match tx.start_fails_schema {
                true => super::FAILS_SCHEMA,
                false => "",
            };
            out.findings.push(finding(
                tx.at,
                "semantic-transaction-never-stopped",
                Severity::Warning,
                String::new(),
                format!("transaction {id}{on} was never stopped in this trace{read}"),
                None,
            ));
            let energy = tx.register_energy();
            out.fact(|| Fact::Session(session(charge_point, &id, tx, None, energy)));
        }
    }
}

/// Fills in what a later event of a 2.0.1 transaction tells.
fn learn(tx: &mut Transaction, connector: Option<Connector>, event: &TransactionEvent<'_>) {
    if tx.connector.is_none() {
        tx.connector = connector;
    }
    if tx.id_tag.is_none() {
        tx.id_tag = event
            .id_token
            .as_ref()
            .and_then(|t| t.id_token.as_deref())
            .map(str::to_owned);
    }
}

fn close(
    cx: Cx<'_>,
    id: &TransactionId,
    tx: Transaction,
    stop: Option<DateTime>,
    energy: Option<Decimal>,
    out: &mut Out<'_>,
) {
    out.fact(|| Fact::Session(session(cx.charge_point, id, tx, stop, energy)));
}

fn session(
    charge_point: Option<&str>,
    id: &TransactionId,
    tx: Transaction,
    stop: Option<DateTime>,
    energy_wh: Option<Decimal>,
) -> SessionFact {
    SessionFact {
        charge_point: charge_point.map(str::to_owned),
        transaction_id: match id {
            TransactionId::Number(n) => n.to_string(),
            TransactionId::Text(text) => text.clone(),
        },
        connector: tx.connector.map(|c| c.to_string()),
        id_tag: tx.id_tag,
        start: tx.start,
        stop,
        energy_wh,
        stop_reason: tx.stop_reason,
        samples: tx.samples,
    }
}

fn start_twice(at: Position, pointer: String, message: String) -> crate::Finding {
    finding(
        at,
        "semantic-start-twice",
        Severity::Error,
        pointer,
        message,
        None,
    )
}

fn stop_without_start(at: Position, pointer: &str, id: &TransactionId) -> crate::Finding {
    finding(
        at,
        "semantic-stop-without-start",
        Severity::Warning,
        pointer.to_owned(),
        format!(
            "transaction {id} is stopped but was not started in this trace (or already stopped)"
        ),
        None,
    )
}
