//! Every action and direction in the official schema folders has a type, and every type has
//! a schema.

use std::collections::BTreeSet;

use crate::common::version_dir;
use ocpp_model::{v16, v201, DecodeError};
use serde_json::json;

/// Action names found in a schema folder, with the file-name suffix of requests.
fn schema_actions(
    version: &str,
    request_suffix: &str,
) -> Option<(BTreeSet<String>, BTreeSet<String>)> {
    let dir = version_dir(version)?;
    let mut requests = BTreeSet::new();
    let mut responses = BTreeSet::new();
    for entry in std::fs::read_dir(dir).expect("schema folder readable") {
        let name = entry
            .expect("entry")
            .file_name()
            .into_string()
            .expect("UTF-8 name");
        let stem = name.strip_suffix(".json").expect("only JSON files");
        if let Some(action) = stem.strip_suffix("Response") {
            responses.insert(action.to_owned());
        } else {
            let action = stem.strip_suffix(request_suffix).expect("request suffix");
            requests.insert(action.to_owned());
        }
    }
    Some((requests, responses))
}

/// An unknown action fails with `UnknownAction`; anything else means the action has a type.
fn has_type(result: Result<(), DecodeError>) -> bool {
    !matches!(result, Err(DecodeError::UnknownAction { .. }))
}

#[test]
fn every_v16_schema_has_a_type_and_back() {
    let Some((requests, responses)) = schema_actions("v16", "") else {
        return;
    };
    assert_eq!(requests.len(), 39, "28 core + 11 security actions");
    assert_eq!(requests, responses);
    for action in &requests {
        assert!(
            has_type(
                action
                    .parse()
                    .and_then(|action| v16::Request::from_value(action, &json!({})))
                    .map(drop)
            ),
            "{action} request"
        );
        assert!(
            has_type(
                action
                    .parse()
                    .and_then(|action| v16::Response::from_value(action, &json!({})))
                    .map(drop)
            ),
            "{action} response"
        );
    }
    let typed: BTreeSet<String> = v16::ActionName::ALL
        .iter()
        .map(|a| a.as_str().to_owned())
        .collect();
    assert_eq!(typed, requests, "every typed action has schemas");
}

#[test]
fn every_v201_schema_has_a_type_and_back() {
    let Some((requests, responses)) = schema_actions("v201", "Request") else {
        return;
    };
    assert_eq!(requests.len(), 64);
    assert_eq!(requests, responses);
    for action in &requests {
        assert!(
            has_type(
                action
                    .parse()
                    .and_then(|action| v201::Request::from_value(action, &json!({})))
                    .map(drop)
            ),
            "{action} request"
        );
        assert!(
            has_type(
                action
                    .parse()
                    .and_then(|action| v201::Response::from_value(action, &json!({})))
                    .map(drop)
            ),
            "{action} response"
        );
    }
    let typed: BTreeSet<String> = v201::ActionName::ALL
        .iter()
        .map(|a| a.as_str().to_owned())
        .collect();
    assert_eq!(typed, requests, "every typed action has schemas");
}

#[test]
fn action_names_are_case_sensitive_and_version_specific() {
    assert!(matches!(
        "authorize"
            .parse()
            .and_then(|action| v16::Request::from_value(action, &json!({"idTag": "A"}))),
        Err(DecodeError::UnknownAction { .. })
    ));
    assert!(matches!(
        "TransactionEvent"
            .parse()
            .and_then(|action| v16::Request::from_value(action, &json!({}))),
        Err(DecodeError::UnknownAction { .. })
    ));
    assert!(matches!(
        "StartTransaction"
            .parse()
            .and_then(|action| v201::Request::from_value(action, &json!({}))),
        Err(DecodeError::UnknownAction { .. })
    ));
}

/// Generic code over the `Action` traits: the global one, and each version's own.
#[test]
fn action_markers_carry_name_version_and_initiator() {
    use ocpp_model::{Action, Initiator, OcppVersion};

    fn describe<A: Action>() -> (&'static str, OcppVersion, Initiator) {
        (A::NAME, A::VERSION, A::INITIATOR)
    }
    fn only_v16<A: v16::Action>() -> &'static str {
        A::NAME
    }
    assert_eq!(
        describe::<v16::actions::StartTransaction>(),
        (
            "StartTransaction",
            OcppVersion::V16,
            Initiator::ChargingStation
        )
    );
    assert_eq!(
        describe::<v201::actions::RequestStartTransaction>(),
        (
            "RequestStartTransaction",
            OcppVersion::V201,
            Initiator::Csms
        )
    );
    assert_eq!(
        describe::<v201::actions::DataTransfer>().2,
        Initiator::Either
    );
    assert_eq!(
        only_v16::<v16::actions::RemoteStartTransaction>(),
        "RemoteStartTransaction"
    );
    for action in v16::ActionName::ALL {
        assert_eq!(v16::ActionName::from_name(action.as_str()), Some(*action));
    }
}
