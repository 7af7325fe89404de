//! The committed `schemas/` files are what the types produce.

#[test]
fn committed_schemas_are_current() {
    let files = ocpp_schemas::generate();
    assert_eq!(
        files.len(),
        2 * (39 + 64 + 91) - 1,
        "one file per action and direction; 2.1's unconfirmed NotifyPeriodicEventStream has no response"
    );
    let stale = ocpp_schemas::differences(&ocpp_schemas::schemas_dir(), &files);
    assert!(
        stale.is_empty(),
        "stale schema files {stale:?}; run `cargo run -p ocpp-schemas`"
    );
}

#[test]
fn schemas_declare_the_draft_of_the_official_file() {
    let core = ocpp_schemas::schema(
        ocpp_model::OcppVersion::V16,
        "StartTransaction",
        ocpp_model::PayloadKind::Request,
    );
    let security = ocpp_schemas::schema(
        ocpp_model::OcppVersion::V16,
        "GetLog",
        ocpp_model::PayloadKind::Request,
    );
    let v201 = ocpp_schemas::schema(
        ocpp_model::OcppVersion::V201,
        "Heartbeat",
        ocpp_model::PayloadKind::Response,
    );
    assert_eq!(
        core.unwrap()["$schema"],
        "http://json-schema.org/draft-04/schema#"
    );
    assert_eq!(
        security.unwrap()["$schema"],
        "http://json-schema.org/draft-06/schema#"
    );
    assert_eq!(
        v201.unwrap()["$schema"],
        "http://json-schema.org/draft-06/schema#"
    );
}
