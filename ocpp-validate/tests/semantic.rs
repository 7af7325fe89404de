//! The semantic rules, each with a trace that fires it and a counterpart that stays quiet,
//! checked through `check_reader` on Open OCPP Trace records.

use std::io::Cursor;
use std::time::Duration;

use ocpp_validate::check::{check_reader, CheckOptions};
use ocpp_validate::semantic::{Config, RULES};
use ocpp_validate::{Category, Finding, Severity};

/// Builds an Open OCPP Trace of one charge point, `CP-1`, second by second from 08:00:00.
#[derive(Clone)]
struct Trace {
    version: &'static str,
    lines: Vec<String>,
}

const CS: &str = "cp-to-csms";
const CSMS: &str = "csms-to-cp";

impl Trace {
    fn v16() -> Self {
        Self {
            version: "1.6",
            lines: Vec::new(),
        }
    }

    fn v201() -> Self {
        Self {
            version: "2.0.1",
            lines: Vec::new(),
        }
    }

    fn record(mut self, secs: u32, direction: &str, frame: &str) -> Self {
        let line = serde_json::json!({
            "schemaVersion": "1.0",
            "timestamp": time(secs),
            "ocppVersion": self.version,
            "chargePointId": "CP-1",
            "direction": direction,
            "raw": frame,
        });
        self.lines.push(line.to_string());
        self
    }

