//! Output formats for findings, one module each.

pub mod human;
pub mod json;
