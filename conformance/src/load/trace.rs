//! A workload from a captured trace (any format `ocpp-validate` reads): the
//! station's CALLs in order, rewritten per station so that a fleet does not replay one
//! identity's tokens, transactions and timestamps.

use std::collections::BTreeMap;
use std::io::Read;
use std::time::Duration;

use ocpp_model::OcppVersion;
use ocpp_validate::trace::{RecordReader, DEFAULT_MAX_LINE};
use ocpp_validate::Sender;
use serde_json::{json, Value};

use super::workload::{Step, Workload};
use crate::replay::{parse_frame, TraceError};

/// Reads the station's CALLs of a trace into a workload: a leading BootNotification is played
/// once, the other CALLs in a loop followed by `interval`. Records that name the CSMS as their
/// sender are skipped; raw frames name no sender, so every CALL in them counts as the
/// station's. The version is the first one a record names, else `version`.
///
/// Every simulated station plays one charge point's session, so a trace of several charge
/// points needs `pick`, which keeps that one's records only; a trace of several without it, a
/// `pick` it does not name, and a charge point whose records name two versions are refused.
pub fn from_trace(
    input: impl Read,
    version: OcppVersion,
    interval: Duration,
    pick: Option<&str>,
) -> Result<Workload, TraceError> {
    let mut records = RecordReader::new(std::io::BufReader::new(input), DEFAULT_MAX_LINE)?;
    let mut named: Option<(OcppVersion, usize)> = None;
    let mut charge_points: Vec<String> = Vec::new();
    let mut conflict = None;
    let mut calls = Vec::new();
    while let Some(record) = records.next_record()? {
        if let Some(name) = &record.charge_point {
            if !charge_points.contains(name) {
                charge_points.push(name.clone());
            }
        }
        if record.origin == Some(Sender::Csms)
            || pick.is_some_and(|pick| record.charge_point.as_deref() != Some(pick))
        {
            continue;
        }
        match (named, record.version) {
            (Some((known, line)), Some(other)) if known != other && conflict.is_none() => {
                conflict = Some(format!(
                    "line {line} names OCPP {known}, line {} OCPP {other}; a station speaks \
                     one version",
                    record.line
                ));
            }
            (None, Some(other)) => named = Some((other, record.line)),
            _ => {}
        }
        let frame = parse_frame(record.line, record.frame)?;
        if let [Value::Number(kind), _, Value::String(action), payload] =
            frame.as_array().map(Vec::as_slice).unwrap_or_default()
        {
            if kind.as_u64() == Some(2) {
                calls.push((action.clone(), payload.clone()));
            }
        }
    }
    match pick {
        Some(pick) if !charge_points.iter().any(|name| name == pick) => {
            return Err(TraceError::Unusable(format!(
                "--charge-point {pick}: the trace has no records of this charge point{}",
                if charge_points.is_empty() {
                    String::new()
                } else {
                    format!("; it has {}", charge_points.join(", "))
                }
            )));
        }
        None if charge_points.len() > 1 => {
            return Err(TraceError::Unusable(format!(
                "the trace holds {} charge points ({}); every simulated station plays one \
                 charge point's session: pick one with --charge-point ID",
                charge_points.len(),
                charge_points.join(", ")
            )));
        }
        _ => {}
    }
    if let Some(conflict) = conflict {
        return Err(TraceError::Unusable(conflict));
    }
    let version = named.map_or(version, |(named, _)| named);
    let mut started = false;
    let mut steps: Vec<Step> = calls
        .into_iter()
        .map(|(action, payload)| {
            let call = rewrite(version, started, action, payload);
            started |= matches!(&call, Step::Call { capture, .. } if !capture.is_empty());
            call
        })
        .collect();
    if steps.is_empty() {
        return Err(TraceError::NoCalls);
    }
    let boot = match steps.first() {
        Some(Step::Call { action, .. }) if action == "BootNotification" => {
            vec![steps.remove(0)]
        }
        _ => Vec::new(),
    };
    steps.push(Step::Wait(interval));
    Ok(Workload {
        version,
        boot,
        repeat: steps,
    })
}

/// The per-station form of one captured CALL: tokens become `${idTag}`, timestamps `${now}`,
/// 1.6 transaction ids the one the CSMS gave this station (once a StartTransaction has been
/// replayed), 2.0.1 ones prefixed with the station number.
fn rewrite(version: OcppVersion, started: bool, action: String, mut payload: Value) -> Step {
    rewrite_members(&mut payload);
    let mut capture = BTreeMap::new();
    match version {
        OcppVersion::V16 => {
            if action == "StartTransaction" {
                capture.insert("transactionId".to_owned(), "/transactionId".to_owned());
            } else if let Some(id) = payload.get_mut("transactionId").filter(|_| started) {
                *id = json!("${transactionId}");
            }
        }
        // 2.1's TransactionEvent names its transaction as 2.0.1's does.
        OcppVersion::V201 | OcppVersion::V21 => {
            if let Some(Value::String(id)) = payload.pointer_mut("/transactionInfo/transactionId") {
                *id = format!("${{index}}-{id}");
            }
        }
    }
    Step::Call {
        action,
        payload,
        capture,
    }
}

