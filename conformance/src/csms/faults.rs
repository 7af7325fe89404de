//! Deliberate misbehaviour of the reference CSMS, so that each runner check can be shown to
//! fire.

use clap::ValueEnum;

/// One way for the reference CSMS to break the protocol.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Fault {
    /// CALLERROR codes in the other version's spelling (`FormatViolation` in 1.6).
    WrongErrorCodeSpelling,
    /// Malformed frames get no CALLERROR.
    NoAnswerToMalformed,
    /// CALLRESULT payloads carry a member the schema does not define.
    SchemaInvalidResponse,
    /// CALLRESULTs carry a message id that no CALL had.
    WrongMessageId,
    /// Answers come later than the runner waits.
    SlowResponse,
    /// The handshake selects a subprotocol the station did not ask for.
    WrongSubprotocol,
    /// The handshake selects no subprotocol.
    NoSubprotocol,
    /// A CALLRESULT answering nothing follows every answer.
    UnsolicitedCallResult,
    /// Every answer is preceded by bytes that are not JSON.
    GarbageBytes,
    /// Answers go out as binary frames.
    BinaryFrames,
    /// A 50 MB text frame precedes every answer.
    HugeFrame,
    /// CALLs are never answered.
    NeverAnswer,
    /// The connection is closed on the second CALL.
    CloseMidScenario,
    /// Every CALL is answered twice.
    AnswerTwice,
    /// Two thousand frames that are not JSON precede every answer.
    FloodGarbage,
    /// Two hundred CSMS CALLs precede every answer.
    FloodCalls,
}

/// How many frames the flooding faults send per answer.
pub(super) const FLOOD_GARBAGE: usize = 2_000;

/// How many CALLs [`Fault::FloodCalls`] sends per answer.
pub(super) const FLOOD_CALLS: usize = 200;

/// How long [`Fault::SlowResponse`] delays an answer, in milliseconds.
pub const SLOW_MS: u64 = 6_000;

/// The other version's spelling of a CALLERROR code where the versions differ; other codes as they are.
pub(super) fn misspell(code: &str) -> &str {
    match code {
        "FormationViolation" => "FormatViolation",
        "FormatViolation" => "FormationViolation",
        "OccurenceConstraintViolation" => "OccurrenceConstraintViolation",
        "OccurrenceConstraintViolation" => "OccurenceConstraintViolation",
        "RpcFrameworkError" => "FormationViolation",
        other => other,
    }
}