    /// A CALL from the station at `secs`, answered by the CSMS `took` seconds later.
    fn station(
        self,
        secs: u32,
        took: u32,
        id: &str,
        action: &str,
        payload: &str,
        result: &str,
    ) -> Self {
        self.record(secs, CS, &format!(r#"[2,"{id}","{action}",{payload}]"#))
            .record(secs + took, CSMS, &format!(r#"[3,"{id}",{result}]"#))
    }

    /// A CALL from the CSMS at `secs`, answered at once by the station.
    fn csms(self, secs: u32, id: &str, action: &str, payload: &str, result: &str) -> Self {
        self.record(secs, CSMS, &format!(r#"[2,"{id}","{action}",{payload}]"#))
            .record(secs, CS, &format!(r#"[3,"{id}",{result}]"#))
    }

    fn boot(self, secs: u32, status: &str, interval: u32) -> Self {
        let result = format!(
            r#"{{"status":"{status}","currentTime":"{}","interval":{interval}}}"#,
            time(secs)
        );
        let payload = if self.version == "1.6" {
            r#"{"chargePointVendor":"Volta","chargePointModel":"W1"}"#
        } else {
            r#"{"reason":"PowerUp","chargingStation":{"vendorName":"Volta","model":"W1"}}"#
        };
        self.station(
            secs,
            0,
            &format!("boot-{secs}"),
            "BootNotification",
            payload,
            &result,
        )
    }

    fn heartbeat(self, secs: u32) -> Self {
        let result = format!(r#"{{"currentTime":"{}"}}"#, time(secs));
        self.station(secs, 0, &format!("hb-{secs}"), "Heartbeat", "{}", &result)
    }

    fn start(self, secs: u32, connector: u32, transaction: u32, meter_start: u32) -> Self {
        let payload = format!(
            r#"{{"connectorId":{connector},"idTag":"TAG-1","meterStart":{meter_start},"timestamp":"{}"}}"#,
            time(secs)
        );
        let result =
            format!(r#"{{"transactionId":{transaction},"idTagInfo":{{"status":"Accepted"}}}}"#);
        self.station(
            secs,
            0,
            &format!("start-{secs}"),
            "StartTransaction",
            &payload,
            &result,
        )
    }

    fn stop(self, secs: u32, transaction: u32, meter_stop: u32) -> Self {
        let payload = format!(
            r#"{{"transactionId":{transaction},"meterStop":{meter_stop},"timestamp":"{}"}}"#,
            time(secs)
        );
        self.station(
            secs,
            0,
            &format!("stop-{secs}"),
            "StopTransaction",
            &payload,
            "{}",
        )
    }

    /// 1.6 MeterValues of transaction 1 with these sampled values.
    fn meter(self, secs: u32, samples: &str) -> Self {
        let payload = format!(
            r#"{{"connectorId":1,"transactionId":1,"meterValue":[{{"timestamp":"{}","sampledValue":[{samples}]}}]}}"#,
            time(secs)
        );
        self.station(
            secs,
            0,
            &format!("mv-{secs}"),
            "MeterValues",
            &payload,
            "{}",
        )
    }

    fn status(self, secs: u32, connector: u32, status: &str) -> Self {
        let payload = if self.version == "1.6" {
            format!(r#"{{"connectorId":{connector},"errorCode":"NoError","status":"{status}"}}"#)
        } else {
            format!(
                r#"{{"timestamp":"{}","connectorStatus":"{status}","evseId":1,"connectorId":{connector}}}"#,
                time(secs)
            )
        };
        self.station(
            secs,
            0,
            &format!("st-{secs}"),
            "StatusNotification",
            &payload,
            "{}",
        )
    }

    /// A 2.0.1 TransactionEvent on EVSE `evse`.
    fn event(
        self,
        secs: u32,
        kind: &str,
        transaction: &str,
        evse: u32,
        meter: Option<u32>,
    ) -> Self {
        let meter = meter
            .map(|wh| {
                format!(
                    r#","meterValue":[{{"timestamp":"{}","sampledValue":[{{"value":{wh},"measurand":"Energy.Active.Import.Register","unitOfMeasure":{{"unit":"Wh"}}}}]}}]"#,
                    time(secs)
                )
            })
            .unwrap_or_default();
        let payload = format!(
            r#"{{"eventType":"{kind}","timestamp":"{}","triggerReason":"Authorized","seqNo":0,"transactionInfo":{{"transactionId":"{transaction}"}},"evse":{{"id":{evse},"connectorId":1}}{meter}}}"#,
            time(secs)
        );
        self.station(
            secs,
            0,
            &format!("te-{secs}"),
            "TransactionEvent",
            &payload,
            "{}",
        )
    }

    fn text(&self) -> String {
        self.lines.join("\n") + "\n"
    }
}

fn time(secs: u32) -> String {
    format!(
        "2024-05-01T{:02}:{:02}:{:02}Z",
        8 + secs / 3600,
        secs / 60 % 60,
        secs % 60
    )
}

fn findings_with(trace: &Trace, semantic: Option<Config>) -> Vec<Finding> {
    let options = CheckOptions::default()
        .with_version(None)
        .with_max_line(1 << 20)
        .with_semantic(semantic);
    let mut findings = Vec::new();
    check_reader(Cursor::new(trace.text()), options, &mut |f| {
        findings.push(f)
    })
    .expect("in-memory input");
    findings
}

fn findings(trace: &Trace) -> Vec<Finding> {
    findings_with(trace, Some(Config::default()))
}

/// One rule: a trace that fires it and one that is quiet.
struct Pair {
    rule: &'static str,
    bad: Trace,
    good: Trace,
}

fn sample(value: &str, measurand: &str, unit: &str) -> String {
    format!(r#"{{"value":"{value}","measurand":"{measurand}","unit":"{unit}"}}"#)
}

/// A 2.0.1 SetVariables payload setting the heartbeat interval to 60 s.
const HEARTBEAT_60: &str = r#"{"setVariableData":[{"attributeValue":"60","component":{"name":"OCPPCommCtrlr"},"variable":{"name":"HeartbeatInterval"}}]}"#;

fn pairs() -> Vec<Pair> {
    let v16 = Trace::v16;
    let v201 = Trace::v201;
    vec![
        Pair {
            rule: "semantic-start-twice",
            bad: v16().start(0, 1, 1, 0).start(10, 1, 2, 0).stop(20, 1, 10).stop(30, 2, 10),
            good: v16().start(0, 1, 1, 0).stop(20, 1, 10).start(30, 1, 2, 10).stop(40, 2, 20),
        },
        Pair {
            rule: "semantic-start-twice",
            bad: v201()
                .event(0, "Started", "A", 1, None)
                .event(5, "Started", "B", 1, None)
                .event(9, "Ended", "A", 1, None)
                .event(9, "Ended", "B", 1, None),
            good: v201()
                .event(0, "Started", "A", 1, None)
                .event(5, "Started", "B", 2, None)
                .event(9, "Ended", "A", 1, None)
                .event(9, "Ended", "B", 2, None),
        },
        Pair {
            rule: "semantic-stop-without-start",
            bad: v16().stop(20, 9, 10),
            good: v16().start(0, 1, 9, 0).stop(20, 9, 10),
        },
        Pair {
            rule: "semantic-stop-without-start",
            bad: v201().event(9, "Ended", "A", 1, None),
            good: v201().event(0, "Started", "A", 1, None).event(9, "Ended", "A", 1, None),
        },
        Pair {
            rule: "semantic-transaction-unknown",
            bad: v16().meter(5, &sample("10", "Energy.Active.Import.Register", "Wh")).stop(9, 1, 10),
            good: v16()
                .start(0, 1, 1, 0)
                .meter(5, &sample("10", "Energy.Active.Import.Register", "Wh"))
                .stop(9, 1, 10),
        },
        Pair {
            rule: "semantic-transaction-unknown",
            bad: v201().event(5, "Updated", "A", 1, None).event(9, "Ended", "A", 1, None),
            good: v201()
                .event(0, "Started", "A", 1, None)
                .event(5, "Updated", "A", 1, None)
                .event(9, "Ended", "A", 1, None),
        },
        Pair {
            rule: "semantic-meter-stop-below-start",
            bad: v16().start(0, 1, 1, 1000).stop(9, 1, 900),
            good: v16().start(0, 1, 1, 1000).stop(9, 1, 1000),
        },
        Pair {
            rule: "semantic-transaction-never-stopped",
            bad: v16().start(0, 1, 1, 0),
            good: v16().start(0, 1, 1, 0).stop(9, 1, 0),
        },
        Pair {
            rule: "semantic-transaction-never-stopped",
            bad: v201().event(0, "Started", "A", 1, None),
            good: v201().event(0, "Started", "A", 1, None).event(9, "Ended", "A", 1, None),
        },
        Pair {
            rule: "semantic-meter-decreasing",
            bad: v16()
                .start(0, 1, 1, 0)
                .meter(5, &sample("1500", "Energy.Active.Import.Register", "Wh"))
                .meter(6, &sample("1.4", "Energy.Active.Import.Register", "kWh"))
                .stop(9, 1, 1600),
            good: v16()
                .start(0, 1, 1, 0)
                .meter(5, &sample("1500", "Energy.Active.Import.Register", "Wh"))
                .meter(6, &sample("1.6", "Energy.Active.Import.Register", "kWh"))
                .stop(9, 1, 1600),
        },
        Pair {
            rule: "semantic-meter-decreasing",
            bad: v201()
                .event(0, "Started", "A", 1, Some(1500))
                .event(5, "Updated", "A", 1, Some(1400))
                .event(9, "Ended", "A", 1, Some(1600)),
            good: v201()
                .event(0, "Started", "A", 1, Some(1500))
                .event(5, "Updated", "A", 1, Some(1500))
                .event(9, "Ended", "A", 1, Some(1600)),
        },
        Pair {
            rule: "semantic-unit-mismatch",
            bad: v16()
                .start(0, 1, 1, 0)
                .meter(5, &sample("230.1", "Voltage", "A"))
                .stop(9, 1, 0),
            good: v16()
                .start(0, 1, 1, 0)
                .meter(5, &[sample("230.1", "Voltage", "V"), sample("16", "Current.Import", "A"), sample("7.2", "Power.Active.Import", "kW")].join(","))
                .stop(9, 1, 0),
        },
        Pair {
            rule: "semantic-status-transition",
            bad: v16().status(0, 1, "Available").status(5, 1, "Finishing"),
            good: v16()
                .status(0, 1, "Available")
                .status(1, 1, "Preparing")
                .status(2, 1, "Charging")
                .status(3, 1, "Finishing")
                .status(4, 1, "Available"),
        },
        Pair {
            rule: "semantic-status-transition",
            bad: v201().status(0, 1, "Occupied").status(5, 1, "Reserved"),
            good: v201()
                .status(0, 1, "Available")
                .status(1, 1, "Reserved")
                .status(2, 1, "Occupied")
                .status(3, 1, "Available"),
        },
        Pair {
            rule: "semantic-status-connector-zero",
            bad: v16().status(0, 0, "Charging"),
            good: v16().status(0, 0, "Unavailable"),
        },
        Pair {
            rule: "semantic-not-booted",
            bad: v16().boot(0, "Pending", 30).start(5, 1, 1, 0).stop(9, 1, 0),
            good: v16().boot(0, "Accepted", 300).start(5, 1, 1, 0).stop(9, 1, 0),
        },
        Pair {
            rule: "semantic-not-booted",
            bad: v201()
                .record(0, CS, r#"[2,"b","BootNotification",{"reason":"PowerUp","chargingStation":{"vendorName":"Volta","model":"W1"}}]"#)
                .event(5, "Started", "A", 1, None)
                .event(9, "Ended", "A", 1, None),
            good: v201()
                .boot(0, "Accepted", 300)
                .event(5, "Started", "A", 1, None)
                .event(9, "Ended", "A", 1, None),
        },
        Pair {
            rule: "semantic-heartbeat-cadence",
            bad: v16().boot(0, "Accepted", 60).heartbeat(60).heartbeat(300),
            good: v16().boot(0, "Accepted", 60).heartbeat(60).heartbeat(120).heartbeat(181),
        },
        Pair {
            rule: "semantic-heartbeat-cadence",
            bad: v201().boot(0, "Accepted", 60).heartbeat(60).heartbeat(70),
            good: v201().boot(0, "Accepted", 60).heartbeat(60).heartbeat(120),
        },
        // An accepted ChangeConfiguration sets the interval (300 s becomes 60 s).
        Pair {
            rule: "semantic-heartbeat-cadence",
            bad: v16()
                .boot(0, "Accepted", 300)
                .csms(10, "c", "ChangeConfiguration", r#"{"key":"HeartbeatInterval","value":"60"}"#, r#"{"status":"Accepted"}"#)
                .heartbeat(70)
                .heartbeat(300),
            good: v16()
                .boot(0, "Accepted", 300)
                .csms(10, "c", "ChangeConfiguration", r#"{"key":"HeartbeatInterval","value":"60"}"#, r#"{"status":"Accepted"}"#)
                .heartbeat(70)
                .heartbeat(130),
        },
        // So does an accepted SetVariables of OCPPCommCtrlr.HeartbeatInterval.
        Pair {
            rule: "semantic-heartbeat-cadence",
            bad: v201()
                .boot(0, "Accepted", 300)
                .csms(10, "v", "SetVariables", HEARTBEAT_60, r#"{"setVariableResult":[{"attributeStatus":"Accepted","component":{"name":"OCPPCommCtrlr"},"variable":{"name":"HeartbeatInterval"}}]}"#)
                .heartbeat(70)
                .heartbeat(300),
            good: v201()
                .boot(0, "Accepted", 300)
                .csms(10, "v", "SetVariables", HEARTBEAT_60, r#"{"setVariableResult":[{"attributeStatus":"Rejected","component":{"name":"OCPPCommCtrlr"},"variable":{"name":"HeartbeatInterval"}}]}"#)
                .heartbeat(70)
                .heartbeat(300),
        },
        // An answer the station sends stands in for a heartbeat.
        Pair {
            rule: "semantic-heartbeat-cadence",
            bad: v16().boot(0, "Accepted", 60).heartbeat(60).heartbeat(250),
            good: v16()
                .boot(0, "Accepted", 60)
                .heartbeat(60)
                .csms(150, "u", "UnlockConnector", r#"{"connectorId":1}"#, r#"{"status":"Unlocked"}"#)
                .heartbeat(250),
        },
        Pair {
            rule: "semantic-response-latency",
            bad: v16().station(0, 11, "a1", "Authorize", r#"{"idTag":"TAG-1"}"#, r#"{"idTagInfo":{"status":"Accepted"}}"#),
            good: v16().station(0, 10, "a1", "Authorize", r#"{"idTag":"TAG-1"}"#, r#"{"idTagInfo":{"status":"Accepted"}}"#),
        },
        Pair {
            rule: "semantic-duplicate-message-id",
            bad: v16()
                .record(0, CS, r#"[2,"7","Heartbeat",{}]"#)
                .record(1, CS, r#"[2,"7","Heartbeat",{}]"#)
                .record(2, CSMS, r#"[3,"7",{"currentTime":"2024-05-01T08:00:02Z"}]"#)
                .record(3, CSMS, r#"[3,"7",{"currentTime":"2024-05-01T08:00:03Z"}]"#),
            good: v16()
                .record(0, CS, r#"[2,"7","Heartbeat",{}]"#)
                .record(2, CSMS, r#"[3,"7",{"currentTime":"2024-05-01T08:00:02Z"}]"#)
                .record(3, CS, r#"[2,"7","Heartbeat",{}]"#)
                .record(4, CSMS, r#"[3,"7",{"currentTime":"2024-05-01T08:00:04Z"}]"#),
        },
    ]
}

#[test]
fn each_rule_fires_on_its_bad_trace_and_is_quiet_on_its_good_one() {
    let mut failures = Vec::new();
    for pair in pairs() {
        let bad = findings(&pair.bad);
        if !bad.iter().any(|f| f.rule == pair.rule) {
            failures.push(format!("{}: not reported: {bad:#?}", pair.rule));
        }
        if let Some(f) = bad.iter().find(|f| f.rule == pair.rule) {
            assert_eq!(f.category, Category::Semantic, "{f:?}");
        }
        let good = findings(&pair.good);
        if !good.is_empty() {
            failures.push(format!("{}: counterpart not quiet: {good:#?}", pair.rule));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn every_semantic_rule_has_a_pair() {
    let paired: Vec<&str> = pairs().iter().map(|p| p.rule).collect();
    let missing: Vec<&str> = RULES
        .iter()
        .map(|r| r.id)
        .filter(|id| !paired.contains(id))
        .collect();
    assert!(missing.is_empty(), "rules without a pair: {missing:?}");
}

#[test]
fn findings_point_at_the_offending_value() {
    let bad = Trace::v16()
        .start(0, 1, 1, 0)
        .meter(
            5,
            &[
                sample("230", "Voltage", "V"),
                sample("230", "Voltage", "kW"),
            ]
            .join(","),
        )
        .meter(6, r#"{"value":"230","measurand":"Voltage"}"#)
        .stop(9, 1, 0);
    let found = findings(&bad);
    let found: Vec<(usize, &str, Severity, &str)> = found
        .iter()
        .map(|f| (f.at.record, f.rule, f.severity, f.pointer.as_str()))
        .collect();
    assert_eq!(
        found,
        [
            (
                2,
                "semantic-unit-mismatch",
                Severity::Error,
                "/meterValue/0/sampledValue/1/unit"
            ),
            // Without a unit a sample is in Wh: a warning, at the sample.
            (
                4,
                "semantic-unit-mismatch",
                Severity::Warning,
                "/meterValue/0/sampledValue/0"
            ),
        ]
    );
}

#[test]
fn the_latency_threshold_is_configurable_and_rules_can_be_turned_off() {
    let slow = Trace::v16().station(
        0,
        15,
        "a1",
        "Authorize",
        r#"{"idTag":"TAG-1"}"#,
        r#"{"idTagInfo":{"status":"Accepted"}}"#,
    );
    assert_eq!(findings(&slow).len(), 1);
    let relaxed = Config::default().with_latency_threshold(Duration::from_secs(20));
    assert!(findings_with(&slow, Some(relaxed)).is_empty());
    let everything_wrong = Trace::v16()
        .start(0, 1, 1, 0)
        .start(1, 1, 2, 0)
        .stop(2, 9, 0);
    assert!(!findings(&everything_wrong).is_empty());
    assert!(findings_with(&everything_wrong, None).is_empty());
}

#[test]
fn timing_rules_stay_silent_without_timestamps() {
    // Raw frames carry no capture time: the heartbeat cadence cannot be judged.
    let raw = "[2,\"b\",\"BootNotification\",{\"chargePointVendor\":\"V\",\"chargePointModel\":\"M\"}]\n\
               [3,\"b\",{\"status\":\"Accepted\",\"currentTime\":\"2024-05-01T08:00:00Z\",\"interval\":60}]\n\
               [2,\"h1\",\"Heartbeat\",{}]\n[3,\"h1\",{\"currentTime\":\"2024-05-01T08:00:00Z\"}]\n\
               [2,\"h2\",\"Heartbeat\",{}]\n[3,\"h2\",{\"currentTime\":\"2024-05-01T08:00:00Z\"}]\n";
    let options = CheckOptions::default()
        .with_version(None)
        .with_max_line(1 << 20)
        .with_semantic(Some(Config::default()));
    let mut found = Vec::new();
    check_reader(Cursor::new(raw), options, &mut |f| found.push(f)).expect("in memory");
    assert!(found.is_empty(), "{found:?}");
}

/// A reason outside the enumeration is a schema finding (`schema-enum`), not a semantic one:
/// the schemas already list the reasons.
#[test]
fn a_reason_outside_the_enum_is_reported_by_the_schema() {
    let payload = r#"{"transactionId":1,"meterStop":10,"timestamp":"2024-05-01T08:00:09Z","reason":"Unplugged"}"#;
    let trace = Trace::v16()
        .start(0, 1, 1, 0)
        .station(9, 0, "p", "StopTransaction", payload, "{}");
    let found = findings(&trace);
    assert_eq!(found.len(), 1, "{found:?}");
    assert_eq!(
        (found[0].rule, found[0].pointer.as_str()),
        ("schema-enum", "/reason")
    );
}

/// Extreme numbers in the fields the rules compute with are read without overflowing.
#[test]
fn extreme_values_do_not_overflow() {
    let huge = "79228162514264337593543950335";
    let trace = Trace::v16()
        .boot(0, "Accepted", 60)
        .record(
            1,
            CS,
            r#"[2,"b2","BootNotification",{"chargePointVendor":"V","chargePointModel":"M"}]"#,
        )
        .record(
            1,
            CSMS,
            r#"[3,"b2",{"status":"Accepted","currentTime":"2024-05-01T08:00:01Z","interval":9223372036854775807}]"#,
        )
        .heartbeat(5)
        .heartbeat(6)
        .start(10, 1, 1, 0)
        .meter(11, &sample(huge, "Energy.Active.Import.Register", "kWh"))
        .meter(12, &sample(&format!("-{huge}"), "Energy.Active.Import.Register", "Wh"))
        .meter(13, &sample(huge, "Energy.Active.Import.Register", "Wh"))
        .stop(14, 1, 0);
    let found = findings(&trace);
    let rules: Vec<&str> = found.iter().map(|f| f.rule).collect();
    assert_eq!(rules, ["semantic-heartbeat-cadence"], "{found:#?}");
}

/// Open state is bounded: past 4,096 open transactions per station new ones are reported but
/// no longer followed, so the end of the trace reports only those followed.
#[test]
fn open_transactions_are_bounded() {
    let mut lines = String::new();
    for id in 0..5000 {
        lines.push_str(&format!(
            "[2,\"m{id}\",\"MeterValues\",{{\"connectorId\":1,\"transactionId\":{id},\"meterValue\":[{{\"timestamp\":\"2024-05-01T08:00:00Z\",\"sampledValue\":[{{\"value\":\"1\"}}]}}]}}]\n[3,\"m{id}\",{{}}]\n"
        ));
    }
    let options = CheckOptions::default()
        .with_version(None)
        .with_max_line(1 << 20)
        .with_semantic(Some(Config::default()));
    let mut unknown = 0;
    let mut never_stopped = 0;
    check_reader(Cursor::new(lines), options, &mut |f| match f.rule {
        "semantic-transaction-unknown" => unknown += 1,
        "semantic-transaction-never-stopped" => never_stopped += 1,
        other => panic!("unexpected {other}"),
    })
    .expect("in memory");
    assert_eq!((unknown, never_stopped), (5000, 4096));
}

/// A StartTransaction of `payload`, answered with transaction 1, then a StopTransaction of
/// transaction 1 with `meterStop` 900.
fn start_then_stop_below(payload: &str) -> Trace {
    Trace::v16()
        .station(
            0,
            0,
            "start-0",
            "StartTransaction",
            payload,
            r#"{"transactionId":1,"idTagInfo":{"status":"Accepted"}}"#,
        )
        .stop(9, 1, 900)
}

/// The rules read what they can from a payload that fails its schema: the members that are
/// valid still count, and a finding drawn from such a payload says so.
#[test]
fn rules_read_the_valid_members_of_an_invalid_payload() {
    let t = time(0);
    let invalid = [
        // idTag too long (20 characters at most).
        format!(
            r#"{{"connectorId":1,"idTag":"TAG-{}","meterStart":1000,"timestamp":"{t}"}}"#,
            "X".repeat(30)
        ),
        // A member the schema does not define.
        format!(r#"{{"connectorId":1,"idTag":"TAG-1","meterStart":1000,"timestamp":"{t}","x":1}}"#),
        // idTag of the wrong type, timestamp missing.
        r#"{"connectorId":1,"idTag":7,"meterStart":1000}"#.to_owned(),
    ];
    for payload in &invalid {
        let found = findings(&start_then_stop_below(payload));
        let semantic: Vec<&Finding> = found
            .iter()
            .filter(|f| f.category == Category::Semantic)
            .collect();
        assert_eq!(semantic.len(), 1, "{payload}: {found:#?}");
        assert_eq!(semantic[0].rule, "semantic-meter-stop-below-start");
        assert!(
            semantic[0]
                .message
                .ends_with("(meterStart read from a payload that fails its schema)"),
            "{}",
            semantic[0].message
        );
        assert!(
            found.iter().any(|f| f.category == Category::Schema),
            "{payload}: {found:#?}"
        );
    }
    // A finding at the invalid record itself says so too.
    let never_stopped = Trace::v16().station(
        0,
        0,
        "start-0",
        "StartTransaction",
        &invalid[2],
        r#"{"transactionId":1,"idTagInfo":{"status":"Accepted"}}"#,
    );
    let found = findings(&never_stopped);
    let semantic: Vec<&Finding> = found
        .iter()
        .filter(|f| f.category == Category::Semantic)
        .collect();
    assert_eq!(semantic.len(), 1, "{found:#?}");
    assert_eq!(
        semantic[0].message,
        "transaction 1 on connector 1 was never stopped in this trace (read from a payload that fails its schema)"
    );
    // The valid pair stays quiet.
    let valid =
        format!(r#"{{"connectorId":1,"idTag":"TAG-1","meterStart":900,"timestamp":"{t}"}}"#);
    assert_eq!(findings(&start_then_stop_below(&valid)), []);
}

/// A member of the wrong type is unknown to the rules, not read as something else: a
/// meterStart sent as text is no meterStart, so no meter finding is drawn from it.
#[test]
fn a_member_of_the_wrong_type_is_unknown() {
    let t = time(0);
    let payload =
        format!(r#"{{"connectorId":1,"idTag":"TAG-1","meterStart":"1000","timestamp":"{t}"}}"#);
    let found = findings(&start_then_stop_below(&payload));
    let rules: Vec<&str> = found.iter().map(|f| f.rule).collect();
    assert!(
        !rules.contains(&"semantic-meter-stop-below-start"),
        "{found:#?}"
    );
    assert!(
        !rules.contains(&"semantic-transaction-unknown"),
        "{found:#?}"
    );
    assert!(
        !rules.contains(&"semantic-stop-without-start"),
        "{found:#?}"
    );
    assert!(
        found.iter().any(|f| f.category == Category::Schema),
        "{found:#?}"
    );
}

/// 2.0.1 sample values are JSON numbers: those with a fraction or an exponent are read as
/// exactly as whole ones, from a valid payload and from one that fails its schema.
#[test]
fn sample_values_with_a_fraction_or_an_exponent_are_read() {
    let event = |secs: u32, kind: &str, wh: &str, extra: &str| {
        format!(
            r#"{{"eventType":"{kind}","timestamp":"{t}","triggerReason":"Authorized","seqNo":0,"transactionInfo":{{"transactionId":"A"}},"evse":{{"id":1,"connectorId":1}},"meterValue":[{{"timestamp":"{t}","sampledValue":[{{"value":{wh},"measurand":"Energy.Active.Import.Register","unitOfMeasure":{{"unit":"Wh"}}}}]}}]{extra}}}"#,
            t = time(secs)
        )
    };
    let trace = |second: &str, extra: &str| {
        Trace::v201()
            .station(
                0,
                0,
                "te-0",
                "TransactionEvent",
                &event(0, "Started", "1.5005E+3", ""),
                "{}",
            )
            .station(
                5,
                0,
                "te-5",
                "TransactionEvent",
                &event(5, "Updated", second, extra),
                "{}",
            )
            .station(
                9,
                0,
                "te-9",
                "TransactionEvent",
                &event(9, "Ended", "1600", ""),
                "{}",
            )
    };
    for extra in ["", r#","x":1"#] {
        let found = findings(&trace("1400.25", extra));
        let decreasing: Vec<&Finding> = found
            .iter()
            .filter(|f| f.rule == "semantic-meter-decreasing")
            .collect();
        assert_eq!(decreasing.len(), 1, "{extra}: {found:#?}");
        assert_eq!(
            decreasing[0].message.ends_with("fails its schema)"),
            !extra.is_empty(),
            "{}",
            decreasing[0].message
        );
        let quiet = findings(&trace("1500.6", extra));
        assert!(
            quiet.iter().all(|f| f.category != Category::Semantic),
            "{extra}: {quiet:#?}"
        );
    }
}
