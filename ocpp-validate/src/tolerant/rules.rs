//! The rule registry: every deviation the tolerant decoder can forgive, with its stable id.

use serde::Serialize;

/// What the policy does when a rule's deviation is met.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
#[allow(
    clippy::exhaustive_enums,
    reason = "a profile's three verdicts, which a policy maps one by one"
)]
pub enum Verdict {
    /// Normalize and say nothing.
    Allow,
    /// Normalize and report the deviation.
    Warn,
    /// Leave the value as it is and report the deviation as an error.
    Deny,
}

impl Verdict {
    /// The verdict as profiles spell it.
    pub const fn as_str(self) -> &'static str {
        match self {
            Self::Allow => "allow",
            Self::Warn => "warn",
            Self::Deny => "deny",
        }
    }
}

/// Which part of a message a rule looks at.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
#[allow(
    clippy::exhaustive_enums,
    reason = "a message has these two layers, the frame and its payload"
)]
pub enum Layer {
    /// The OCPP-J array and its text; pointers index the array.
    Frame,
    /// The payload object, guided by the action's schema; pointers are into the payload.
    Payload,
}

/// One named normalization rule.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct Rule {
    /// Stable identifier (`any.snake-case-keys`).
    pub id: &'static str,
    /// What it forgives, in one line.
    pub forgives: &'static str,
    /// Which versions, actions and members it applies to.
    pub applies_to: &'static str,
    /// Where in the message it looks.
    pub layer: Layer,
    /// The verdict when no profile says otherwise.
    pub default: Verdict,
}

macro_rules! rules {
    ($($variant:ident => $id:literal, $layer:ident, $default:ident, $applies:literal, $forgives:literal;)*) => {
        /// The identifier of a rule, one variant per entry of [`RULES`].
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
        #[non_exhaustive]
        pub enum RuleId {
            $(#[doc = $forgives] $variant,)*
        }

        /// Every rule, in the order of [`RuleId`].
        pub const RULES: &[Rule] = &[
            $(Rule {
                id: $id,
                forgives: $forgives,
                applies_to: $applies,
                layer: Layer::$layer,
                default: Verdict::$default,
            },)*
        ];

        impl RuleId {
            /// Every rule id, in registry order.
            pub const ALL: &[RuleId] = &[$(RuleId::$variant,)*];
        }
    };
}

rules! {
    FrameNoise => "frame.bom-or-nul", Frame, Warn, "both versions, the frame text",
        "a byte-order mark or NUL bytes around the frame (surrounding whitespace is valid JSON)";
    CallWithoutPayload => "frame.call-without-payload", Frame, Warn, "both versions, CALL",
        "a CALL of three elements, read as having an empty payload";
    NumericMessageId => "frame.message-id-number", Frame, Warn, "both versions, index 1",
        "a message id sent as a JSON number, read as its text";
    ErrorDetailsMissing => "frame.error-details-missing", Frame, Warn, "both versions, CALLERROR",
        "a CALLERROR of four elements, read as having empty details";
    ErrorDetailsNotObject => "frame.error-details-not-object", Frame, Warn, "both versions, CALLERROR index 4",
        "CALLERROR details that are not an object (a string, null), replaced by an empty object";
    ErrorCodeOtherVersion => "frame.error-code-other-version", Frame, Warn, "both versions, CALLERROR index 2",
        "an error code spelled as in the other version (FormationViolation, OccurenceConstraintViolation …)";
    SnakeCaseKeys => "any.snake-case-keys", Payload, Warn, "both versions, every object member",
        "a member name in snake_case whose camelCase form the schema defines";
    NullOptional => "any.null-optional", Payload, Warn, "both versions, optional members",
        "null for an optional member, read as the member being absent";
    EmptyStringOptional => "any.empty-string-optional", Payload, Warn, "both versions, optional members that cannot be empty",
        "an empty string for an optional member whose type cannot hold it, read as absent";
    NumberForString => "any.number-for-string", Payload, Warn, "both versions, string members (sampledValue.value, configuration values)",
        "a JSON number where a string is expected, read as the number's exact text";
    StringForNumber => "any.string-for-number", Payload, Warn, "both versions, integer and number members (connectorId, meterStart)",
        "a string holding a number where a number is expected";
    BooleanSpelling => "any.boolean-spelling", Payload, Warn, "both versions, boolean members",
        "0/1 or \"true\"/\"false\" where a boolean is expected";
    DateTimeSpace => "any.date-time-space", Payload, Warn, "both versions, date-time members",
        "a space between date and time instead of T";
    DateTimeNoOffset => "any.date-time-no-offset", Payload, Warn, "both versions, date-time members",
        "a date-time without a UTC offset, read as UTC";
    DateTimeShortOffset => "any.date-time-short-offset", Payload, Warn, "both versions, date-time members",
        "an offset without minutes (+03) or without colon (+0300)";
    EnumCase => "any.enum-case", Payload, Warn, "both versions, enumerations",
        "an enumeration value in the wrong case";
    EnumMisspelling => "any.enum-misspelling", Payload, Warn, "both versions, enumerations",
        "a known misspelling of an enumeration value (Farenheit)";
    EnumKeptVerbatim => "any.enum-kept-verbatim", Payload, Warn, "both versions, enumerations",
        "a value outside the enumeration (unit Hz, measurand Request.Energy), kept verbatim; no typed message";
    StringTooLong => "any.string-too-long", Payload, Warn, "both versions, strings with a maximum length",
        "a string over its maximum length, cut to the maximum (the original is in the report)";
    UnknownMember => "any.unknown-member", Payload, Warn, "both versions, objects closed by the schema",
        "a member the schema does not define, kept in the payload and left out of the typed message";
    EmptyArray => "any.empty-array", Payload, Warn, "both versions, optional arrays with minItems",
        "an empty array for an optional member that needs items, read as absent";
    EmptyRequiredArray => "any.empty-required-array", Payload, Warn, "both versions, objects with a required array (MeterValue.sampledValue, chargingSchedulePeriod)",
        "an object whose required array is sent empty, dropped from its list (or from its parent, when optional) if what holds it stays valid";
    DataTransferObject => "v16.data-transfer-data-object", Payload, Warn, "1.6 DataTransfer request and response, /data",
        "DataTransfer data sent as JSON object or array, read as its JSON text";
}

impl RuleId {
    /// The rule's registry entry.
    pub fn rule(self) -> &'static Rule {
        &RULES[self as usize]
    }

    /// The rule's stable identifier.
    pub fn id(self) -> &'static str {
        self.rule().id
    }

    /// The rule with this identifier.
    pub fn from_id(id: &str) -> Option<Self> {
        Self::ALL.iter().copied().find(|rule| rule.id() == id)
    }
}

/// The rule table as Markdown (id, what it forgives, where, default), as `docs/tolerant.md` shows it.
pub fn markdown_table() -> String {
    let mut out = String::from("| rule | forgives | applies to | default |\n|---|---|---|---|\n");
    for rule in RULES {
        out.push_str(&format!(
            "| `{}` | {} | {} | {} |\n",
            rule.id,
            rule.forgives,
            rule.applies_to,
            rule.default.as_str()
        ));
    }
    out
}

/// The rule table as one JSON array of objects (`id`, `forgives`, `appliesTo`, `layer`,
/// `default`), in registry order.
pub fn json_table() -> String {
    serde_json::to_string_pretty(RULES).unwrap_or_default()
}
