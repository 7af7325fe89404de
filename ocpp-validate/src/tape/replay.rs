//! Reading a recorded payload again: a deserializer over a tape's events that hands each
//! value over as serde_json handed it to the recording (strings borrowed from the frame's
//! text, numbers as they came), so a reader sees what it would see reading the text.

use std::fmt;

use serde::de::{self, DeserializeSeed, Deserializer, MapAccess, SeqAccess, Visitor};

use super::Event;

/// A recorded payload, read as a deserializer (`&mut Replay`).
pub(crate) struct Replay<'a> {
    text: &'a str,
    owned: &'a str,
    events: &'a [Event],
    next: usize,
}

/// A tape that does not hold what its reader asks for (a reader asking for more than was
/// recorded, or a range outside the text): the payload is then read from the text.
#[derive(Debug)]
pub(crate) struct Unreadable(String);

impl fmt::Display for Unreadable {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for Unreadable {}

impl de::Error for Unreadable {
    fn custom<T: fmt::Display>(message: T) -> Self {
        Self(message.to_string())
    }
}

impl<'a> Replay<'a> {
    pub(super) fn new(text: &'a str, owned: &'a str, events: &'a [Event]) -> Self {
        Self {
            text,
            owned,
            events,
            next: 0,
        }
    }

    #[inline]
    fn peek(&self) -> Result<Event, Unreadable> {
        self.events
            .get(self.next)
            .copied()
            .ok_or_else(|| de::Error::custom("the tape ends early"))
    }

    #[inline]
    fn take(&mut self) -> Result<Event, Unreadable> {
        let event = self.peek()?;
        self.next += 1;
        Ok(event)
    }

    #[inline]
    fn text(&self, source: &'a str, (start, end): (u32, u32)) -> Result<&'a str, Unreadable> {
        source
            .get(start as usize..end as usize)
            .ok_or_else(|| de::Error::custom("a string outside the text"))
    }

    /// Goes past the `End` at `end`, whatever the reader left unread before it.
    fn leave(&mut self, end: u32) -> Result<(), Unreadable> {
        match self.events.get(end as usize) {
            Some(Event::End) => {
                self.next = end as usize + 1;
                Ok(())
            }
            _ => Err(de::Error::custom("an object or array without its end")),
        }
    }
}

impl<'de> Deserializer<'de> for &mut Replay<'de> {
    type Error = Unreadable;

    #[inline]
    fn deserialize_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Unreadable> {
        match self.take()? {
            Event::Null => visitor.visit_unit(),
            Event::Bool(v) => visitor.visit_bool(v),
            Event::U64(v) => visitor.visit_u64(v),
            Event::I64(v) => visitor.visit_i64(v),
            Event::F64(bits) => visitor.visit_f64(f64::from_bits(bits)),
            Event::Borrowed(start, end) => {
                visitor.visit_borrowed_str(self.text(self.text, (start, end))?)
            }
            Event::Owned(start, end) => {
                visitor.visit_borrowed_str(self.text(self.owned, (start, end))?)
            }
            Event::Map(end) => {
                let value = visitor.visit_map(Members { replay: &mut *self })?;
                self.leave(end)?;
                Ok(value)
            }
            Event::Seq(end) => {
                let value = visitor.visit_seq(Items { replay: &mut *self })?;
                self.leave(end)?;
                Ok(value)
            }
            Event::End => Err(de::Error::custom("a value wanted, the end of one found")),
        }
    }

    #[inline]
    fn deserialize_option<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Unreadable> {
        if self.peek()? == Event::Null {
            self.next += 1;
            visitor.visit_none()
        } else {
            visitor.visit_some(self)
        }
    }

    fn deserialize_newtype_struct<V: Visitor<'de>>(
        self,
        _name: &'static str,
        visitor: V,
    ) -> Result<V::Value, Unreadable> {
        visitor.visit_newtype_struct(self)
    }

    fn deserialize_ignored_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Unreadable> {
        match self.take()? {
            Event::Map(end) | Event::Seq(end) => self.leave(end)?,
            Event::End => return Err(de::Error::custom("a value wanted, the end of one found")),
            _ => {}
        }
        visitor.visit_unit()
    }

    serde::forward_to_deserialize_any! {
        bool i8 i16 i32 i64 i128 u8 u16 u32 u64 u128 f32 f64 char str string bytes byte_buf
        unit unit_struct seq tuple tuple_struct map struct enum identifier
    }
}

/// The members of a recorded object: its events alternate names and values up to its `End`.
struct Members<'r, 'a> {
    replay: &'r mut Replay<'a>,
}

impl<'de> MapAccess<'de> for Members<'_, 'de> {
    type Error = Unreadable;

    #[inline]
    fn next_key_seed<K: DeserializeSeed<'de>>(
        &mut self,
        seed: K,
    ) -> Result<Option<K::Value>, Unreadable> {
        if self.replay.peek()? == Event::End {
            return Ok(None);
        }
        seed.deserialize(&mut *self.replay).map(Some)
    }

    #[inline]
    fn next_value_seed<V: DeserializeSeed<'de>>(
        &mut self,
        seed: V,
    ) -> Result<V::Value, Unreadable> {
        seed.deserialize(&mut *self.replay)
    }
}

/// The items of a recorded array, up to its `End`.
struct Items<'r, 'a> {
    replay: &'r mut Replay<'a>,
}

impl<'de> SeqAccess<'de> for Items<'_, 'de> {
    type Error = Unreadable;

    #[inline]
    fn next_element_seed<T: DeserializeSeed<'de>>(
        &mut self,
        seed: T,
    ) -> Result<Option<T::Value>, Unreadable> {
        if self.replay.peek()? == Event::End {
            return Ok(None);
        }
        seed.deserialize(&mut *self.replay).map(Some)
    }
}
