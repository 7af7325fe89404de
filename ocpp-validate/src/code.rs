//! Which CALLERROR code each kind of violation calls for, in each version's spelling.
//!
//! OCPP-J 1.6 §4.2.3 (Table 7) and OCPP 2.0.1 Part 4 §4.3 (Table 8) define the codes in a
//! sentence each, and implementations disagree on how schema failures map onto them. This
//! crate uses one mapping, chosen from those definitions:
//!
//! | violation | 1.6 | 2.0.1 | why |
//! |---|---|---|---|
//! | text is not JSON; payload or details not an object | `FormationViolation` | `FormatViolation` | syntactically incorrect |
//! | frame not an array, empty, wrong element count, id or action of the wrong type, id over 36 characters | `FormationViolation` | `RpcFrameworkError` | 1.6: not the PDU structure; 2.0.1: not a valid RPC request |
//! | unknown message type id | none: 1.6 §4.1.3 says to ignore the message | `MessageTypeNotSupported` | Part 4 §4.4 |
//! | action unknown to the version | `NotImplemented` | `NotImplemented` | not known by the receiver |
//! | action of the version that this side does not accept (sent the wrong way) | `NotSupported` | `NotSupported` | recognised but not supported |
//! | a required member is missing; too few or too many items | `OccurenceConstraintViolation` | `OccurrenceConstraintViolation` | the member's cardinality (1..1, 1..*) is violated |
//! | a member the schema does not define | `FormationViolation` | `ProtocolError` | the payload does not have the action's PDU structure |
//! | wrong JSON type (including `null`) | `TypeConstraintViolation` | `TypeConstraintViolation` | data type constraint, the tables' own example |
//! | value outside the enumeration, string too long, bad date-time or URI, number out of range or not a multiple | `PropertyConstraintViolation` | `PropertyConstraintViolation` | the field holds an invalid value |
//! | a value the schema allows but 64-bit integers or 96-bit decimals cannot hold | `GenericError` | `GenericError` | an implementation limit, not a spec rule |
//!
//! 1.6's `ProtocolError` ("payload incomplete") is not used: a missing member is reported by
//! its cardinality, as 2.0.1 does, so both versions answer the same violation the same way.
//!
//! OCPP 2.1 has 2.0.1's table (Part 4 §4.3, Table 9) and is mapped as 2.0.1 is, with two
//! differences in who is answered: an unknown message type gets no answer (§4.4: the
//! receiver ignores it, where 2.0.1 §4.4 answers `MessageTypeNotSupported`), and a CALLRESULT
//! that breaks the rules is answered with a CALLRESULTERROR carrying the code (§4.2.3).

use ocpp_model::framing::RpcErrorCode;
use ocpp_model::v21;
use ocpp_model::{v16, v201, AnyErrorCode, OcppVersion};

/// The classes of the table above.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub(crate) enum Class {
    Syntax,
    Rpc,
    UnknownMessageType,
    UnknownAction,
    WrongWay,
    Occurrence,
    Structure,
    Type,
    Property,
    Limit,
}

/// The code for a class of violation in `version`. For an unknown message type 1.6 asks for
/// no answer at all; the frame check says so, and this gives 1.6's nearest code.
pub(crate) fn code(version: OcppVersion, class: Class) -> AnyErrorCode {
    use v16::ErrorCode as C16;
    use v201::ErrorCode as C201;
    match version {
        OcppVersion::V16 => AnyErrorCode::V16(match class {
            Class::Syntax | Class::Rpc | Class::Structure | Class::UnknownMessageType => {
                C16::FormationViolation
            }
            Class::UnknownAction => C16::NotImplemented,
            Class::WrongWay => C16::NotSupported,
            Class::Occurrence => C16::OccurenceConstraintViolation,
            Class::Type => C16::TypeConstraintViolation,
            Class::Property => C16::PropertyConstraintViolation,
            Class::Limit => C16::GenericError,
        }),
        OcppVersion::V201 => AnyErrorCode::V201(match class {
            Class::Syntax => C201::FormatViolation,
            Class::Rpc => C201::RpcFrameworkError,
            Class::UnknownMessageType => C201::MessageTypeNotSupported,
            Class::UnknownAction => C201::NotImplemented,
            Class::WrongWay => C201::NotSupported,
            Class::Occurrence => C201::OccurrenceConstraintViolation,
            Class::Structure => C201::ProtocolError,
            Class::Type => C201::TypeConstraintViolation,
            Class::Property => C201::PropertyConstraintViolation,
            Class::Limit => C201::GenericError,
        }),
        OcppVersion::V21 => {
            use v21::ErrorCode as C21;
            AnyErrorCode::V21(match class {
                Class::Syntax => C21::FormatViolation,
                Class::Rpc => C21::RpcFrameworkError,
                Class::UnknownMessageType => C21::MessageTypeNotSupported,
                Class::UnknownAction => C21::NotImplemented,
                Class::WrongWay => C21::NotSupported,
                Class::Occurrence => C21::OccurrenceConstraintViolation,
                Class::Structure => C21::ProtocolError,
                Class::Type => C21::TypeConstraintViolation,
                Class::Property => C21::PropertyConstraintViolation,
                Class::Limit => C21::GenericError,
            })
        }
    }
}

