use thiserror::Error;

/// A value that breaks a constraint of the schema.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
#[non_exhaustive]
pub enum ConstraintError {
    /// A string has more characters than allowed.
    #[error("string of {length} characters is longer than the maximum of {max}")]
    TooLong {
        /// The maximum number of characters.
        max: usize,
        /// The number of characters found.
        length: usize,
    },
    /// An array has fewer items than required.
    #[error("array of {length} items is shorter than the minimum of {min}")]
    TooFewItems {
        /// The minimum number of items.
        min: usize,
        /// The number of items found.
        length: usize,
    },
    /// An array has more items than allowed.
    #[error("array of {length} items is longer than the maximum of {max}")]
    TooManyItems {
        /// The maximum number of items.
        max: usize,
        /// The number of items found.
        length: usize,
    },
    /// An integer lies outside its range.
    #[error("integer {value} is outside the range {min}..={max}")]
    OutOfRange {
        /// The smallest value allowed.
        min: i64,
        /// The largest value allowed.
        max: i64,
        /// The value found.
        value: i64,
    },
    /// A decimal lies outside its range.
    #[error("number {value} is outside the range {min}..={max}")]
    DecimalOutOfRange {
        /// The smallest value allowed.
        min: i64,
        /// The largest value allowed.
        max: i64,
        /// The value found, as written.
        value: String,
    },
    /// A decimal is not a multiple of 0.1.
    #[error("number {value} is not a multiple of 0.1")]
    NotMultipleOfTenth {
        /// The value found, as written.
        value: String,
    },
    /// A string is not an RFC 3339 date-time.
    #[error("{value:?} is not an RFC 3339 date-time ({reason})")]
    DateTime {
        /// The text found.
        value: String,
        /// What is wrong with it.
        reason: &'static str,
    },
    /// A string is not an absolute URI as RFC 3986 defines it.
    #[error("{value:?} is not an RFC 3986 URI")]
    Uri {
        /// The text found.
        value: String,
    },
}
