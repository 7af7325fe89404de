//! The message id at index 1 of every frame.

use std::borrow::Borrow;
use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Deserializer, Serialize, Serializer};

use super::FrameError;

/// The id that pairs a CALL with its CALLRESULT or CALLERROR: a string of at most
/// [`MessageId::MAX_CHARS`] characters.
///
/// The limit counts Unicode characters (scalar values), not UTF-8 bytes, so 36 multi-byte
/// characters are accepted. Both specifications only set a maximum, so the empty string is
/// accepted too; OCPP 2.0.1 even prescribes `"-1"` for a CALLERROR answering a frame whose
/// id could not be read. Uniqueness per connection is a session concern, not checked here.
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct MessageId(String);

impl MessageId {
    /// The most characters a message id may have (room for a textual UUID).
    pub const MAX_CHARS: usize = 36;

    /// Wraps `id`, failing with [`FrameError::MessageIdTooLong`] when it has more than
    /// [`MessageId::MAX_CHARS`] characters.
    pub fn new(id: impl Into<String>) -> Result<Self, FrameError> {
        let id = id.into();
        let length = id.chars().count();
        if length > Self::MAX_CHARS {
            return Err(FrameError::MessageIdTooLong { length });
        }
        Ok(Self(id))
    }

    /// The id as a string slice.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// Unwraps the id into its `String`.
    pub fn into_string(self) -> String {
        self.0
    }
}

impl fmt::Display for MessageId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl AsRef<str> for MessageId {
    fn as_ref(&self) -> &str {
        &self.0
    }
}

impl Borrow<str> for MessageId {
    fn borrow(&self) -> &str {
        &self.0
    }
}

impl FromStr for MessageId {
    type Err = FrameError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Self::new(s)
    }
}

impl TryFrom<String> for MessageId {
    type Error = FrameError;

    fn try_from(value: String) -> Result<Self, Self::Error> {
        Self::new(value)
    }
}

impl TryFrom<&str> for MessageId {
    type Error = FrameError;

    fn try_from(value: &str) -> Result<Self, Self::Error> {
        Self::new(value)
    }
}

impl From<MessageId> for String {
    fn from(value: MessageId) -> Self {
        value.0
    }
}

impl Serialize for MessageId {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(&self.0)
    }
}

impl<'de> Deserialize<'de> for MessageId {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let id = String::deserialize(deserializer)?;
        Self::new(id).map_err(serde::de::Error::custom)
    }
}
