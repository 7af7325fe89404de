//! The guarantees of the value types, shown on concrete values.

use ocpp_model::primitives::{
    BoundedString, BoundedVec, ConstraintError, DateTime, Decimal, DecimalTenths, RangedInt, Uri,
};
use ocpp_model::{v16, v201};
use serde_json::{json, Value};

fn reencode(version: &str, action: &str, payload: &Value) -> Value {
    match version {
        "1.6" => action
            .parse()
            .and_then(|action| v16::Request::from_value(action, payload))
            .map(|r| r.to_value()),
        _ => action
            .parse()
            .and_then(|action| v201::Request::from_value(action, payload))
            .map(|r| r.to_value()),
    }
    .unwrap_or_else(|e| panic!("{action}: {e}"))
}

#[test]
fn date_times_keep_the_senders_offset_and_write_milliseconds() {
    let t = DateTime::parse("2024-05-01T10:00:00.123456789+05:30").unwrap();
    assert_eq!(t.offset().local_minus_utc(), 5 * 3600 + 30 * 60);
    assert_eq!(t.to_string(), "2024-05-01T10:00:00.123+05:30");
    assert_eq!(
        DateTime::parse("2024-05-01T10:00:00.5z")
            .unwrap()
            .to_string(),
        "2024-05-01T10:00:00.500Z"
    );
    assert_eq!(
        DateTime::parse("2024-05-01T10:00:00+00:00")
            .unwrap()
            .to_string(),
        "2024-05-01T10:00:00Z"
    );
    assert_eq!(
        DateTime::parse("2024-05-01T10:00:00.000-07:00")
            .unwrap()
            .to_string(),
        "2024-05-01T10:00:00-07:00"
    );
    assert_eq!(
        DateTime::parse("2016-12-31T23:59:60Z").unwrap().to_string(),
        "2016-12-31T23:59:60Z"
    );
}

#[test]
fn date_times_are_equal_only_with_the_same_offset() {
    let utc = DateTime::parse("2024-05-01T08:00:00Z").unwrap();
    let cest = DateTime::parse("2024-05-01T10:00:00+02:00").unwrap();
    assert_eq!(utc.as_chrono(), cest.as_chrono(), "the same instant");
    assert_ne!(utc, cest, "but not the same value");
}

#[test]
fn date_time_errors_say_what_is_wrong() {
    let error = DateTime::parse("2024-05-01T10:00:00").unwrap_err();
    assert_eq!(
        error.to_string(),
        "\"2024-05-01T10:00:00\" is not an RFC 3339 date-time (offset ('Z' or '±HH:MM') expected at the end)"
    );
    for bad in [
        "",
        "2024-05-01",
        "2024-5-01T10:00:00Z",
        "2024-05-01T10:00:00.Z",
        "2024-05-01T10:00:00+24:00",
        "２０２４-05-01T10:00:00Z",
    ] {
        assert!(DateTime::parse(bad).is_err(), "{bad:?}");
    }
}

#[test]
fn string_limits_count_characters_not_bytes() {
    assert!(
        BoundedString::<3>::new("€€€").is_ok(),
        "9 bytes, 3 characters"
    );
    assert_eq!(
        BoundedString::<3>::new("€€€€").unwrap_err(),
        ConstraintError::TooLong { max: 3, length: 4 }
    );
}

#[test]
fn lists_ranges_and_uris_hold_their_bounds() {
    assert!(BoundedVec::<u8, 1, 2>::new(vec![]).is_err());
    assert!(BoundedVec::<u8, 1, 2>::new(vec![1, 2, 3]).is_err());
    assert_eq!(BoundedVec::<u8, 1, 2>::one(7).as_slice(), &[7]);
    assert!(RangedInt::<0, 100>::new(100).is_ok());
    assert!(RangedInt::<0, 100>::new(101).is_err());
    assert!(Uri::new("ftp://host/path").is_ok());
    assert!(Uri::new("no scheme").is_err());
}

