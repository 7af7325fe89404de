//! `ocpp-validate check --tolerant` and `ocpp-validate rules`, snapshot-tested.

use assert_cmd::Command;

const TRACE: &str = "tests/fixtures/tolerant/session-1.6.log";

fn run(args: &[&str]) -> (String, i32) {
    let output = Command::cargo_bin("ocpp-validate")
        .expect("binary")
        .current_dir(concat!(env!("CARGO_MANIFEST_DIR"), "/.."))
        .args(args)
        .output()
        .expect("runs");
    let text =
        String::from_utf8(output.stdout).expect("UTF-8") + &String::from_utf8_lossy(&output.stderr);
    (text, output.status.code().unwrap_or(-1))
}

#[test]
fn tolerant_check_warns_for_what_it_forgave() {
    let (text, status) = run(&["check", "--ocpp", "1.6", "--tolerant", TRACE]);
    assert_eq!(status, 1, "the Authorize with an object idTag still fails");
    insta::assert_snapshot!("tolerant_human", text);
}

#[test]
fn tolerant_check_as_json() {
    let (text, _) = run(&[
        "check",
        "--ocpp",
        "1.6",
        "--tolerant",
        "--format",
        "json",
        TRACE,
    ]);
    insta::assert_snapshot!("tolerant_json", text);
}

#[test]
fn a_profile_can_deny_a_rule() {
    let dir = std::env::temp_dir().join(format!("tolerant-cli-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("temp dir");
    let profile = dir.join("strict-dates.toml");
    std::fs::write(
        &profile,
        "extends = \"python-export\"\n[rules]\n\"any.date-time-space\" = \"deny\"\n",
    )
    .expect("write profile");
    let (text, status) = run(&[
        "check",
        "--ocpp",
        "1.6",
        "--tolerant",
        "--profile",
        profile.to_str().expect("UTF-8 path"),
        TRACE,
    ]);
    assert_eq!(status, 1);
    assert!(text.contains("error[any.date-time-space]"), "{text}");
    assert!(
        !text.contains("any.snake-case-keys"),
        "python-export allows snake_case: {text}"
    );
    std::fs::remove_dir_all(&dir).expect("clean up");
}

#[test]
fn an_unknown_profile_is_a_usage_error() {
    let (text, status) = run(&["check", "--tolerant", "--profile", "no-such-profile", TRACE]);
    assert_eq!(status, 2);
    assert!(text.contains("neither a shipped profile (default, python-export, field-chargers) nor a readable file"), "{text}");
}

#[test]
fn strict_check_is_unchanged_without_the_flag() {
    let (text, status) = run(&["check", "--ocpp", "1.6", TRACE]);
    assert_eq!(status, 1);
    assert!(!text.contains("warning[any."), "{text}");
    assert!(text.contains("error[schema-"), "{text}");
}

#[test]
fn rules_lists_the_registry() {
    let (text, status) = run(&["rules"]);
    assert_eq!(status, 0);
    assert_eq!(text, ocpp_validate::tolerant::markdown_table());
}

/// A boot answered `accepted` (lower case), then a StartTransaction.
const LOWER_CASE_BOOT: &str = r#"[2,"b","BootNotification",{"chargePointVendor":"V","chargePointModel":"M"}]
[3,"b",{"status":"accepted","currentTime":"2024-05-01T08:00:00Z","interval":300}]
[2,"a","StartTransaction",{"connectorId":1,"idTag":"TAG","meterStart":0,"timestamp":"2024-05-01T08:01:00Z"}]
[3,"a",{"transactionId":5,"idTagInfo":{"status":"Accepted"}}]
"#;

#[test]
fn the_semantic_rules_read_the_repaired_frame() {
    let dir = std::env::temp_dir().join(format!("tolerant-boot-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("temp dir");
    let trace = dir.join("boot.txt");
    std::fs::write(&trace, LOWER_CASE_BOOT).expect("write trace");
    let trace = trace.to_str().expect("UTF-8 path");
    let (strict, _) = run(&["check", "--ocpp", "1.6", trace]);
    assert!(
        strict.contains("error[semantic-not-booted]") && strict.contains("answered accepted"),
        "strictly, \"accepted\" is no acceptance: {strict}"
    );
    let (tolerant, status) = run(&["check", "--ocpp", "1.6", "--tolerant", trace]);
    assert!(
        tolerant.contains(r#"warning[any.enum-case]: an enumeration value in the wrong case: "accepted" → "Accepted""#),
        "{tolerant}"
    );
    assert!(!tolerant.contains("semantic-not-booted"), "{tolerant}");
    assert_eq!(status, 0, "warnings only: {tolerant}");
    std::fs::remove_dir_all(&dir).expect("clean up");
}
