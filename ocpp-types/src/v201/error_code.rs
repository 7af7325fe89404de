//! The CALLERROR error codes of OCPP 2.0.1 (Part 4, §4.3 "RPC Framework Error Codes").

crate::ocpp2_error_code::ocpp2_error_code!(
    "2.0.1",
    &[
        crate::framing::MessageTypeId::Call,
        crate::framing::MessageTypeId::CallResult,
        crate::framing::MessageTypeId::CallError,
    ]
);
