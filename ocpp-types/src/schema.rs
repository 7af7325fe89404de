//! JSON schemas of the typed payloads (`schemars` feature), written in the JSON Schema draft
//! the official schema of the same action declares: draft-04 for the 1.6 core actions,
//! draft-06 for the 1.6 security extension and for 2.0.1. The draft matters: draft-04 counts
//! only plain digits as an integer, draft-06 any integral number, and the types follow the
//! rule of their action's draft.

use schemars::generate::SchemaSettings;
use schemars::transform::{transform_subschemas, Transform};
use schemars::{Schema, SchemaGenerator};

/// A schema generator writing `draft` (a `$schema` URI) that the payload types' schemas
/// are made with (see [`v16::Request::json_schema`](crate::v16::Request::json_schema)).
pub(crate) fn generator(draft: &'static str) -> SchemaGenerator {
    let mut settings = SchemaSettings::draft07();
    settings.meta_schema = Some(draft.into());
    settings.transforms.push(Box::new(PlainDescriptions));
    settings.into_generator()
}

/// Turns the rustdoc links of the doc comments (``[`IdTagInfo`](datatypes::IdTagInfo)``)
/// into plain code spans in schema descriptions.
#[derive(Debug, Clone, Copy)]
struct PlainDescriptions;

impl Transform for PlainDescriptions {
    fn transform(&mut self, schema: &mut Schema) {
        if let Some(serde_json::Value::String(text)) = schema.get_mut("description") {
            *text = strip_links(text);
        }
        transform_subschemas(self, schema);
    }
}

fn strip_links(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(start) = rest.find("[`") {
        let Some(close) = rest[start..].find("`](").map(|i| start + i) else {
            break;
        };
        let Some(end) = rest[close..].find(')').map(|i| close + i) else {
            break;
        };
        out.push_str(&rest[..start]);
        out.push_str(&rest[start + 1..close + 1]);
        rest = &rest[end + 1..];
    }
    out.push_str(rest);
    out
}

#[cfg(test)]
mod tests {
    #[test]
    fn links_become_code_spans() {
        assert_eq!(
            super::strip_links("`a`, optional: see [`IdTagInfo`](datatypes::IdTagInfo)."),
            "`a`, optional: see `IdTagInfo`."
        );
        assert_eq!(super::strip_links("no [link here"), "no [link here");
    }
}
