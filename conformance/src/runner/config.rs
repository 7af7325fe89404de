//! What a run needs besides the scenarios.

use std::time::Duration;

use crate::capture::CaptureFile;
use crate::config::TestEnv;
use crate::runner::{Trigger, TRIGGER_TIMEOUT};
use crate::transport::Target;

/// Everything a run needs besides the scenarios.
#[derive(Debug)]
#[non_exhaustive]
pub struct RunConfig {
    /// Where the CSMS is.
    pub target: Target,
    /// Identity for cases that name none.
    pub identity: String,
    /// How to trigger CSMS-initiated CALLs.
    pub trigger: Trigger,
    /// How long one trigger may run before it is stopped and reported.
    pub trigger_timeout: Duration,
    /// Whether the CSMS answers BootNotification by identity suffix.
    pub boot_by_identity: bool,
    /// What the CSMS is provisioned with: identities, tokens, credentials, default answers.
    pub env: TestEnv,
    /// Whether warnings fail a case too.
    pub strict: bool,
    /// Where every frame sent and received is written as Open OCPP Trace, if anywhere.
    pub capture: Option<CaptureFile>,
}

impl Default for RunConfig {
    fn default() -> Self {
        Self {
            target: Target::default(),
            identity: String::new(),
            trigger: Trigger::None,
            trigger_timeout: TRIGGER_TIMEOUT,
            boot_by_identity: false,
            env: TestEnv::default(),
            strict: false,
            capture: None,
        }
    }
}

impl RunConfig {
    /// A run against `target` as `identity`, with no trigger, the default trigger timeout,
    /// the built-in test environment and no capture; set the other fields as needed.
    pub fn new(target: Target, identity: impl Into<String>) -> Self {
        Self {
            target,
            identity: identity.into(),
            ..Self::default()
        }
    }

    /// Where a station called `identity` connects: the target, with the test environment's
    /// Basic credentials for it when it has some.
    pub(crate) fn target_for(&self, identity: &str) -> Target {
        let mut target = self.target.clone();
        if let Some(basic) = self.env.basic_for(identity) {
            target.basic = Some(basic);
        }
        target
    }

    /// A run against an in-process reference CSMS, with its trigger hook, as `identity`.
    pub fn reference(csms: std::sync::Arc<crate::csms::Csms>, identity: &str) -> Self {
        Self {
            trigger: Trigger::InProcess(csms.clone()),
            boot_by_identity: true,
            ..Self::new(Target::new(csms.url()), identity)
        }
    }
}
