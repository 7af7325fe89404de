//! Property tests against the official schemas: for every action and direction, random typed
//! values serialize to JSON that the official schema accepts (formats checked), and that JSON
//! decodes back to an equal value, from a `Value` and from text.

use crate::common::{official_errors, official_schemas, Direction};
use arbitrary::Unstructured;
use ocpp_model::{v16, v201, OcppVersion};
use proptest::prelude::*;
use serde_json::Value;

/// Where the official 1.6 files disagree with each other and the errata decide (see
/// `ERRATA_UNIONS` in the generator): StopTransaction.json omits the unit `Hertz` that
/// MeterValues.json lists, and the 1.6 errata sheet (§3.84) makes Hertz the unit of Frequency
/// readings in every message. Our `UnitOfMeasure` accepts it everywhere.
fn errata_allow(version: OcppVersion, action: &str, json: &Value, errors: &[String]) -> bool {
    version == OcppVersion::V16
        && action == "StopTransaction"
        && errors.iter().all(|error| {
            let pointer = error.split(':').next().unwrap_or_default();
            pointer.ends_with("/unit") && json.pointer(pointer) == Some(&Value::from("Hertz"))
        })
}

macro_rules! check_all_actions {
    ($fn_name:ident, $module:ident, $version:expr, $sum:ident, $direction:expr) => {
        fn $fn_name(bytes: &[u8]) -> Result<(), TestCaseError> {
            for &action in $module::ActionName::ALL {
                let mut u = Unstructured::new(bytes);
                let Ok(typed) = $module::$sum::arbitrary_of(action, &mut u) else {
                    continue;
                };
                let json = serde_json::to_value(&typed).expect("typed values serialize");
                let errors = official_errors($version, action.as_str(), $direction, &json);
                prop_assert!(
                    errors.is_empty() || errata_allow($version, action.as_str(), &json, &errors),
                    "{action} {:?}: official schema rejects {json}: {errors:?}",
                    $direction
                );
                let decoded = $module::$sum::from_value(action, &json);
                prop_assert_eq!(
                    decoded.as_ref(),
                    Ok(&typed),
                    "{} from value {}",
                    action,
                    json
                );
                let text = json.to_string();
                let reparsed: Value = serde_json::from_str(&text).expect("own output parses");
                let decoded = $module::$sum::from_value(action, &reparsed);
                prop_assert_eq!(
                    decoded.as_ref(),
                    Ok(&typed),
                    "{} from text {}",
                    action,
                    text
                );
            }
            Ok(())
        }
    };
}

check_all_actions!(
    v16_requests,
    v16,
    OcppVersion::V16,
    Request,
    Direction::Request
);
check_all_actions!(
    v16_responses,
    v16,
    OcppVersion::V16,
    Response,
    Direction::Response
);
check_all_actions!(
    v201_requests,
    v201,
    OcppVersion::V201,
    Request,
    Direction::Request
);
check_all_actions!(
    v201_responses,
    v201,
    OcppVersion::V201,
    Response,
    Direction::Response
);

fn bytes() -> impl Strategy<Value = Vec<u8>> {
    prop::collection::vec(any::<u8>(), 0..8192)
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(96))]

    #[test]
    fn v16_requests_are_accepted_by_the_official_schemas(bytes in bytes()) {
        if official_schemas().is_some() {
            v16_requests(&bytes)?;
        }
    }

    #[test]
    fn v16_responses_are_accepted_by_the_official_schemas(bytes in bytes()) {
        if official_schemas().is_some() {
            v16_responses(&bytes)?;
        }
    }

    #[test]
    fn v201_requests_are_accepted_by_the_official_schemas(bytes in bytes()) {
        if official_schemas().is_some() {
            v201_requests(&bytes)?;
        }
    }

    #[test]
    fn v201_responses_are_accepted_by_the_official_schemas(bytes in bytes()) {
        if official_schemas().is_some() {
            v201_responses(&bytes)?;
        }
    }
}

/// The errata exception above is real: the official StopTransaction schema rejects `Hertz`,
/// MeterValues accepts it, and our types accept it in both.
#[test]
fn errata_decide_hertz_is_a_unit_in_both_messages() {
    if official_schemas().is_none() {
        return;
    }
    let sample = serde_json::json!([{"timestamp": "2024-05-01T10:00:00Z",
        "sampledValue": [{"value": "50.0", "measurand": "Frequency", "unit": "Hertz"}]}]);
    let meter_values = serde_json::json!({"connectorId": 1, "meterValue": sample});
    let stop = serde_json::json!({"meterStop": 10, "timestamp": "2024-05-01T10:00:00Z",
        "transactionId": 7, "transactionData": sample});
    assert!(official_errors(
        OcppVersion::V16,
        "MeterValues",
        Direction::Request,
        &meter_values
    )
    .is_empty());
    assert_eq!(
        official_errors(
            OcppVersion::V16,
            "StopTransaction",
            Direction::Request,
            &stop
        )
        .len(),
        1,
        "the official StopTransaction.json lacks Hertz"
    );
    assert!("MeterValues"
        .parse()
        .and_then(|action| v16::Request::from_value(action, &meter_values))
        .is_ok());
    assert!("StopTransaction"
        .parse()
        .and_then(|action| v16::Request::from_value(action, &stop))
        .is_ok());
}
