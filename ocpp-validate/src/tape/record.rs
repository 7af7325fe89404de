//! The recording deserializer: it stands between a deserializer and whatever reads from it,
//! passes every request and every value through unchanged, and notes each value on a tape.

use std::fmt;

use serde::de::{self, DeserializeSeed, Deserializer, MapAccess, SeqAccess, Visitor};

use super::{Event, Tape};

/// Reads a value with `seed` while noting everything it reads on `tape`: the seed sees
/// exactly what it would see without the recording.
pub(crate) struct Recording<'t, S> {
    pub(crate) seed: S,
    pub(crate) tape: &'t mut Tape,
}

impl<'de, S: DeserializeSeed<'de>> DeserializeSeed<'de> for Recording<'_, S> {
    type Value = S::Value;

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<S::Value, D::Error> {
        self.seed.deserialize(Recorder {
            inner: deserializer,
            tape: self.tape,
        })
    }
}

/// A deserializer whose values are noted on a tape as they are handed over.
struct Recorder<'t, D> {
    inner: D,
    tape: &'t mut Tape,
}

/// A visitor that notes what it is given, then gives it to the visitor it wraps.
struct Noting<'t, V> {
    inner: V,
    tape: &'t mut Tape,
}

/// Each method asks the wrapped deserializer the same, with the visitor wrapped.
macro_rules! record {
    ($($method:ident($($arg:ident: $ty:ty),*))*) => {
        $(
            fn $method<V: Visitor<'de>>(
                self,
                $($arg: $ty,)*
                visitor: V,
            ) -> Result<V::Value, D::Error> {
                let visitor = Noting {
                    inner: visitor,
                    tape: self.tape,
                };
                self.inner.$method($($arg,)* visitor)
            }
        )*
    };
}

impl<'de, D: Deserializer<'de>> Deserializer<'de> for Recorder<'_, D> {
    type Error = D::Error;

