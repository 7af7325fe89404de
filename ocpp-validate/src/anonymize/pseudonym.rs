//! Deterministic, salted, format-preserving pseudonyms.
//!
//! A pseudonym is drawn from HMAC-SHA256 keyed with the salt over the kind of value and the
//! value, so the same value of the same kind gets the same pseudonym in every file
//! anonymized with the same salt (sessions still join), and nobody without the salt can
//! test a guess. The pseudonym keeps the value's shape: as many characters, a digit for a
//! digit, an upper-case letter for an upper-case letter, a lower-case letter for a
//! lower-case letter (any other letter becomes a lower-case ASCII letter), punctuation and
//! spaces where they were — so it fits every length limit and pattern the original fitted.

use hmac::{Hmac, Mac};
use sha2::Sha256;

/// The salted source of pseudonyms.
#[derive(Clone)]
pub(crate) struct Pseudonyms {
    salt: Vec<u8>,
}

impl std::fmt::Debug for Pseudonyms {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Pseudonyms { salt: … }")
    }
}

impl Pseudonyms {
    pub(crate) fn new(salt: &[u8]) -> Self {
        Self {
            salt: salt.to_vec(),
        }
    }

    /// The pseudonym of `value` as a value of `kind`. With `case_insensitive`, values that
    /// differ only in case get pseudonyms that differ only in the same way (OCPP compares id
    /// tokens without regard to case).
    pub(crate) fn of(&self, kind: &str, value: &str, case_insensitive: bool) -> String {
        let key = match case_insensitive {
            true => value.to_uppercase(),
            false => value.to_owned(),
        };
        let mut stream = self.stream(kind, &key);
        value
            .chars()
            .map(|c| {
                if c.is_ascii_digit() {
                    char::from(b'0' + stream.next_byte() % 10)
                } else if c.is_ascii_uppercase() {
                    char::from(b'A' + stream.next_byte() % 26)
                } else if c.is_alphabetic() || c.is_ascii_lowercase() {
                    let letter = char::from(b'a' + stream.next_byte() % 26);
                    match (case_insensitive, c.is_uppercase()) {
                        (true, true) => letter.to_ascii_uppercase(),
                        _ => letter,
                    }
                } else {
                    c
                }
            })
            .collect()
    }

    /// Bytes drawn from the HMAC of the value, as many as needed.
    fn stream(&self, kind: &str, value: &str) -> Stream<'_> {
        Stream {
            pseudonyms: self,
            message: format!("{kind}\u{0}{value}"),
            block: [0; 32],
            used: 32,
            counter: 0,
        }
    }
}

struct Stream<'a> {
    pseudonyms: &'a Pseudonyms,
    message: String,
    block: [u8; 32],
    used: usize,
    counter: u64,
}

impl Stream<'_> {
    fn next_byte(&mut self) -> u8 {
        if self.used == self.block.len() {
            let mut mac = Hmac::<Sha256>::new_from_slice(&self.pseudonyms.salt)
                .expect("HMAC takes a key of any length");
            mac.update(self.message.as_bytes());
            mac.update(&self.counter.to_be_bytes());
            self.block = mac.finalize().into_bytes().into();
            self.counter += 1;
            self.used = 0;
        }
        self.used += 1;
        self.block[self.used - 1]
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pseudonyms_keep_the_shape_and_are_deterministic() {
        let p = Pseudonyms::new(b"salt");
        let a = p.of("idToken", "TAG-00042", true);
        assert_eq!(a, p.of("idToken", "TAG-00042", true));
        assert_ne!(a, "TAG-00042");
        assert_eq!(a.len(), 9);
        assert!(a[..3].chars().all(|c| c.is_ascii_uppercase()), "{a}");
        assert_eq!(&a[3..4], "-");
        assert!(a[4..].chars().all(|c| c.is_ascii_digit()), "{a}");
        // Another salt, another kind: another pseudonym.
        assert_ne!(
            Pseudonyms::new(b"other").of("idToken", "TAG-00042", true),
            a
        );
        assert_ne!(p.of("serial", "TAG-00042", true), a);
    }

    #[test]
    fn case_insensitive_values_keep_joining_and_long_values_are_covered() {
        let p = Pseudonyms::new(b"salt");
        let upper = p.of("idToken", "ABCdef", true);
        let lower = p.of("idToken", "abcDEF", true);
        assert_eq!(upper.to_uppercase(), lower.to_uppercase());
        assert_ne!(
            p.of("identity", "ABCdef", false).to_uppercase(),
            p.of("identity", "abcDEF", false).to_uppercase()
        );
        let long: String = "x".repeat(500);
        let pseudonym = p.of("data", &long, false);
        assert_eq!(pseudonym.chars().count(), 500);
        assert!(
            pseudonym
                .chars()
                .collect::<std::collections::HashSet<_>>()
                .len()
                > 10
        );
        assert_eq!(p.of("data", "Zoë née", false).chars().count(), 7);
    }
}
