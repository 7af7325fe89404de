//! The MeterValues payload and the meter values of transactions, which the meter value,
//! unit and charging profile rules read.

use std::borrow::Cow;
use std::fmt;

use ocpp_model::primitives::Decimal;
use serde::de::{self, Deserializer, IgnoredAny, SeqAccess, Visitor};
use serde::Deserialize;

use super::members::{integer, list, number_digits, object, text};

/// A MeterValues request of either version.
#[derive(Debug, Default, Deserialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct MeterValues<'a> {
    /// 1.6 only: the connector (0 for the main meter).
    #[serde(default, deserialize_with = "integer")]
    pub(crate) connector_id: Option<i64>,
    /// 1.6 only: the transaction the values belong to.
    #[serde(default, deserialize_with = "integer")]
    pub(crate) transaction_id: Option<i64>,
    #[serde(borrow, default, deserialize_with = "list")]
    pub(crate) meter_value: Vec<MeterValue<'a>>,
}

/// One timestamped set of samples.
#[derive(Debug, Default, Deserialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct MeterValue<'a> {
    #[serde(borrow, default, deserialize_with = "text")]
    pub(crate) timestamp: Option<Cow<'a, str>>,
    #[serde(borrow, default, deserialize_with = "list")]
    pub(crate) sampled_value: Vec<SampledValue<'a>>,
}

/// One sample, in either version's shape (1.6: `value` a string and `unit`; 2.0.1: `value` a
/// number and `unitOfMeasure.unit`).
#[derive(Debug, Default, Deserialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct SampledValue<'a> {
    #[serde(borrow, default)]
    pub(crate) value: SampleValue<'a>,
    #[serde(borrow, default, deserialize_with = "text")]
    pub(crate) measurand: Option<Cow<'a, str>>,
    #[serde(borrow, default, deserialize_with = "text")]
    pub(crate) phase: Option<Cow<'a, str>>,
    #[serde(borrow, default, deserialize_with = "text")]
    pub(crate) location: Option<Cow<'a, str>>,
    #[serde(borrow, default, deserialize_with = "text")]
    pub(crate) unit: Option<Cow<'a, str>>,
    #[serde(borrow, default, deserialize_with = "object")]
    pub(crate) unit_of_measure: Option<UnitOfMeasure<'a>>,
}

impl SampledValue<'_> {
    /// The unit as sent, in either version's place.
    pub(crate) fn unit(&self) -> Option<&str> {
        self.unit
            .as_deref()
            .or_else(|| self.unit_of_measure.as_ref()?.unit.as_deref())
    }
}

/// 2.0.1 `unitOfMeasure`.
#[derive(Debug, Default, Deserialize)]
pub(crate) struct UnitOfMeasure<'a> {
    #[serde(borrow, default, deserialize_with = "text")]
    pub(crate) unit: Option<Cow<'a, str>>,
}

/// A sample's value as sent (1.6: text; 2.0.1: a number's exact digits), read as a decimal
/// only when a rule needs it.
#[derive(Debug, Default)]
pub(crate) struct SampleValue<'a>(Option<Cow<'a, str>>);

impl SampleValue<'_> {
    /// The value as a decimal, `None` when it is not a number.
    pub(crate) fn decimal(&self) -> Option<Decimal> {
        decimal(self.0.as_deref()?)
    }
}

impl<'de: 'a, 'a> Deserialize<'de> for SampleValue<'a> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_any(SampleVisitor)
    }
}

/// Keeps a sample's value as text: 1.6 sends it as a string, and serde_json hands a 2.0.1
/// number's exact digits over as a one-entry map under `arbitrary_precision` (never `f64`).
struct SampleVisitor;

impl<'de> Visitor<'de> for SampleVisitor {
    type Value = SampleValue<'de>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a number or a decimal as text")
    }

    fn visit_borrowed_str<E: de::Error>(self, text: &'de str) -> Result<Self::Value, E> {
        Ok(SampleValue(Some(Cow::Borrowed(text))))
    }

    fn visit_str<E: de::Error>(self, text: &str) -> Result<Self::Value, E> {
        Ok(SampleValue(Some(Cow::Owned(text.to_owned()))))
    }

    fn visit_u64<E: de::Error>(self, n: u64) -> Result<Self::Value, E> {
        Ok(SampleValue(Some(Cow::Owned(n.to_string()))))
    }

    fn visit_i64<E: de::Error>(self, n: i64) -> Result<Self::Value, E> {
        Ok(SampleValue(Some(Cow::Owned(n.to_string()))))
    }

    fn visit_map<A: de::MapAccess<'de>>(self, map: A) -> Result<Self::Value, A::Error> {
        Ok(SampleValue(number_digits(map)?))
    }

    fn visit_f64<E: de::Error>(self, n: f64) -> Result<Self::Value, E> {
        Ok(SampleValue(Some(Cow::Owned(n.to_string()))))
    }

    fn visit_bool<E: de::Error>(self, _: bool) -> Result<Self::Value, E> {
        Ok(SampleValue(None))
    }

    fn visit_unit<E: de::Error>(self) -> Result<Self::Value, E> {
        Ok(SampleValue(None))
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Self::Value, A::Error> {
        while seq.next_element::<IgnoredAny>()?.is_some() {}
        Ok(SampleValue(None))
    }
}

/// A decimal from its text, plain or in scientific notation.
fn decimal(text: &str) -> Option<Decimal> {
    let text = text.trim();
    text.parse()
        .ok()
        .or_else(|| Decimal::from_scientific(text).ok())
}
