//! `ocpp-validate diff`: what changed between two traces of the same stations — after a
//! firmware update or a CSMS release. Each trace goes through the record pipeline of `check`
//! ([`crate::check::run_reader`]) into a [`Profile`]: frames per message type and per action
//! (as rates per hour when both traces have capture times, else per 1000 records), the member
//! paths each action's requests and responses use, the values of their enumerated members
//! (which members are enumerations is read from the action's schema), CALLERROR codes,
//! `check`'s findings per rule and answer latencies per action. [`Diff::new`] compares two
//! profiles; [`Diff::judged`] marks the [`FailOn`] thresholds crossed, for CI use.
//!
//! Memory is bounded whatever the traces hold: [`MAX_ACTIONS`] actions, [`MAX_MEMBERS`]
//! paths per action and payload, [`MAX_ENUM_VALUES`] values per member, [`MAX_ERROR_CODES`]
//! codes and [`MAX_TIMED_CALLS`] CALLs awaiting their answer are kept; latencies are kept in
//! a fixed histogram whose percentiles are at most 10 % above the true value.

mod compare;
mod latency;
mod members;
mod profile;
mod table;

pub use compare::{
    Change, Diff, EnumChange, FailOn, LatencyChange, MemberChange, Side, Table, UnknownThreshold,
    FAIL_ON_NAMES, MIN_TIMED,
};
pub use latency::Percentiles;
pub use profile::{
    Profile, Profiler, MAX_ACTIONS, MAX_ENUM_VALUES, MAX_ERROR_CODES, MAX_MEMBERS, MAX_TIMED_CALLS,
    UNKNOWN_ACTION,
};
pub use table::table;
