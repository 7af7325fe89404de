//! Rust names for schema things: identifiers, and the OCPP 1.6 names of inline types.

use heck::{ToSnakeCase, ToUpperCamelCase};

/// Names of the types the 1.6 schemas define inline, as the 1.6 specification names them.
/// A key is either `File#/path` (one place) or `*/tail` (every path ending so).
const V16_INLINE: &[(&str, &str)] = &[
    ("*/idTagInfo/status", "AuthorizationStatus"),
    ("BootNotificationResponse#/status", "RegistrationStatus"),
    (
        "CancelReservationResponse#/status",
        "CancelReservationStatus",
    ),
    ("ChangeAvailability#/type", "AvailabilityType"),
    ("ChangeAvailabilityResponse#/status", "AvailabilityStatus"),
    ("ChangeConfigurationResponse#/status", "ConfigurationStatus"),
    ("ClearCacheResponse#/status", "ClearCacheStatus"),
    ("*/chargingProfilePurpose", "ChargingProfilePurposeType"),
    (
        "ClearChargingProfileResponse#/status",
        "ClearChargingProfileStatus",
    ),
    ("DataTransferResponse#/status", "DataTransferStatus"),
    ("DiagnosticsStatusNotification#/status", "DiagnosticsStatus"),
    ("FirmwareStatusNotification#/status", "FirmwareStatus"),
    ("*/chargingRateUnit", "ChargingRateUnitType"),
    (
        "GetCompositeScheduleResponse#/status",
        "GetCompositeScheduleStatus",
    ),
    ("GetConfigurationResponse#/configurationKey/[]", "KeyValue"),
    ("*/meterValue/[]", "MeterValue"),
    // StopTransaction.json lets a transactionData entry carry no sampled value, where
    // MeterValues.json requires at least one: two types keep both rules exact.
    ("*/transactionData/[]", "TransactionData"),
    ("*/sampledValue/[]/context", "ReadingContext"),
    ("*/sampledValue/[]/format", "ValueFormat"),
    ("*/sampledValue/[]/measurand", "Measurand"),
    ("*/sampledValue/[]/phase", "Phase"),
    ("*/sampledValue/[]/location", "Location"),
    ("*/sampledValue/[]/unit", "UnitOfMeasure"),
    ("*/csChargingProfiles", "ChargingProfile"),
    ("*/chargingProfileKind", "ChargingProfileKindType"),
    ("*/recurrencyKind", "RecurrencyKindType"),
    (
        "RemoteStartTransactionResponse#/status",
        "RemoteStartStopStatus",
    ),
    (
        "RemoteStopTransactionResponse#/status",
        "RemoteStartStopStatus",
    ),
    ("ReserveNowResponse#/status", "ReservationStatus"),
    ("Reset#/type", "ResetType"),
    ("ResetResponse#/status", "ResetStatus"),
    (
        "SendLocalList#/localAuthorizationList/[]",
        "AuthorizationData",
    ),
    ("SendLocalList#/updateType", "UpdateType"),
    ("SendLocalListResponse#/status", "UpdateStatus"),
    (
        "SetChargingProfileResponse#/status",
        "ChargingProfileStatus",
    ),
    ("StatusNotification#/errorCode", "ChargePointErrorCode"),
    ("StatusNotification#/status", "ChargePointStatus"),
    ("StopTransaction#/reason", "Reason"),
    ("TriggerMessage#/requestedMessage", "MessageTrigger"),
    ("TriggerMessageResponse#/status", "TriggerMessageStatus"),
    ("UnlockConnectorResponse#/status", "UnlockStatus"),
];

/// The name of an inline 1.6 type at `path` of `file`, from the table.
pub(crate) fn v16_inline(file: &str, path: &str) -> Option<&'static str> {
    V16_INLINE.iter().find_map(|(key, name)| {
        let hit = match key.strip_prefix('*') {
            Some(tail) => path.ends_with(tail),
            None => key.split_once('#') == Some((file, path)),
        };
        hit.then_some(*name)
    })
}

/// An object's default name: its member name in upper camel case.
pub(crate) fn from_member(member: &str) -> String {
    member.to_upper_camel_case()
}

/// The Rust field name of a JSON member.
pub(crate) fn field(wire: &str) -> String {
    match wire {
        "type" => "kind".to_owned(),
        _ => wire.replace("SoC", "Soc").to_snake_case(),
    }
}

/// The Rust variant name of an enumeration value: kept as is when it already is an upper
/// camel case identifier (`ISO14443`, `SoC`), otherwise its alphanumeric runs capitalised and
/// joined (`Energy.Active.Import.Register` → `EnergyActiveImportRegister`, `kWh` → `KWh`).
pub(crate) fn variant(value: &str) -> Result<String, String> {
    let ident: String = value
        .split(|c: char| !c.is_ascii_alphanumeric())
        .map(|part| {
            let mut chars = part.chars();
            chars
                .next()
                .map(|first| first.to_ascii_uppercase().to_string() + chars.as_str())
                .unwrap_or_default()
        })
        .collect();
    match ident.chars().next() {
        Some(c) if c.is_ascii_uppercase() => Ok(ident),
        _ => Err(format!(
            "enumeration value {value:?} has no usable identifier"
        )),
    }
}

/// The file (module) name of a type or action.
pub(crate) fn module(name: &str) -> String {
    name.replace("SoC", "Soc").to_snake_case()
}

const KEYWORDS: &[&str] = &[
    "as", "async", "await", "box", "break", "const", "continue", "crate", "dyn", "else", "enum",
    "extern", "false", "fn", "for", "if", "impl", "in", "let", "loop", "match", "mod", "move",
    "mut", "pub", "ref", "return", "self", "static", "struct", "super", "trait", "true", "try",
    "type", "unsafe", "use", "where", "while", "yield",
];

/// Fails on a Rust keyword, so that no generated name needs a raw identifier.
pub(crate) fn check_not_keyword(ident: &str) -> Result<(), String> {
    if KEYWORDS.contains(&ident) {
        Err(format!(
            "{ident:?} is a Rust keyword; add a name for it in names.rs"
        ))
    } else {
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn variants_keep_identifiers_and_join_punctuated_values() {
        assert_eq!(variant("ISO14443").as_deref(), Ok("ISO14443"));
        assert_eq!(variant("SoC").as_deref(), Ok("SoC"));
        assert_eq!(variant("eMAID").as_deref(), Ok("EMAID"));
        assert_eq!(variant("kWh").as_deref(), Ok("KWh"));
        assert_eq!(variant("L1-N").as_deref(), Ok("L1N"));
        assert_eq!(
            variant("Energy.Active.Import.Register").as_deref(),
            Ok("EnergyActiveImportRegister")
        );
        assert!(variant("15118").is_err());
        assert!(variant("").is_err());
    }

    #[test]
    fn fields_are_snake_case_and_never_keywords() {
        assert_eq!(field("idTag"), "id_tag");
        assert_eq!(field("fullSoC"), "full_soc");
        assert_eq!(field("type"), "kind");
        assert!(check_not_keyword("ref").is_err());
        assert!(check_not_keyword("kind").is_ok());
    }

    #[test]
    fn inline_names_match_a_whole_path_or_a_tail() {
        assert_eq!(v16_inline("ResetResponse", "/status"), Some("ResetStatus"));
        assert_eq!(
            v16_inline("CancelReservationResponse", "/status"),
            Some("CancelReservationStatus")
        );
        assert_eq!(
            v16_inline("AuthorizeResponse", "/idTagInfo/status"),
            Some("AuthorizationStatus")
        );
        assert_eq!(v16_inline("Authorize", "/status"), None);
    }
}
