//! Output formats for findings, one module each.

pub mod excerpt;
pub mod human;
pub mod json;
pub mod junit;
pub mod sarif;
mod spool;
pub mod statistics;
