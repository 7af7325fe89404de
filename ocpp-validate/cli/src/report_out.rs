//! The output of `check` (standard output or the `--output` file), shared with a watcher thread that flushes it every 100 ms
//! (to a terminal, a pipe or a file alike), and on SIGINT or SIGTERM finishes the
//! report with what was found so far, flushes it and exits 130 or 143 (128 + the signal).

use std::io::{self, BufWriter, Write};
use std::sync::{Arc, Mutex, MutexGuard};
use std::thread;
use std::time::Duration;

use ocpp_validate::check::Counts;
use ocpp_validate::render::{Renderer, Totals};
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
    /// The report format; `None` when the findings are not reported (the consumer view),
    /// and once the report is finished.
    pub(crate) renderer: Option<Box<dyn Renderer + Send>>,
    /// The counts of the inputs read so far.
    pub(crate) read: Counts,
    /// How many inputs the run names.
    pub(crate) inputs: usize,
}

impl Output {
    /// Ends the report, once: the whole run, or what was read before an interruption.
    pub(crate) fn finish(&mut self, interrupted: bool) -> io::Result<()> {
        if let Some(renderer) = self.renderer.take() {
            let totals = Totals::new(self.read, self.inputs);
            let totals = if interrupted {
                totals.interrupted()
            } else {
                totals
            };
            renderer.finish(&totals, &mut self.out)?;
        }
        self.out.flush()
    }
}

/// The shared output.
#[derive(Clone)]
pub(crate) struct Shared(Arc<Mutex<Output>>);

impl Shared {
    /// `out` with `renderer` for a run of `inputs` inputs, watched: flushed every
    /// [`TICK`], finished on SIGINT and SIGTERM.
    pub(crate) fn watched(
        out: Box<dyn Write + Send>,
        renderer: Option<Box<dyn Renderer + Send>>,
        inputs: usize,
    ) -> io::Result<Self> {
        let shared = Self(Arc::new(Mutex::new(Output {
            out: BufWriter::new(out),
            renderer,
            read: Counts::default(),
            inputs,
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
                let _ = output.finish(true);
                break;
            }
            thread::sleep(TICK);
        }
        std::process::exit(128 + signal)
    }
}
