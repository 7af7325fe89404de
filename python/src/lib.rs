//! `ocpp_toolkit._native`: the library of `ocpp-validate` for Python. The pure-Python package
//! `ocpp_toolkit` (beside this crate) re-exports it and adds the Spark helpers.
//!
//! * `finding.rs` — `validate`: one payload against its action's schema.
//! * `frame.rs` — `decode_frame`: one OCPP-J frame, strictly.
//! * `repair.rs` — `tolerant`: one payload through the tolerant decoder.
//! * `batches.rs` — `validate_batches`, `repair_batches` and `summarize_batches`: the record
//!   pipeline of `ocpp-validate check` and `summary` over Arrow record batches of lake rows.
//!
//! Errors are Python exceptions: `OcppError` and its subclasses, with the rule, pointer or
//! position of what is wrong as attributes.

mod batches;
mod errors;
mod finding;
mod frame;
mod repair;

use pyo3::prelude::*;

use errors::{FrameError, OcppError, PayloadError, UnknownActionError};

/// The module: its functions, classes and exceptions.
#[pymodule]
fn _native(module: &Bound<'_, PyModule>) -> PyResult<()> {
    let py = module.py();
    module.add("__version__", env!("CARGO_PKG_VERSION"))?;
    module.add("OcppError", py.get_type::<OcppError>())?;
    module.add("FrameError", py.get_type::<FrameError>())?;
    module.add("PayloadError", py.get_type::<PayloadError>())?;
    module.add("UnknownActionError", py.get_type::<UnknownActionError>())?;
    module.add_class::<finding::Finding>()?;
    module.add_class::<frame::Frame>()?;
    module.add_class::<repair::Repair>()?;
    module.add_function(wrap_pyfunction!(finding::validate, module)?)?;
    module.add_function(wrap_pyfunction!(frame::decode_frame, module)?)?;
    module.add_function(wrap_pyfunction!(repair::tolerant, module)?)?;
    module.add_function(wrap_pyfunction!(batches::validate_batches, module)?)?;
    module.add_function(wrap_pyfunction!(batches::summarize_batches, module)?)?;
    module.add_function(wrap_pyfunction!(batches::repair_batches, module)?)?;
    Ok(())
}
