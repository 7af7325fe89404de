//! The "either version" layer: a frame, an error code and a typed payload of whichever OCPP
//! version a connection or a trace speaks. Every dispatch on [`OcppVersion`] that turns a
//! version into a version's types happens here, exhaustively, so that a version added to
//! the crate is a compile error at each place that must handle it.
//!
//! [`OcppVersion`]: crate::OcppVersion

mod error_code;
mod frame;
mod message;

pub use error_code::AnyErrorCode;
pub use frame::AnyFrame;
pub use message::{AnyMessage, PayloadKind};
