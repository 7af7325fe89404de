//! The record pipeline of `ocpp-validate check` and `summary`: reads an input record by
//! record, decodes each frame (strictly, or tolerantly under a policy), pairs responses with
//! calls per charge point, follows the semantic rules on the frame as decoded (the repaired
//! one when the tolerant decoder repaired it), and hands each [`Event`] — a finding, or with
//! [`CheckOptions::facts`] the records and facts `summary` reads — to a sink as it comes, so
//! memory does not grow with the size of the input.

use std::io::{self, BufRead, Read};

use ocpp_model::OcppVersion;

use crate::finding::{Category, Finding, Position, Severity};
use crate::recent::Recent;
use crate::semantic;
use crate::tolerant::Policy;
use crate::trace::{decompressed, Columns, Decoder, InputFormat, LineReader, DEFAULT_MAX_LINE};
use parallel::Pool;
use state::{ChargePointState, Rules};
use version::{Step, Versions};

mod event;
mod parallel;
mod state;
mod version;

pub use crate::counts::Counts;
pub use event::{Event, FrameRead, Heard};

/// How to check.
#[derive(Debug, Clone)]
#[non_exhaustive]
pub struct CheckOptions {
    /// The version of records that do not name theirs; `None` guesses it from the input.
    pub version: Option<OcppVersion>,
    /// The longest line read, in bytes.
    pub max_line: usize,
    /// The input format; `None` detects it from the first line.
    pub input: Option<InputFormat>,
    /// The column names of data-lake exports.
    pub columns: Columns,
    /// Worker threads checking records; 1 checks on the calling thread. Records are spread
    /// over the workers by charge point, and findings come out in the same order either way.
    pub jobs: usize,
    /// The semantic rules' settings; `None` turns them off.
    pub semantic: Option<semantic::Config>,
    /// Decode tolerantly under this policy (`--tolerant`); `None` checks strictly.
    pub tolerant: Option<Policy>,
    /// How many charge points have state kept at once: when one more is heard from, the
    /// state of the one heard from longest ago is dropped (`state-evicted`).
    pub max_charge_points: usize,
    /// Also give out an [`Event::Record`] per readable record and the semantic rules'
    /// [`Event::Fact`]s (what `summary` reads); only findings otherwise.
    pub facts: bool,
    /// Also give out an [`Event::Record`] per record and an [`Event::Paired`] per frame whose
    /// message type and id can be read (what the consumer view reads).
    pub pairings: bool,
    /// Also give out an [`Event::Record`] per record and an [`Event::Frame`] per record whose
    /// frame is JSON: the frame as decoded, repaired under `tolerant` (what `diff` reads).
    pub frames: bool,
}

impl Default for CheckOptions {
    fn default() -> Self {
        Self {
            version: None,
            max_line: DEFAULT_MAX_LINE,
            input: None,
            columns: Columns::default(),
            jobs: 1,
            semantic: Some(semantic::Config::default()),
            tolerant: None,
            max_charge_points: DEFAULT_MAX_CHARGE_POINTS,
            facts: false,
            pairings: false,
            frames: false,
        }
    }
}

impl CheckOptions {
    /// These options with the version of records that do not name theirs (`None` guesses it).
    pub fn with_version(self, version: Option<OcppVersion>) -> Self {
        Self { version, ..self }
    }

    /// These options with the longest line read, in bytes.
    pub fn with_max_line(self, max_line: usize) -> Self {
        Self { max_line, ..self }
    }

    /// These options with the input format (`None` detects it).
    pub fn with_input(self, input: Option<InputFormat>) -> Self {
        Self { input, ..self }
    }

    /// These options with the column names of data-lake exports.
    pub fn with_columns(self, columns: Columns) -> Self {
        Self { columns, ..self }
    }

    /// These options with the number of worker threads.
    pub fn with_jobs(self, jobs: usize) -> Self {
        Self { jobs, ..self }
    }

    /// These options with the semantic rules' settings (`None` turns them off).
    pub fn with_semantic(self, semantic: Option<semantic::Config>) -> Self {
        Self { semantic, ..self }
    }

