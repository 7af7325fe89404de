//! The output of `check` (standard output or the `--output` file), shared with a watcher thread that flushes it every 100 ms
//! (to a terminal, a pipe or a file alike), and on SIGINT or SIGTERM finishes the
//! report with what was found so far, flushes it and exits 130 or 143 (128 + the signal).

use std::io::{self, BufWriter, Write};
use std::sync::{Arc, Mutex, MutexGuard};
use std::thread;
use std::time::Duration;

use ocpp_validate::render::junit::Junit;
use ocpp_validate::render::sarif::Sarif;
use signal_hook::consts::{SIGINT, SIGTERM};
use signal_hook::iterator::Signals;

/// How often buffered output is flushed, and signals looked at.
const TICK: Duration = Duration::from_millis(100);
/// How many ticks the watcher waits for the output to be free before exiting on a signal
/// without flushing (a reader that stopped reading must not keep the process alive).
const PATIENCE: usize = 20;

/// What is written where, behind one lock.
pub(crate) struct Output {
    /// Standard output or the `--output` file, buffered.
    pub(crate) out: BufWriter<Box<dyn Write + Send>>,
    /// The report gathered until the end, for formats whose head depends on every finding.
    pub(crate) report: Report,
}

/// A report written only when complete.
pub(crate) enum Report {
    /// Findings are written as found.
    Streamed,
    /// SARIF, finished at the end.
    Sarif(Sarif),
    /// JUnit XML, finished at the end.
    Junit(Junit),
}

impl Output {
    /// Writes the gathered report, if any, and flushes.
    pub(crate) fn finish(&mut self) -> io::Result<()> {
        match std::mem::replace(&mut self.report, Report::Streamed) {
            Report::Streamed => {}
            Report::Sarif(sarif) => sarif.finish(&mut self.out)?,
            Report::Junit(junit) => junit.finish(&mut self.out)?,
        }
        self.out.flush()
    }
}

/// The shared output.
#[derive(Clone)]
pub(crate) struct Shared(Arc<Mutex<Output>>);

impl Shared {
    /// `out` with `report`, watched: flushed every [`TICK`], finished on SIGINT and SIGTERM.
    pub(crate) fn watched(out: Box<dyn Write + Send>, report: Report) -> io::Result<Self> {
        let shared = Self(Arc::new(Mutex::new(Output {
            out: BufWriter::new(out),
            report,
        })));
        let mut signals = Signals::new([SIGINT, SIGTERM])?;
        let watched = shared.clone();
        thread::Builder::new()
            .name("output-watcher".into())
            .spawn(move || loop {
                if let Some(signal) = signals.pending().next() {
                    watched.interrupted(signal);
                }
                if let Ok(mut output) = watched.0.try_lock() {
                    let _ = output.out.flush();
                }
                thread::sleep(TICK);
            })?;
        Ok(shared)
    }

    /// The output, for writing.
    pub(crate) fn lock(&self) -> MutexGuard<'_, Output> {
        // A writer that panicked leaves the buffer as it was; writing on is still right.
        self.0
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    /// Finishes and flushes what was written, then exits as the shell does on `signal`.
    fn interrupted(&self, signal: i32) -> ! {
        for _ in 0..PATIENCE {
            if let Ok(mut output) = self.0.try_lock() {
                let _ = output.finish();
                break;
            }
            thread::sleep(TICK);
        }
        std::process::exit(128 + signal)
    }
}
