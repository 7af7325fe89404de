use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Deserializer, Serialize, Serializer};

use super::ConstraintError;

/// An absolute URI (RFC 3986 `URI`: a scheme, then the rest), as the schemas' `format: uri`
/// requires (the OCPP 1.6 upload and download locations).
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Uri(String);

impl Uri {
    /// Checks the syntax of `value` and wraps it.
    pub fn new(value: impl Into<String>) -> Result<Self, ConstraintError> {
        let value = value.into();
        if fluent_uri::Uri::parse(value.as_str()).is_ok() {
            Ok(Self(value))
        } else {
            Err(ConstraintError::Uri { value })
        }
    }

    /// The text.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for Uri {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl FromStr for Uri {
    type Err = ConstraintError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Self::new(s)
    }
}

impl Serialize for Uri {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(&self.0)
    }
}

impl<'de> Deserialize<'de> for Uri {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let value = String::deserialize(deserializer)?;
        Self::new(value).map_err(serde::de::Error::custom)
    }
}

#[cfg(feature = "arbitrary")]
impl<'a> arbitrary::Arbitrary<'a> for Uri {
    fn arbitrary(u: &mut arbitrary::Unstructured<'a>) -> arbitrary::Result<Self> {
        const SCHEMES: &[&str] = &["ftp", "ftps", "http", "https", "sftp"];
        const HOSTS: &[&str] = &["example.com", "10.0.0.7", "files.example.org:2121"];
        let scheme = u.choose(SCHEMES)?;
        let host = u.choose(HOSTS)?;
        let segment = u.int_in_range(0..=u32::MAX)?;
        Ok(Self(format!("{scheme}://{host}/upload/{segment}")))
    }
}

#[cfg(feature = "schemars")]
impl schemars::JsonSchema for Uri {
    fn inline_schema() -> bool {
        true
    }

    fn schema_name() -> std::borrow::Cow<'static, str> {
        "Uri".into()
    }

    fn json_schema(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
        schemars::json_schema!({ "type": "string", "format": "uri" })
    }
}
