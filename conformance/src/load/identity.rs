//! Station identities from a pattern: `{n}` is the station number, `{n:0W}` the number
//! zero-padded to W digits (`CP-{n:05}` gives `CP-00001`).

/// A pattern that does not name the station number.
#[derive(Debug, thiserror::Error)]
#[error("identity pattern {0:?} needs {{n}} or {{n:0W}} where the station number goes")]
#[non_exhaustive]
pub struct BadPattern(pub String);

/// A parsed identity pattern.
#[derive(Debug, Clone)]
pub struct IdentityPattern {
    prefix: String,
    width: usize,
    suffix: String,
}

impl IdentityPattern {
    /// Reads a pattern holding one `{n}` or `{n:0W}`.
    pub fn parse(pattern: &str) -> Result<Self, BadPattern> {
        let bad = || BadPattern(pattern.to_owned());
        let start = pattern.find("{n").ok_or_else(bad)?;
        let end = start + pattern[start..].find('}').ok_or_else(bad)?;
        let spec = &pattern[start + 2..end];
        let width = match spec {
            "" => 0,
            _ => spec
                .strip_prefix(":0")
                .and_then(|w| w.parse().ok())
                .filter(|&w| w <= 20)
                .ok_or_else(bad)?,
        };
        Ok(Self {
            prefix: pattern[..start].to_owned(),
            width,
            suffix: pattern[end + 1..].to_owned(),
        })
    }

    /// The identity of station number `n`.
    pub fn identity(&self, n: u64) -> String {
        format!(
            "{}{n:0width$}{}",
            self.prefix,
            self.suffix,
            width = self.width
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_and_pads() {
        assert_eq!(
            IdentityPattern::parse("CP-{n}").unwrap().identity(7),
            "CP-7"
        );
        let padded = IdentityPattern::parse("site-{n:05}-x").unwrap();
        assert_eq!(padded.identity(42), "site-00042-x");
        assert_eq!(padded.identity(1234567), "site-1234567-x");
    }

    #[test]
    fn a_pattern_without_the_number_is_refused() {
        for pattern in ["CP", "CP-{n", "CP-{n:5}", "CP-{m}"] {
            assert!(IdentityPattern::parse(pattern).is_err(), "{pattern}");
        }
    }
}
