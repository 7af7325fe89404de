//! `--fault NAME`: the reference CSMS's faults by their names, each listed in the help with
//! its summary.

use clap::builder::{PossibleValue, PossibleValuesParser, TypedValueParser};
use ocpp_conformance::csms::Fault;

/// Reads one fault name of [`Fault::ALL`]; any other word is a usage error listing them.
pub(crate) fn parser() -> impl TypedValueParser<Value = Fault> {
    let names = Fault::ALL
        .iter()
        .map(|fault| PossibleValue::new(fault.name()).help(fault.summary()));
    PossibleValuesParser::new(names).try_map(|name| {
        Fault::ALL
            .iter()
            .copied()
            .find(|fault| fault.name() == name)
            .ok_or_else(|| format!("{name:?} is not a fault"))
    })
}
