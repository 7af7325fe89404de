//! Deliberate misbehaviour of the reference CSMS, so that each runner check can be shown to
//! fire.

/// One way for the reference CSMS to break the protocol.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
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
    /// A SEND is answered like a CALL (OCPP 2.1).
    AnswerSend,
    /// A CALLRESULT that fails its schema gets no CALLRESULTERROR (OCPP 2.1).
    NoResultError,
    /// Every BootNotification, token and DataTransfer vendor is accepted.
    AcceptEverything,
    /// The CSMS's own CALLs go out with an empty payload.
    EmptyCallPayload,
}

impl Fault {
    /// Every fault, in the order the command line lists them.
    pub const ALL: &'static [Fault] = &[
        Fault::WrongErrorCodeSpelling,
        Fault::NoAnswerToMalformed,
        Fault::SchemaInvalidResponse,
        Fault::WrongMessageId,
        Fault::SlowResponse,
        Fault::WrongSubprotocol,
        Fault::NoSubprotocol,
        Fault::UnsolicitedCallResult,
        Fault::GarbageBytes,
        Fault::BinaryFrames,
        Fault::HugeFrame,
        Fault::NeverAnswer,
        Fault::CloseMidScenario,
        Fault::AnswerTwice,
        Fault::FloodGarbage,
        Fault::FloodCalls,
        Fault::AnswerSend,
        Fault::NoResultError,
        Fault::AcceptEverything,
        Fault::EmptyCallPayload,
    ];

    /// The fault's name on the command line (`--fault answer-twice`).
    pub fn name(self) -> &'static str {
        match self {
            Fault::WrongErrorCodeSpelling => "wrong-error-code-spelling",
            Fault::NoAnswerToMalformed => "no-answer-to-malformed",
            Fault::SchemaInvalidResponse => "schema-invalid-response",
            Fault::WrongMessageId => "wrong-message-id",
            Fault::SlowResponse => "slow-response",
            Fault::WrongSubprotocol => "wrong-subprotocol",
            Fault::NoSubprotocol => "no-subprotocol",
            Fault::UnsolicitedCallResult => "unsolicited-call-result",
            Fault::GarbageBytes => "garbage-bytes",
            Fault::BinaryFrames => "binary-frames",
            Fault::HugeFrame => "huge-frame",
            Fault::NeverAnswer => "never-answer",
            Fault::CloseMidScenario => "close-mid-scenario",
            Fault::AnswerTwice => "answer-twice",
            Fault::FloodGarbage => "flood-garbage",
            Fault::FloodCalls => "flood-calls",
            Fault::AnswerSend => "answer-send",
            Fault::NoResultError => "no-result-error",
            Fault::AcceptEverything => "accept-everything",
            Fault::EmptyCallPayload => "empty-call-payload",
        }
    }

    /// One line on what the fault does, for help texts.
    pub fn summary(self) -> &'static str {
        match self {
            Fault::WrongErrorCodeSpelling => {
                "CALLERROR codes in the other version's spelling (`FormatViolation` in 1.6)"
            }
            Fault::NoAnswerToMalformed => "Malformed frames get no CALLERROR",
            Fault::SchemaInvalidResponse => {
                "CALLRESULT payloads carry a member the schema does not define"
            }
            Fault::WrongMessageId => "CALLRESULTs carry a message id that no CALL had",
            Fault::SlowResponse => "Answers come later than the runner waits",
            Fault::WrongSubprotocol => {
                "The handshake selects a subprotocol the station did not ask for"
            }
            Fault::NoSubprotocol => "The handshake selects no subprotocol",
            Fault::UnsolicitedCallResult => "A CALLRESULT answering nothing follows every answer",
            Fault::GarbageBytes => "Every answer is preceded by bytes that are not JSON",
            Fault::BinaryFrames => "Answers go out as binary frames",
            Fault::HugeFrame => "A 50 MB text frame precedes every answer",
            Fault::NeverAnswer => "CALLs are never answered",
            Fault::CloseMidScenario => "The connection is closed on the second CALL",
            Fault::AnswerTwice => "Every CALL is answered twice",
            Fault::FloodGarbage => "Two thousand frames that are not JSON precede every answer",
            Fault::FloodCalls => "Two hundred CSMS CALLs precede every answer",
            Fault::AnswerSend => "A SEND is answered like a CALL (OCPP 2.1)",
            Fault::NoResultError => {
                "A CALLRESULT that fails its schema gets no CALLRESULTERROR (OCPP 2.1)"
            }
            Fault::AcceptEverything => {
                "Every BootNotification, token and DataTransfer vendor is accepted"
            }
            Fault::EmptyCallPayload => "The CSMS's own CALLs go out with an empty payload",
        }
    }
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