/// Replaces every `timestamp` by `${now}` and every token (`idTag`, `idToken.idToken`) by
/// `${idTag}`, at any depth.
fn rewrite_members(value: &mut Value) {
    match value {
        Value::Object(map) => {
            for (name, member) in map.iter_mut() {
                match (name.as_str(), &*member) {
                    ("timestamp", Value::String(_)) => *member = json!("${now}"),
                    ("idTag" | "parentIdTag", Value::String(_)) => *member = json!("${idTag}"),
                    ("idToken", Value::Object(token)) if token.contains_key("idToken") => {
                        member["idToken"] = json!("${idTag}");
                    }
                    _ => rewrite_members(member),
                }
            }
        }
        Value::Array(items) => items.iter_mut().for_each(rewrite_members),
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn calls(workload: &Workload) -> Vec<(String, Value)> {
        workload
            .boot
            .iter()
            .chain(&workload.repeat)
            .filter_map(|step| match step {
                Step::Call {
                    action, payload, ..
                } => Some((action.clone(), payload.clone())),
                Step::Wait(_) => None,
            })
            .collect()
    }

    #[test]
    fn raw_frames_become_rewritten_calls() {
        let trace = r#"[2,"1","BootNotification",{"chargePointVendor":"V","chargePointModel":"M"}]
[3,"1",{"status":"Accepted","currentTime":"2026-01-01T00:00:00Z","interval":300}]
[2,"2","StartTransaction",{"connectorId":1,"idTag":"ABC","meterStart":0,"timestamp":"2026-01-01T00:00:01Z"}]
[2,"3","StopTransaction",{"transactionId":77,"meterStop":5,"timestamp":"2026-01-01T00:00:02Z"}]
"#;
        let workload = from_trace(
            trace.as_bytes(),
            OcppVersion::V16,
            Duration::from_secs(1),
            None,
        )
        .unwrap();
        assert_eq!(workload.boot.len(), 1);
        let calls = calls(&workload);
        assert_eq!(calls.len(), 3);
        assert_eq!(calls[1].1["idTag"], "${idTag}");
        assert_eq!(calls[1].1["timestamp"], "${now}");
        assert_eq!(calls[2].1["transactionId"], "${transactionId}");
    }

    #[test]
    fn open_trace_records_from_the_csms_are_skipped() {
        let trace = r#"{"ocppVersion":"2.0.1","direction":"csms-to-cp","raw":"[2,\"9\",\"Reset\",{\"type\":\"Immediate\"}]"}
{"ocppVersion":"2.0.1","direction":"cp-to-csms","raw":"[2,\"1\",\"TransactionEvent\",{\"eventType\":\"Started\",\"timestamp\":\"2026-01-01T00:00:00Z\",\"triggerReason\":\"Authorized\",\"seqNo\":0,\"transactionInfo\":{\"transactionId\":\"tx1\"},\"idToken\":{\"idToken\":\"ABC\",\"type\":\"ISO14443\"}}]"}
"#;
        let workload = from_trace(
            trace.as_bytes(),
            OcppVersion::V16,
            Duration::from_secs(1),
            None,
        )
        .unwrap();
        assert_eq!(workload.version, OcppVersion::V201);
        let calls = calls(&workload);
        assert_eq!(calls.len(), 1);
        let payload = &calls[0].1;
        assert_eq!(payload["transactionInfo"]["transactionId"], "${index}-tx1");
        assert_eq!(payload["idToken"]["idToken"], "${idTag}");
        assert_eq!(payload["idToken"]["type"], "ISO14443");
    }

    #[test]
    fn one_charge_point_naming_two_versions_is_refused() {
        let trace = r#"{"ocppVersion":"1.6","chargePointId":"CP-1","direction":"cp-to-csms","raw":"[2,\"1\",\"Heartbeat\",{}]"}
{"ocppVersion":"2.0.1","chargePointId":"CP-1","direction":"cp-to-csms","raw":"[2,\"2\",\"Heartbeat\",{}]"}
"#;
        let error = from_trace(
            trace.as_bytes(),
            OcppVersion::V16,
            Duration::from_secs(1),
            None,
        )
        .unwrap_err();
        assert_eq!(
            error.to_string(),
            "line 1 names OCPP 1.6, line 2 OCPP 2.0.1; a station speaks one version"
        );
        let one = trace.lines().next().unwrap();
        let workload = from_trace(
            one.as_bytes(),
            OcppVersion::V201,
            Duration::from_secs(1),
            Some("CP-1"),
        )
        .unwrap();
        assert_eq!(workload.version, OcppVersion::V16);
    }

    #[test]
    fn a_trace_without_station_calls_is_refused() {
        let trace = "[3,\"1\",{}]\n";
        let error = from_trace(
            trace.as_bytes(),
            OcppVersion::V16,
            Duration::from_secs(1),
            None,
        )
        .unwrap_err();
        assert!(matches!(error, TraceError::NoCalls), "{error}");
    }

    #[test]
    fn a_record_that_is_not_json_names_its_line() {
        let trace = "[2,\"1\",\"Heartbeat\",{}]\nnot json\n";
        let error = from_trace(
            trace.as_bytes(),
            OcppVersion::V16,
            Duration::from_secs(1),
            None,
        )
        .unwrap_err();
        assert_eq!(error.to_string().split(':').next(), Some("line 2"));
    }
}
