//! The HTML report of a run (`--format html`): ocpp-validate's self-contained page, drawing
//! per case its verdict, its deviations and the sequence of its frames with the steps that
//! failed marked.

use serde::Serialize;

use crate::report::{CaseReport, Exchanged};

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct CaseView<'a> {
    #[serde(flatten)]
    case: &'a CaseReport,
    exchange: &'a [Exchanged],
    exchange_left_out: usize,
}

#[derive(Serialize)]
struct Run<'a> {
    cases: Vec<CaseView<'a>>,
}

/// Renders the cases as one HTML page titled `title`.
pub fn html(cases: &[CaseReport], title: &str) -> String {
    let run = Run {
        cases: cases
            .iter()
            .map(|case| CaseView {
                case,
                exchange: &case.exchange,
                exchange_left_out: case.exchange_left_out,
            })
            .collect(),
    };
    ocpp_validate::render::html::page("run", title, &run)
}