    /// These options with the tolerant policy (`None` checks strictly).
    pub fn with_tolerant(self, tolerant: Option<Policy>) -> Self {
        Self { tolerant, ..self }
    }

    /// These options with how many charge points have state kept at once.
    pub fn with_max_charge_points(self, max_charge_points: usize) -> Self {
        Self {
            max_charge_points,
            ..self
        }
    }

    /// These options with whether records and facts are given out beside findings.
    pub fn with_facts(self, facts: bool) -> Self {
        Self { facts, ..self }
    }

    /// These options with whether records and each frame's part in pairing are given out.
    pub fn with_pairings(self, pairings: bool) -> Self {
        Self { pairings, ..self }
    }

    /// These options with whether records and their frames as decoded are given out.
    pub fn with_frames(self, frames: bool) -> Self {
        Self { frames, ..self }
    }

    /// What each charge point's [`ChargePointState`] applies.
    fn rules(&self) -> Rules {
        Rules {
            semantic: self.semantic,
            tolerant: self.tolerant,
            max_charge_points: self.max_charge_points,
            facts: self.facts,
            pairings: self.pairings,
            frames: self.frames,
        }
    }
}

/// An input that could not be read to its end. What was read before is checked and its
/// findings given out, as if the input ended there; `summary` counts them.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub struct ReadError {
    /// The line being read when reading failed (1-based); `None` when the input could not
    /// be opened.
    pub line: Option<usize>,
    /// The counts of what was read before.
    pub counts: Counts,
    /// Why reading failed.
    #[source]
    pub source: io::Error,
}

impl std::fmt::Display for ReadError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self.line {
            Some(line) => write!(f, "line {line}: {}", self.source),
            None => write!(f, "{}", self.source),
        }
    }
}

impl From<io::Error> for ReadError {
    /// An input that could not be opened.
    fn from(source: io::Error) -> Self {
        Self {
            line: None,
            counts: Counts::default(),
            source,
        }
    }
}

/// How many charge points have state kept at once unless told otherwise.
pub const DEFAULT_MAX_CHARGE_POINTS: usize = 100_000;

/// Checks one input (decompressed if gzip), giving each finding to `sink` in the order found.
/// When reading fails, everything read before is still checked and its findings given out.
pub fn check_reader<R: BufRead>(
    input: R,
    options: CheckOptions,
    sink: &mut dyn FnMut(Finding),
) -> Result<Counts, ReadError> {
    run_reader(input, options, &mut |event| {
        if let Event::Finding(finding) = event {
            sink(finding);
        }
    })
}

/// Runs one input (decompressed if gzip) through the pipeline, giving each [`Event`] to
/// `sink` in input order; the findings at the end of the input (calls never answered,
/// transactions never stopped) come last, by record, then the facts only the end reveals.
/// When reading fails, everything read before is still checked and its events given out.
pub fn run_reader<R: BufRead>(
    input: R,
    options: CheckOptions,
    sink: &mut dyn FnMut(Event),
) -> Result<Counts, ReadError> {
    let input = decompressed(input).map_err(|source| ReadError {
        line: Some(1),
        ..ReadError::from(source)
    })?;
    let mut reader = LineReader::new(input, options.max_line);
    let mut decoder = Decoder::new(options.input, options.columns.clone());
    let mut versions = Versions::new(options.version);
    let mut counts = Counts::default();
    let mut emit = |event: Event| {
        if let Event::Finding(finding) = &event {
            counts.count(finding);
        }
        sink(event);
    };
    let (records, failure, mut end) = if options.jobs <= 1 {
        let mut state = ChargePointState::new(options.rules());
        let mut recent = Recent::new(options.max_charge_points);
        let (records, failure) = read_records(
            &mut reader,
            &mut decoder,
            &mut versions,
            &mut |step| match step {
                Step::Record(record, version, _) => {
                    let cp = record.charge_point.as_deref();
                    admit(&mut recent, &mut state, cp, record.at())
                        .into_iter()
                        .chain(state.check_in_order(record, version))
                        .for_each(&mut emit);
                }
                Step::Later(line, version) => {
                    admit(&mut recent, &mut state, line.charge_point, line.at())
                        .into_iter()
                        .chain(state.check_in_order(line.complete(), version))
                        .for_each(&mut emit);
                }
                Step::Finding(finding) => emit(Event::Finding(finding)),
            },
        );
        (records, failure, state.finish())
    } else {
        std::thread::scope(|scope| {
            let charge_points = options.max_charge_points;
            let mut pool = Pool::start(scope, options.jobs, options.rules(), charge_points);
            let (records, failure) =
                read_records(&mut reader, &mut decoder, &mut versions, &mut |step| {
                    pool.dispatch(step, &mut emit)
                });
            (records, failure, pool.finish(&mut emit))
        })
    };
    end.sort();
    end.findings
        .into_iter()
        .map(Event::Finding)
        .for_each(&mut emit);
    end.facts.into_iter().map(Event::Fact).for_each(&mut emit);
    if records == 0 && failure.is_none() {
        emit(Event::Finding(empty_input()));
    }
    counts.records = records;
    match failure {
        None => Ok(counts),
        Some((line, source)) => Err(ReadError {
            line: Some(line),
            counts,
            source,
        }),
    }
}

