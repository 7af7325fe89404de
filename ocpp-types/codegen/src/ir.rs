//! The intermediate model the generator builds from the schemas and writes Rust from.

use std::collections::BTreeMap;

/// One OCPP version's actions and the named types they use.
#[derive(Debug)]
pub(crate) struct Version {
    /// Module name: `v16` or `v201`.
    pub(crate) module: &'static str,
    /// Human name: `OCPP 1.6-J` or `OCPP 2.0.1`.
    pub(crate) title: &'static str,
    /// Constant of `ocpp_model::OcppVersion`.
    pub(crate) constant: &'static str,
    pub(crate) actions: Vec<Action>,
    pub(crate) types: BTreeMap<String, TypeDef>,
}

/// Who sends the CALL of an action.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Initiator {
    ChargingStation,
    Csms,
    Either,
}

#[derive(Debug)]
pub(crate) struct Action {
    pub(crate) name: String,
    /// The `$schema` both of the action's schema files declare.
    pub(crate) draft: String,
    pub(crate) summary: String,
    pub(crate) initiator: Initiator,
    pub(crate) request: Struct,
    /// `None` for an unconfirmed action (OCPP 2.1's SEND): its one schema file is the message.
    pub(crate) response: Option<Struct>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum TypeDef {
    Struct(Struct),
    Enum(Enum),
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Struct {
    pub(crate) name: String,
    pub(crate) doc: String,
    pub(crate) fields: Vec<Field>,
    /// Whether the schema that defines it is JSON Schema draft-06, where an integer is any
    /// integral number (`1.0` included), rather than draft-04 (plain digits only).
    pub(crate) draft06: bool,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Field {
    pub(crate) wire: String,
    pub(crate) ty: Ty,
    pub(crate) required: bool,
    /// The schema's `default`, as JSON text, when it gives one.
    pub(crate) default: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Enum {
    pub(crate) name: String,
    pub(crate) doc: String,
    pub(crate) values: Vec<String>,
}

/// The type of a member.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Ty {
    String {
        max: Option<usize>,
    },
    Uri,
    DateTime,
    Integer {
        min: Option<i64>,
        max: Option<i64>,
    },
    Decimal {
        tenths: bool,
    },
    /// A decimal with a whole `minimum` and/or `maximum` (OCPP 2.1).
    RangedDecimal {
        min: Option<i64>,
        max: Option<i64>,
    },
    Boolean,
    Any,
    CustomData,
    Named(String),
    Array {
        item: Box<Ty>,
        min: usize,
        max: Option<usize>,
    },
}

impl TypeDef {
    pub(crate) fn name(&self) -> &str {
        match self {
            TypeDef::Struct(s) => &s.name,
            TypeDef::Enum(e) => &e.name,
        }
    }

    /// Equality of everything that reaches the wire (the docs may differ).
    pub(crate) fn same_shape(&self, other: &TypeDef) -> bool {
        match (self, other) {
            (TypeDef::Struct(a), TypeDef::Struct(b)) => {
                a.fields == b.fields && a.draft06 == b.draft06
            }
            (TypeDef::Enum(a), TypeDef::Enum(b)) => a.values == b.values,
            _ => false,
        }
    }
}
