//! Member-name spelling shared by the readers and the tolerant rules.

/// The camelCase form of a snake_case name: `reservation_id` → `reservationId`. A leading
/// underscore is kept, since no OCPP member starts with one.
pub(crate) fn camel_case(name: &str) -> String {
    let mut out = String::with_capacity(name.len());
    let mut upper = false;
    for c in name.chars() {
        if c == '_' && !out.is_empty() {
            upper = true;
        } else if upper {
            out.extend(c.to_uppercase());
            upper = false;
        } else {
            out.push(c);
        }
    }
    out
}
