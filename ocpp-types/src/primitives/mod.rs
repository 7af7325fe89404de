//! Value types that hold the constraints the OCPP schemas put on scalars and arrays.
//!
//! Every type here checks its constraint when it is built and when it is deserialized, so a
//! value of one of these types is always one the official schema accepts.

mod bounded_string;
mod bounded_vec;
mod date_time;
mod decimal;
mod error;
mod ranged_decimal;
mod ranged_int;
mod uri;

pub use bounded_string::BoundedString;
pub use bounded_vec::BoundedVec;
pub use date_time::DateTime;
pub use decimal::DecimalTenths;
pub use error::ConstraintError;
pub use ranged_decimal::RangedDecimal;
pub use ranged_int::RangedInt;
pub use rust_decimal::Decimal;
pub use uri::Uri;
