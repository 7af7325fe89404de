//! Every report format through the one `Renderer` trait: the findings one by one, then the
//! totals, as the command line drives them.

use ocpp_validate::check::Counts;
use ocpp_validate::render::human::{self, Human};
use ocpp_validate::render::json::{self, Json};
use ocpp_validate::render::junit::Junit;
use ocpp_validate::render::statistics::StatisticsReport;
use ocpp_validate::render::{Input, Renderer, Totals};
use ocpp_validate::{Category, Finding, Position, Severity};

fn findings() -> Vec<Finding> {
    vec![
        Finding::new(
            Position::new(0, 1),
            "schema-max-length",
            Severity::Error,
            Category::Schema,
            "too long",
        )
        .with_pointer("/idTag"),
        Finding::new(
            Position::new(1, 2),
            "correlation-orphan-response",
            Severity::Warning,
            Category::Correlation,
            "no call",
        ),
    ]
}

fn counts() -> Counts {
    let mut counts = Counts::default();
    counts.records = 2;
    counts.errors = 1;
    counts.warnings = 1;
    counts
}

/// What `renderer` writes for [`findings`] of input `a.jsonl` and then `totals`.
fn rendered(mut renderer: Box<dyn Renderer>, totals: Totals) -> String {
    let mut out = Vec::new();
    for finding in findings() {
        renderer
            .finding(&mut Input::named("a.jsonl"), &finding, &mut out)
            .expect("in memory");
    }
    renderer.finish(&totals, &mut out).expect("in memory");
    String::from_utf8(out).expect("UTF-8")
}

#[test]
fn json_lines_are_the_findings_then_the_summary() {
    let text = rendered(Box::new(Json::new(1)), Totals::new(counts(), 1));
    let mut expected: String = findings()
        .iter()
        .map(|f| json::finding(None, f) + "\n")
        .collect();
    expected += &(json::summary(&counts(), 1) + "\n");
    assert_eq!(text, expected);
}

#[test]
fn human_writes_each_finding_then_the_summary() {
    let text = rendered(Box::new(Human::new(false)), Totals::new(counts(), 1));
    let mut expected: String = findings()
        .iter()
        .map(|f| human::finding("a.jsonl", f, false))
        .collect();
    expected += &(human::summary(&counts(), 1) + "\n");
    assert_eq!(text, expected);
    let quiet = rendered(
        Box::new(Human::new(false).quiet(true)),
        Totals::new(counts(), 1),
    );
    assert!(!quiet.contains("checked 2 records"), "{quiet}");
}

#[test]
fn human_caps_each_rule() {
    let mut human: Box<dyn Renderer> = Box::new(Human::new(false).max_per_rule(1));
    let mut out = Vec::new();
    let finding = &findings()[1];
    for _ in 0..3 {
        human
            .finding(&mut Input::named("a.jsonl"), finding, &mut out)
            .expect("in memory");
    }
    human
        .finish(&Totals::new(counts(), 1), &mut out)
        .expect("in memory");
    let text = String::from_utf8(out).expect("UTF-8");
    assert_eq!(
        text.matches("warning[correlation-orphan-response]").count(),
        2
    );
    assert!(
        text.contains("… and 2 more warning[correlation-orphan-response]"),
        "{text}"
    );
}

#[test]
fn an_interrupted_run_has_no_closing_line() {
    let totals = Totals::new(counts(), 1).interrupted();
    let human = rendered(Box::new(Human::new(false)), totals);
    assert!(!human.contains("checked"), "{human}");
    let statistics = rendered(Box::new(StatisticsReport::json()), totals);
    assert!(statistics.is_empty(), "{statistics}");
}

#[test]
fn junit_counts_the_records_of_the_totals() {
    let none = rendered(Box::new(Junit::new()), Totals::new(Counts::default(), 1));
    assert!(none.contains("no records were checked"), "{none}");
    let some = rendered(Box::new(Junit::new()), Totals::new(counts(), 1));
    assert!(!some.contains("no records were checked"), "{some}");
    assert!(some.contains(r#"failures="1""#), "{some}");
}