#[test]
fn decimals_are_exact_and_keep_their_scale() {
    let exact = "0.1000000000000000055511151231"; // 28 digits; f64 would read 0.1
    let payload = json!({"connectorId": 1, "meterValue": [{"timestamp": "2024-05-01T10:00:00Z", "sampledValue": [{"value": "1"}]}]});
    assert_eq!(reencode("1.6", "MeterValues", &payload), payload);

    let cost = |number: &str| -> Value {
        serde_json::from_str(&format!(
            r#"{{"totalCost": {number}, "transactionId": "T1"}}"#
        ))
        .unwrap()
    };
    for (written, expected) in [
        (exact, exact),
        ("12.50", "12.50"),
        ("-0", "0"),
        ("1.5e3", "1500.0"),
        ("25E-1", "2.5"),
    ] {
        let out = reencode("2.0.1", "CostUpdated", &cost(written));
        assert_eq!(out["totalCost"].to_string(), expected, "{written}");
    }
    for unrepresentable in [
        "1e400",
        "123456789012345678901234567890",
        "0.12345678901234567890123456789",
    ] {
        let error = "CostUpdated"
            .parse()
            .and_then(|action| v201::Request::from_value(action, &cost(unrepresentable)))
            .unwrap_err();
        assert_eq!(error.pointer(), Some("/totalCost"), "{unrepresentable}");
        assert!(
            error.to_string().contains("cannot be held exactly"),
            "{error}"
        );
    }
    assert!(DecimalTenths::new(Decimal::new(165, 1)).is_ok());
    assert!(
        DecimalTenths::new(Decimal::new(16500, 3)).is_ok(),
        "16.500 is a multiple of 0.1"
    );
    assert!(DecimalTenths::new(Decimal::new(1605, 2)).is_err());
}

#[test]
fn custom_data_keeps_every_extra_member_in_order() {
    let payload: Value = serde_json::from_str(
        r#"{"customData": {"vendorId": "com.example", "zeta": 1.10, "alpha": {"nested": [null, true]}, "beta": "x"}}"#,
    )
    .unwrap();
    let out = reencode("2.0.1", "Heartbeat", &payload);
    assert_eq!(
        out.to_string(),
        r#"{"customData":{"vendorId":"com.example","zeta":1.10,"alpha":{"nested":[null,true]},"beta":"x"}}"#
    );
    let v201::Request::Heartbeat(heartbeat) = "Heartbeat"
        .parse()
        .and_then(|action| v201::Request::from_value(action, &payload))
        .unwrap()
    else {
        panic!("wrong variant")
    };
    let custom = heartbeat.custom_data.unwrap();
    assert_eq!(custom.vendor_id, "com.example");
    assert_eq!(
        custom.extra.keys().collect::<Vec<_>>(),
        ["zeta", "alpha", "beta"]
    );
}

#[test]
fn a_decimal_decoded_from_a_value_keeps_the_digits_of_its_text() {
    // The f64 nearest to both -957014920816667.2 and -957014920816667.3 is exactly halfway
    // between them, and serde_json hands a `Value`'s number over as that f64 (found by the
    // `typed_roundtrip` fuzz target).
    for limit in [
        "-957014920816667.3",
        "-957014920816667.2",
        "0.1",
        "16.5",
        "1e3",
    ] {
        let text = format!(
            r#"{{"evseId":0,"timeBase":"2024-05-01T10:00:00Z","chargingSchedule":{{"id":1,"chargingRateUnit":"A","chargingSchedulePeriod":[{{"startPeriod":0,"limit":{limit}}}]}}}}"#
        );
        let action = v201::ActionName::NotifyEVChargingSchedule;
        let value: Value = serde_json::from_str(&text).expect("JSON");
        let from_value = v201::Request::from_value(action, &value).expect("valid");
        let from_text = v201::Request::from_json(action, &text).expect("valid");
        assert_eq!(from_value, from_text, "{limit}");
        let v201::Request::NotifyEVChargingSchedule(request) = from_value else {
            panic!("{limit}: another action");
        };
        let expected: Decimal = limit.parse().unwrap_or(Decimal::new(1000, 0));
        assert_eq!(
            request.charging_schedule.charging_schedule_period[0].limit, expected,
            "{limit}"
        );
        assert!(
            validates(&text, |d| v201::Request::validate(action, d)),
            "{limit}"
        );
    }
}

/// Whether `json` passes `validate`, the validate-only path, with nothing after the payload.
fn validates(
    json: &str,
    validate: impl FnOnce(
        &mut serde_json::Deserializer<serde_json::de::StrRead<'_>>,
    ) -> Result<(), serde_json::Error>,
) -> bool {
    let mut deserializer = serde_json::Deserializer::from_str(json);
    validate(&mut deserializer).is_ok() && deserializer.end().is_ok()
}
