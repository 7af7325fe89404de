//! How the types meet JSON: the serde glue the generated code uses ([`de`]), validation while
//! reading without building values ([`check`]), and decoding payloads into types ([`decode`]).

pub(crate) mod check;
pub(crate) mod de;
pub(crate) mod decode;
