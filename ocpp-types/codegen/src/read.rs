//! Reads the official schemas of one version into the intermediate model.

use std::collections::BTreeMap;
use std::fs;
use std::path::Path;

use serde_json::{Map, Value};

use crate::docs::VersionDocs;
use crate::ir::{Action, Enum, Field, Struct, Ty, TypeDef, Version};
use crate::names;

/// How a version lays out and names its schemas.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Layout {
    pub(crate) module: &'static str,
    pub(crate) title: &'static str,
    pub(crate) constant: &'static str,
    /// File-name suffix of request schemas (`""` for 1.6, `"Request"` for 2.0.1).
    pub(crate) request_suffix: &'static str,
}

pub(crate) const V16: Layout = Layout {
    module: "v16",
    title: "OCPP 1.6-J",
    constant: "V16",
    request_suffix: "",
};

pub(crate) const V201: Layout = Layout {
    module: "v201",
    title: "OCPP 2.0.1",
    constant: "V201",
    request_suffix: "Request",
};

pub(crate) const V21: Layout = Layout {
    module: "v21",
    title: "OCPP 2.1",
    constant: "V21",
    request_suffix: "Request",
};

/// Keywords the generator knows; any other keyword in a schema is an error, so that no
/// constraint is ever dropped unnoticed.
const KNOWN_KEYWORDS: &[&str] = &[
    "$schema",
    "$id",
    "$ref",
    "title",
    "comment",
    "description",
    "javaType",
    "definitions",
    "type",
    "properties",
    "required",
    "additionalProperties",
    "additionalItems",
    "items",
    "minItems",
    "maxItems",
    "enum",
    "maxLength",
    "format",
    "minimum",
    "maximum",
    "multipleOf",
    "default",
];

/// Enumerations whose lists differ between schema files where the errata say the longer list
/// is right: the type takes the union. 1.6 `UnitOfMeasure`: MeterValues.json lists `Hertz`,
/// StopTransaction.json does not; the OCPP 1.6 errata sheet (§3.84) makes Hertz the unit of
/// every Frequency reading, wherever it is sent.
const ERRATA_UNIONS: &[&str] = &["UnitOfMeasure"];

pub(crate) fn read_version(
    dir: &Path,
    layout: Layout,
    docs: &VersionDocs,
) -> Result<Version, String> {
    let mut actions = Vec::new();
    let mut reader = Reader {
        layout,
        draft06: false,
        docs,
        types: BTreeMap::new(),
    };
    for (name, confirmed) in action_names(dir, layout)? {
        let doc = docs.action(&name)?;
        let action = if confirmed {
            let request_file = format!("{name}{}", layout.request_suffix);
            let response_file = format!("{name}Response");
            let (request, draft) =
                reader.read_root(dir, &request_file, format!("{name}Request"))?;
            let (response, response_draft) =
                reader.read_root(dir, &response_file, format!("{name}Response"))?;
            if draft != response_draft {
                return Err(format!(
                    "{name}: request and response declare different drafts"
                ));
            }
            (request, Some(response), draft)
        } else {
            let (message, draft) = reader.read_root(dir, &name, format!("{name}Message"))?;
            (message, None, draft)
        };
        let (request, response, draft) = action;
        actions.push(Action {
            name,
            draft,
            summary: doc.summary.clone(),
            initiator: doc.from.initiator(),
            request,
            response,
        });
    }
    Ok(Version {
        module: layout.module,
        title: layout.title,
        constant: layout.constant,
        actions,
        types: reader.types,
    })
}

/// The actions of a version, sorted by name, each with whether it is confirmed: one per
/// request schema file, and (OCPP 2.1 Part 4 §4.1.3, where requests end in `Request`) one per
/// file whose name ends in neither `Request` nor `Response` — an unconfirmed message, sent as
/// SEND.
pub(crate) fn action_names(dir: &Path, layout: Layout) -> Result<Vec<(String, bool)>, String> {
    let entries = fs::read_dir(dir).map_err(|e| format!("{}: {e}", dir.display()))?;
    let mut names = Vec::new();
    for entry in entries {
        let file = entry.map_err(|e| e.to_string())?.file_name();
        let Some(stem) = file.to_str().and_then(|f| f.strip_suffix(".json")) else {
            continue;
        };
        if stem.ends_with("Response") {
            continue;
        }
        match stem.strip_suffix(layout.request_suffix) {
            Some(name) => names.push((name.to_owned(), true)),
            None => names.push((stem.to_owned(), false)),
        }
    }
    names.sort();
    Ok(names)
}

/// The drafts the generator understands.
const DRAFT04: &str = "http://json-schema.org/draft-04/schema#";
const DRAFT06: &str = "http://json-schema.org/draft-06/schema#";

struct Reader<'a> {
    layout: Layout,
    /// Whether the file being read is draft-06.
    draft06: bool,
    docs: &'a VersionDocs,
    types: BTreeMap<String, TypeDef>,
}

/// Where a schema node sits: the file and the path of member names (`[]` for array items).
#[derive(Clone, Copy)]
struct At<'a> {
    file: &'a str,
    root: &'a Value,
    path: &'a str,
}

