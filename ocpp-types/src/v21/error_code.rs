//! The CALLERROR error codes of OCPP 2.1 (Part 4, §4.3 "RPC Framework Error Codes", Table 9):
//! the twelve codes of 2.0.1, unchanged; and the five message types of 2.1 (§4.1.3, Table 3).

crate::ocpp2_error_code::ocpp2_error_code!("2.1", crate::framing::MessageTypeId::ALL);