    record! {
        deserialize_any() deserialize_bool() deserialize_i8() deserialize_i16()
        deserialize_i32() deserialize_i64() deserialize_i128() deserialize_u8()
        deserialize_u16() deserialize_u32() deserialize_u64() deserialize_u128()
        deserialize_f32() deserialize_f64() deserialize_char() deserialize_str()
        deserialize_string() deserialize_bytes() deserialize_byte_buf() deserialize_option()
        deserialize_unit() deserialize_seq() deserialize_map() deserialize_identifier()
        deserialize_ignored_any()
        deserialize_unit_struct(name: &'static str)
        deserialize_newtype_struct(name: &'static str)
        deserialize_tuple(len: usize)
        deserialize_tuple_struct(name: &'static str, len: usize)
        deserialize_struct(name: &'static str, fields: &'static [&'static str])
        deserialize_enum(name: &'static str, variants: &'static [&'static str])
    }

    fn is_human_readable(&self) -> bool {
        self.inner.is_human_readable()
    }
}

impl<'de, V: Visitor<'de>> Visitor<'de> for Noting<'_, V> {
    type Value = V::Value;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.inner.expecting(f)
    }

    fn visit_bool<E: de::Error>(self, v: bool) -> Result<V::Value, E> {
        self.tape.push(Event::Bool(v));
        self.inner.visit_bool(v)
    }

    fn visit_i64<E: de::Error>(self, v: i64) -> Result<V::Value, E> {
        self.tape.push(Event::I64(v));
        self.inner.visit_i64(v)
    }

    fn visit_u64<E: de::Error>(self, v: u64) -> Result<V::Value, E> {
        self.tape.push(Event::U64(v));
        self.inner.visit_u64(v)
    }

    fn visit_f64<E: de::Error>(self, v: f64) -> Result<V::Value, E> {
        self.tape.push(Event::F64(v.to_bits()));
        self.inner.visit_f64(v)
    }

    fn visit_i128<E: de::Error>(self, v: i128) -> Result<V::Value, E> {
        self.tape.broken = true;
        self.inner.visit_i128(v)
    }

    fn visit_u128<E: de::Error>(self, v: u128) -> Result<V::Value, E> {
        self.tape.broken = true;
        self.inner.visit_u128(v)
    }

    fn visit_char<E: de::Error>(self, v: char) -> Result<V::Value, E> {
        self.tape.push_str(v.encode_utf8(&mut [0; 4]), false);
        self.inner.visit_char(v)
    }

    fn visit_str<E: de::Error>(self, v: &str) -> Result<V::Value, E> {
        self.tape.push_str(v, false);
        self.inner.visit_str(v)
    }

    fn visit_borrowed_str<E: de::Error>(self, v: &'de str) -> Result<V::Value, E> {
        self.tape.push_str(v, true);
        self.inner.visit_borrowed_str(v)
    }

    fn visit_string<E: de::Error>(self, v: String) -> Result<V::Value, E> {
        self.tape.push_str(&v, false);
        self.inner.visit_string(v)
    }

    fn visit_bytes<E: de::Error>(self, v: &[u8]) -> Result<V::Value, E> {
        self.tape.broken = true;
        self.inner.visit_bytes(v)
    }

    fn visit_borrowed_bytes<E: de::Error>(self, v: &'de [u8]) -> Result<V::Value, E> {
        self.tape.broken = true;
        self.inner.visit_borrowed_bytes(v)
    }

    fn visit_byte_buf<E: de::Error>(self, v: Vec<u8>) -> Result<V::Value, E> {
        self.tape.broken = true;
        self.inner.visit_byte_buf(v)
    }

    fn visit_none<E: de::Error>(self) -> Result<V::Value, E> {
        self.tape.push(Event::Null);
        self.inner.visit_none()
    }

    fn visit_unit<E: de::Error>(self) -> Result<V::Value, E> {
        self.tape.push(Event::Null);
        self.inner.visit_unit()
    }

    fn visit_some<D: Deserializer<'de>>(self, deserializer: D) -> Result<V::Value, D::Error> {
        self.inner.visit_some(Recorder {
            inner: deserializer,
            tape: self.tape,
        })
    }

    fn visit_newtype_struct<D: Deserializer<'de>>(
        self,
        deserializer: D,
    ) -> Result<V::Value, D::Error> {
        self.inner.visit_newtype_struct(Recorder {
            inner: deserializer,
            tape: self.tape,
        })
    }

    fn visit_seq<A: SeqAccess<'de>>(self, seq: A) -> Result<V::Value, A::Error> {
        let open = self.tape.push(Event::Seq(0));
        let value = self.inner.visit_seq(NotedSeq {
            inner: seq,
            tape: &mut *self.tape,
        })?;
        self.tape.close(open);
        Ok(value)
    }

    fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<V::Value, A::Error> {
        let open = self.tape.push(Event::Map(0));
        let value = self.inner.visit_map(NotedMap {
            inner: map,
            tape: &mut *self.tape,
        })?;
        self.tape.close(open);
        Ok(value)
    }

    fn visit_enum<A: de::EnumAccess<'de>>(self, data: A) -> Result<V::Value, A::Error> {
        self.tape.broken = true;
        self.inner.visit_enum(data)
    }
}

/// The items of an array, each read through the recording.
struct NotedSeq<'t, A> {
    inner: A,
    tape: &'t mut Tape,
}

impl<'de, A: SeqAccess<'de>> SeqAccess<'de> for NotedSeq<'_, A> {
    type Error = A::Error;

    fn next_element_seed<T: DeserializeSeed<'de>>(
        &mut self,
        seed: T,
    ) -> Result<Option<T::Value>, A::Error> {
        self.inner.next_element_seed(Recording {
            seed,
            tape: &mut *self.tape,
        })
    }

    fn size_hint(&self) -> Option<usize> {
        self.inner.size_hint()
    }
}

/// The members of an object, names and values each read through the recording.
struct NotedMap<'t, A> {
    inner: A,
    tape: &'t mut Tape,
}

impl<'de, A: MapAccess<'de>> MapAccess<'de> for NotedMap<'_, A> {
    type Error = A::Error;

    fn next_key_seed<K: DeserializeSeed<'de>>(
        &mut self,
        seed: K,
    ) -> Result<Option<K::Value>, A::Error> {
        self.inner.next_key_seed(Recording {
            seed,
            tape: &mut *self.tape,
        })
    }

    fn next_value_seed<V: DeserializeSeed<'de>>(&mut self, seed: V) -> Result<V::Value, A::Error> {
        self.inner.next_value_seed(Recording {
            seed,
            tape: &mut *self.tape,
        })
    }

    fn size_hint(&self) -> Option<usize> {
        self.inner.size_hint()
    }
}