impl Reader<'_> {
    /// Reads a payload schema; gives its struct and the draft the file declares.
    fn read_root(
        &mut self,
        dir: &Path,
        file: &str,
        name: String,
    ) -> Result<(Struct, String), String> {
        let path = dir.join(format!("{file}.json"));
        let text = fs::read_to_string(&path).map_err(|e| format!("{}: {e}", path.display()))?;
        let root: Value =
            serde_json::from_str(&text).map_err(|e| format!("{}: {e}", path.display()))?;
        let draft = match root.get("$schema").and_then(Value::as_str) {
            Some(draft @ (DRAFT04 | DRAFT06)) => draft.to_owned(),
            other => return Err(format!("{}: unsupported $schema {other:?}", path.display())),
        };
        self.draft06 = draft == DRAFT06;
        let at = At {
            file,
            root: &root,
            path: "",
        };
        Ok((self.read_struct(at, &root, name, String::new())?, draft))
    }

    fn read_struct(
        &mut self,
        at: At<'_>,
        node: &Value,
        name: String,
        doc: String,
    ) -> Result<Struct, String> {
        let object = as_object(at, node)?;
        check_keywords(at, object)?;
        if object.get("additionalProperties") != Some(&Value::Bool(false)) {
            return Err(format!(
                "{}#{}: object allows extra members",
                at.file, at.path
            ));
        }
        let required: Vec<&str> = match object.get("required") {
            Some(Value::Array(items)) => items.iter().filter_map(Value::as_str).collect(),
            _ => Vec::new(),
        };
        let mut fields = Vec::new();
        if let Some(Value::Object(properties)) = object.get("properties") {
            for (wire, property) in properties {
                let path = format!("{}/{wire}", at.path);
                let ty = self.read_ty(At { path: &path, ..at }, property, wire)?;
                // `RangedInt` reads any integral number (`7.0`), the draft-06 rule; a draft-04
                // list of bounded integers would need a plain-digits variant.
                if let Ty::Array { item, .. } = &ty {
                    if !self.draft06
                        && matches!(
                            **item,
                            Ty::Integer { min: Some(_), .. } | Ty::Integer { max: Some(_), .. }
                        )
                    {
                        return Err(format!(
                            "{}#{path}: no decoding helper for a draft-04 list of bounded integers",
                            at.file
                        ));
                    }
                }
                names::check_not_keyword(&names::field(wire))?;
                fields.push(Field {
                    wire: wire.clone(),
                    ty,
                    required: required.contains(&wire.as_str()),
                    default: property.get("default").map(Value::to_string),
                });
            }
        }
        if fields.len() > 64 {
            return Err(format!("{}#{}: more than 64 members", at.file, at.path));
        }
        for wire in &required {
            if !fields.iter().any(|f| f.wire == *wire) {
                return Err(format!(
                    "{}#{}: required member {wire} is not a property",
                    at.file, at.path
                ));
            }
        }
        Ok(Struct {
            name,
            doc,
            fields,
            draft06: self.draft06,
        })
    }

    fn read_ty(&mut self, at: At<'_>, node: &Value, member: &str) -> Result<Ty, String> {
        let object = as_object(at, node)?;
        check_keywords(at, object)?;
        if let Some(reference) = object.get("$ref").and_then(Value::as_str) {
            return self.read_ref(at, reference);
        }
        let ty = match object.get("type").and_then(Value::as_str) {
            None => Ty::Any,
            Some("string") if object.contains_key("enum") => {
                let name = self.inline_name(at, member, true)?;
                self.read_named(at, node, name)?
            }
            Some("string") => match object.get("format").and_then(Value::as_str) {
                Some("date-time") => Ty::DateTime,
                Some("uri") => Ty::Uri,
                Some(other) => {
                    return Err(format!("{}#{}: unknown format {other}", at.file, at.path))
                }
                None => Ty::String {
                    max: object
                        .get("maxLength")
                        .map(|v| as_usize(at, v))
                        .transpose()?,
                },
            },
            Some("integer") => Ty::Integer {
                min: object.get("minimum").map(|v| as_i64(at, v)).transpose()?,
                max: object.get("maximum").map(|v| as_i64(at, v)).transpose()?,
            },
            Some("number") => {
                let tenths = match object.get("multipleOf") {
                    None => false,
                    Some(v) if *v == serde_json::json!(0.1) => true,
                    Some(v) => {
                        return Err(format!(
                            "{}#{}: unsupported multipleOf {v}",
                            at.file, at.path
                        ))
                    }
                };
                let min = object.get("minimum").map(|v| as_i64(at, v)).transpose()?;
                let max = object.get("maximum").map(|v| as_i64(at, v)).transpose()?;
                match (min, max) {
                    (None, None) => Ty::Decimal { tenths },
                    _ if tenths => {
                        return Err(format!(
                            "{}#{}: bounds on a multiple of 0.1",
                            at.file, at.path
                        ))
                    }
                    (min, max) => Ty::RangedDecimal { min, max },
                }
            }
            Some("boolean") => Ty::Boolean,
            Some("object") => {
                let name = self.inline_name(at, member, false)?;
                self.read_named(at, node, name)?
            }
            Some("array") => {
                let items = object
                    .get("items")
                    .ok_or_else(|| format!("{}#{}: array without items", at.file, at.path))?;
                let path = format!("{}/[]", at.path);
                let item = self.read_ty(At { path: &path, ..at }, items, member)?;
                Ty::Array {
                    item: Box::new(item),
                    min: object
                        .get("minItems")
                        .map(|v| as_usize(at, v))
                        .transpose()?
                        .unwrap_or(0),
                    max: object
                        .get("maxItems")
                        .map(|v| as_usize(at, v))
                        .transpose()?,
                }
            }
            Some(other) => return Err(format!("{}#{}: unknown type {other}", at.file, at.path)),
        };
        Ok(ty)
    }

    fn read_ref(&mut self, at: At<'_>, reference: &str) -> Result<Ty, String> {
        let key = reference
            .strip_prefix("#/definitions/")
            .ok_or_else(|| format!("{}#{}: unsupported $ref {reference}", at.file, at.path))?;
        if key == "CustomDataType" {
            return Ok(Ty::CustomData);
        }
        let node = at
            .root
            .get("definitions")
            .and_then(|d| d.get(key))
            .ok_or_else(|| format!("{}: no definition {key}", at.file))?;
        let name = match node.get("javaType").and_then(Value::as_str) {
            Some(java) => java.to_owned(),
            None => key.strip_suffix("Type").unwrap_or(key).to_owned(),
        };
        let path = format!("#/definitions/{key}");
        self.read_named(At { path: &path, ..at }, node, name)
    }

    /// Reads an enumeration or object and registers it under `name`, or checks it against
    /// the type already registered under that name.
    fn read_named(&mut self, at: At<'_>, node: &Value, name: String) -> Result<Ty, String> {
        let doc = self.docs.type_doc(&name)?;
        let def = if let Some(Value::Array(values)) = node.get("enum") {
            let values = values
                .iter()
                .map(|v| v.as_str().map(str::to_owned))
                .collect::<Option<Vec<_>>>()
                .ok_or_else(|| format!("{}#{}: non-string enumeration value", at.file, at.path))?;
            let mut variants = Vec::new();
            for value in &values {
                let variant = names::variant(value)?;
                if variants.contains(&variant) {
                    return Err(format!(
                        "{}#{}: two values map to {variant}",
                        at.file, at.path
                    ));
                }
                variants.push(variant);
            }
            TypeDef::Enum(Enum {
                name: name.clone(),
                doc,
                values,
            })
        } else {
            TypeDef::Struct(self.read_struct(at, node, name.clone(), doc)?)
        };
        match self.types.get_mut(&name) {
            Some(TypeDef::Enum(known)) if ERRATA_UNIONS.contains(&name.as_str()) => {
                if let TypeDef::Enum(new) = def {
                    for value in new.values {
                        if !known.values.contains(&value) {
                            known.values.push(value);
                        }
                    }
                }
            }
            Some(known) if !known.same_shape(&def) => {
                return Err(format!(
                    "{}#{}: {name} differs from the {name} read before",
                    at.file, at.path
                ));
            }
            Some(_) => {}
            None => {
                self.types.insert(name.clone(), def);
            }
        }
        Ok(Ty::Named(name))
    }

    fn inline_name(&self, at: At<'_>, member: &str, is_enum: bool) -> Result<String, String> {
        if self.layout.module == "v16" {
            if let Some(name) = names::v16_inline(at.file, at.path) {
                return Ok(name.to_owned());
            }
        }
        if is_enum {
            return Err(format!(
                "{}#{}: inline enumeration without a name (names.rs)",
                at.file, at.path
            ));
        }
        Ok(names::from_member(member))
    }
}

fn as_object<'v>(at: At<'_>, node: &'v Value) -> Result<&'v Map<String, Value>, String> {
    node.as_object()
        .ok_or_else(|| format!("{}#{}: schema is not an object", at.file, at.path))
}

fn check_keywords(at: At<'_>, object: &Map<String, Value>) -> Result<(), String> {
    match object
        .keys()
        .find(|k| !KNOWN_KEYWORDS.contains(&k.as_str()))
    {
        Some(unknown) => Err(format!(
            "{}#{}: unknown keyword {unknown}",
            at.file, at.path
        )),
        None => Ok(()),
    }
}

fn as_usize(at: At<'_>, value: &Value) -> Result<usize, String> {
    value
        .as_u64()
        .and_then(|v| usize::try_from(v).ok())
        .ok_or_else(|| format!("{}#{}: {value} is not a count", at.file, at.path))
}

fn as_i64(at: At<'_>, value: &Value) -> Result<i64, String> {
    let text = value.to_string();
    let whole = text.strip_suffix(".0").unwrap_or(&text);
    whole
        .parse()
        .map_err(|_| format!("{}#{}: {value} is not a whole bound", at.file, at.path))
}