/// The warning for an input read to its end without a single record: a capture that holds
/// nothing checks nothing, which a report must not pass off as clean.
fn empty_input() -> Finding {
    Finding {
        at: Position::default(),
        rule: "input-empty",
        severity: Severity::Warning,
        category: Category::Framing,
        pointer: String::new(),
        message: "no record was read from the input (it is empty, blank or holds no frame): nothing was checked"
            .to_owned(),
        value: None,
        error_code: None,
    }
}

/// Sees a record's charge point; when that put out the charge point heard from longest
/// ago, forgets its state, giving what that reports.
fn admit(
    recent: &mut Recent<()>,
    state: &mut ChargePointState,
    charge_point: Option<&str>,
    at: Position,
) -> Vec<Event> {
    match charge_point.and_then(|id| recent.see(id, || ()).1) {
        Some((evicted, ())) => state.forget(&evicted, at),
        None => Vec::new(),
    }
}

/// Reads every record and settles its version, handing each on as a [`Step`]; gives the
/// number of records read and, when reading failed, the line it failed at and why. The
/// records read before a failure are all handed on.
fn read_records<R: Read>(
    reader: &mut LineReader<R>,
    decoder: &mut Decoder,
    versions: &mut Versions,
    step: &mut impl FnMut(Step<'_>),
) -> (usize, Option<(usize, io::Error)>) {
    let mut records = 0;
    let failure = loop {
        let line = match reader.next_line() {
            Ok(Some(line)) => line,
            Ok(None) => break None,
            Err(error) => break Some(error),
        };
        // Once the version is settled, log lines are read only as far as routing needs; the
        // rest of the reading happens where the record is checked.
        let line = match versions.settled() {
            Some(version) => match decoder.decode_later(line) {
                Ok(Some(later)) => {
                    records += 1;
                    step(Step::Later(later, version));
                    continue;
                }
                Ok(None) => continue,
                Err(line) => line,
            },
            None => line,
        };
        let bytes = line.text.map_or(0, str::len);
        if let Some(record) = decoder.decode(line) {
            records += 1;
            versions.accept(record, bytes, step);
        }
    };
    versions.finish(step);
    // The line that failed is the one after the last read.
    (
        records,
        failure.map(|error| (reader.line_number() + 1, error)),
    )
}

#[cfg(test)]
mod tests {
    use std::io::{BufReader, Read};

    use super::parallel::MAX_PENDING_BYTES;
    use super::version::MAX_WAITING_BYTES;
    use super::*;
    use crate::probes::peak_held;
    use crate::trace::{FrameSource, Record};
    use ocpp_model::Sender;

    /// DataTransfer CALLs (valid in both versions, so they do not tell it) whose lines
    /// are `length` bytes long, made as they are read: raw frames, or log lines of two
    /// charge points in turn when `named`.
    struct LargeFrames {
        left: usize,
        length: usize,
        line: Vec<u8>,
        offset: usize,
        named: bool,
    }

    impl Read for LargeFrames {
        fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
            if self.offset == self.line.len() {
                if self.left == 0 {
                    return Ok(0);
                }
                self.left -= 1;
                let prefix = match self.named {
                    true => format!("t cp=CP{} received ", self.left % 2),
                    false => String::new(),
                };
                let head = format!(
                    r#"{prefix}[2,"{}","DataTransfer",{{"vendorId":"v","data":""#,
                    self.left
                );
                self.line = head.into_bytes();
                self.line.resize(self.length - 4, b'x');
                self.line.extend_from_slice(b"\"}]\n");
                self.offset = 0;
            }
            let n = buf.len().min(self.line.len() - self.offset);
            buf[..n].copy_from_slice(&self.line[self.offset..self.offset + n]);
            self.offset += n;
            Ok(n)
        }
    }

    fn check_large(
        records: usize,
        version: Option<OcppVersion>,
        jobs: usize,
        named: bool,
    ) -> (Counts, usize) {
        let input = LargeFrames {
            left: records,
            length: 3 << 20,
            line: Vec::new(),
            offset: 0,
            named,
        };
        let options = CheckOptions {
            version,
            jobs,
            semantic: None,
            ..CheckOptions::default()
        };
        let before = peak_held();
        let summary = check_reader(BufReader::new(input), options, &mut |_| {}).expect("in memory");
        assert_eq!(before, 0, "one check per test thread");
        (summary, peak_held())
    }

    /// A 1.6 record of charge point `cp`, as an Open OCPP Trace gives it.
    fn record(index: usize, cp: usize, origin: Sender, frame: String) -> Record<'static> {
        Record {
            index,
            line: index + 1,
            version: Some(OcppVersion::V16),
            origin: Some(origin),
            charge_point: Some(format!("CP-{cp}")),
            timestamp: ocpp_model::primitives::DateTime::parse("2026-01-01T00:00:00Z").ok(),
            notes: Vec::new(),
            open_trace: Default::default(),
            frame: Ok(FrameSource::Text(frame.into())),
            paired: true,
        }
    }

    #[test]
    fn charge_points_left_with_nothing_open_keep_no_state() {
        let mut state = ChargePointState::new(CheckOptions::default().rules());
        for cp in 0..200_000 {
            let call = format!(r#"[2,"h{cp}","Heartbeat",{{}}]"#);
            let result = format!(r#"[3,"h{cp}",{{"currentTime":"2026-01-01T00:00:00Z"}}]"#);
            let found = state.check_in_order(
                record(2 * cp, cp, Sender::ChargingStation, call),
                OcppVersion::V16,
            );
            assert!(found.is_empty(), "{found:?}");
            let found = state.check_in_order(
                record(2 * cp + 1, cp, Sender::Csms, result),
                OcppVersion::V16,
            );
            assert!(found.is_empty(), "{found:?}");
        }
        assert_eq!(state.states_kept(), (0, 0));
    }

    #[test]
    fn at_most_the_charge_points_allowed_keep_state() {
        let options = CheckOptions {
            max_charge_points: 50_000,
            ..CheckOptions::default()
        };
        let mut state = ChargePointState::new(options.rules());
        let mut recent = Recent::new(options.max_charge_points);
        let (mut evicted, mut unanswered) = (0, 0);
        for cp in 0..200_000 {
            // A call never answered: the charge point has state to keep.
            let call = record(
                cp,
                cp,
                Sender::ChargingStation,
                format!(r#"[2,"h{cp}","Heartbeat",{{}}]"#),
            );
            let at = call.at();
            let name = call.charge_point.clone();
            let found: Vec<Finding> = admit(&mut recent, &mut state, name.as_deref(), at)
                .into_iter()
                .chain(state.check_in_order(call, OcppVersion::V16))
                .filter_map(|event| match event {
                    Event::Finding(finding) => Some(finding),
                    Event::Record(_) | Event::Fact(_) | Event::Paired(_) | Event::Frame(_) => None,
                })
                .collect();
            evicted += found.iter().filter(|f| f.rule == "state-evicted").count();
            unanswered += found
                .iter()
                .filter(|f| f.rule == "correlation-unanswered-call")
                .count();
            let (connections, stations) = state.states_kept();
            assert!(
                connections <= 50_000 && stations <= 50_000,
                "{connections} and {stations} kept"
            );
        }
        assert_eq!((evicted, unanswered), (150_000, 150_000));
        assert_eq!(state.states_kept(), (50_000, 50_000));
        assert_eq!(
            state.finish().findings.len(),
            50_000,
            "the calls of those kept"
        );
    }

    #[test]
    fn charge_points_are_dropped_alike_with_any_number_of_jobs() {
        // 3,000 charge points interleaved, each with an open call, 1,000 kept at once.
        let mut trace = String::new();
        for i in 0..12_000 {
            let cp = (i * 7) % 3_000;
            trace.push_str(&format!(
                "t cp=CP{cp} received [2,\"{i}\",\"Heartbeat\",{{}}]\n"
            ));
        }
        let run = |jobs| {
            let options = CheckOptions {
                jobs,
                max_charge_points: 1_000,
                ..CheckOptions::default()
            };
            let mut found = Vec::new();
            let summary =
                check_reader(trace.as_bytes(), options, &mut |f| found.push(f)).expect("in memory");
            (summary, found)
        };
        let (one_summary, one) = run(1);
        assert!(one.iter().any(|f| f.rule == "state-evicted"));
        let (two_summary, two) = run(2);
        assert_eq!(one_summary, two_summary);
        assert!(one == two, "the findings differ with 2 jobs");
    }

    #[test]
    fn lines_waiting_for_the_version_are_bounded_in_bytes() {
        // 30 lines of 3 MiB: fewer than the window of records, more bytes than may wait.
        let (summary, peak) = check_large(30, None, 1, false);
        assert_eq!(summary.records, 30);
        assert_eq!(
            summary.warnings, 31,
            "version-assumed and 30 unanswered calls"
        );
        assert!(peak <= MAX_WAITING_BYTES, "{peak} bytes waited");
    }

    #[test]
    fn lines_in_flight_to_the_workers_are_bounded_in_bytes() {
        // Two charge points: the second one's lines go to a worker.
        let (summary, peak) = check_large(30, Some(OcppVersion::V16), 2, true);
        assert_eq!(summary.records, 30);
        assert!(peak <= MAX_PENDING_BYTES, "{peak} bytes in flight");
        assert!(peak > 0, "the workers had lines in flight");
    }

    /// The calls looked at on this thread while checking `trace` with `jobs`.
    fn probes_here(trace: &str, jobs: usize) -> u64 {
        let options = CheckOptions {
            jobs,
            ..CheckOptions::default()
        };
        let before = crate::probes::probes();
        check_reader(trace.as_bytes(), options, &mut |_| {}).expect("in memory");
        crate::probes::probes() - before
    }

    #[test]
    fn one_charge_point_is_checked_on_the_reading_thread() {
        let raw: String = (0..100)
            .map(|i| format!("[2,\"{i}\",\"Heartbeat\",{{}}]\n[3,\"{i}\",{{\"currentTime\":\"2024-05-01T10:00:00Z\"}}]\n"))
            .collect();
        let alone = probes_here(&raw, 1);
        assert!(alone > 0);
        assert_eq!(
            probes_here(&raw, 2),
            alone,
            "raw frames stay on the reading thread"
        );
        // With a second charge point, its records go to a worker: the reading thread does
        // the first one's share only.
        let two: String = (0..100)
            .map(|i| format!("t cp=CP{} received [2,\"{i}\",\"Heartbeat\",{{}}]\n", i % 2))
            .collect();
        let (one_job, two_jobs) = (probes_here(&two, 1), probes_here(&two, 2));
        assert!(
            two_jobs > 0 && two_jobs < one_job,
            "{two_jobs} of {one_job}"
        );
    }
}
