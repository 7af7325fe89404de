//! The tolerant decoder: accepts the recurring vendor deviations from the OCPP schemas and
//! reports every one of them.
//!
//! Decoding parses to JSON, applies the named rules of [`RULES`] that the [`Policy`] allows
//! (frame rules on the OCPP-J array, then payload rules guided by the action's schema), and
//! decodes the result strictly. Valid input takes the strict path alone and yields no
//! deviations.
//!
//! ```
//! use ocpp_model::OcppVersion;
//! use ocpp_validate::tolerant::{decode_payload, Policy};
//! use ocpp_validate::PayloadKind;
//!
//! let payload = serde_json::json!({"id_tag": "04A2B3C4", "info": null});
//! let decoded = decode_payload(OcppVersion::V16, "Authorize", PayloadKind::Request, payload, &Policy::default())?;
//! assert!(decoded.message.is_ok());
//! let rules: Vec<_> = decoded.repairs.iter().map(|d| d.rule.id()).collect();
//! assert_eq!(rules, ["any.snake-case-keys", "any.unknown-member"]);
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

mod date_time;
mod decoder;
mod log;
mod policy;
mod repair;
mod rules;
mod schema;
mod values;

pub use decoder::{decode_frame, decode_payload, normalize_payload, Decoded, DecodedFrame};
pub use policy::{Policy, ProfileError, PROFILES};
pub use repair::{report, Repair};
pub use rules::{json_table, markdown_table, Layer, Rule, RuleId, Verdict, RULES};