/// Whether a frame of an unknown message type is answered (with the version's code for
/// [`Class::UnknownMessageType`]): OCPP 2.0.1 Part 4 §4.4 answers `MessageTypeNotSupported`;
/// OCPP-J 1.6 §4.1.3 and OCPP 2.1 Part 4 §4.4 ignore the message.
pub(crate) fn answers_unknown_message_type(version: OcppVersion) -> bool {
    match version {
        OcppVersion::V16 => false,
        OcppVersion::V201 => true,
        OcppVersion::V21 => false,
    }
}

/// The 1.6 spellings of codes that OCPP 2.0.1 and 2.1 spell otherwise, with theirs.
const SPELLINGS_OF_1_6: &[(&str, &str)] = &[
    ("FormationViolation", "FormatViolation"),
    (
        "OccurenceConstraintViolation",
        "OccurrenceConstraintViolation",
    ),
];

/// The version's spelling of an error code written as the other version spells it.
pub(crate) fn other_version_code(version: OcppVersion, code: &str) -> Option<&'static str> {
    let (table, known): (&[(&str, &'static str)], bool) = match version {
        OcppVersion::V16 => (
            &[
                ("FormatViolation", "FormationViolation"),
                (
                    "OccurrenceConstraintViolation",
                    "OccurenceConstraintViolation",
                ),
                ("RpcFrameworkError", "FormationViolation"),
            ],
            v16::ErrorCode::from_wire(code).is_some(),
        ),
        OcppVersion::V201 => (SPELLINGS_OF_1_6, v201::ErrorCode::from_wire(code).is_some()),
        OcppVersion::V21 => (SPELLINGS_OF_1_6, v21::ErrorCode::from_wire(code).is_some()),
    };
    if known {
        return None;
    }
    table
        .iter()
        .find(|(other, _)| *other == code)
        .map(|(_, ours)| *ours)
}

/// What the message of an unknown CALLERROR code adds: the version's own spelling when the
/// code is the other version's, else the version's codes; and that `--tolerant` reads the
/// other version's spelling.
pub(crate) fn unknown_code_hint(version: OcppVersion, code: &str) -> String {
    let other = match version {
        OcppVersion::V16 => OcppVersion::V201,
        OcppVersion::V201 => OcppVersion::V16,
        OcppVersion::V21 => OcppVersion::V16,
    };
    if let Some(ours) = other_version_code(version, code) {
        return format!(
            "{code:?} is an OCPP {other} code, OCPP {version}'s counterpart is {ours:?} \
             (--tolerant accepts it: frame.error-code-other-version)"
        );
    }
    let codes: Vec<&str> = match version {
        OcppVersion::V16 => v16::ErrorCode::ALL.iter().map(|c| c.as_str()).collect(),
        OcppVersion::V201 => v201::ErrorCode::ALL.iter().map(|c| c.as_str()).collect(),
        OcppVersion::V21 => v21::ErrorCode::ALL.iter().map(|c| c.as_str()).collect(),
    };
    format!("OCPP {version} knows {}", codes.join(", "))
}
