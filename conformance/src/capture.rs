//! `--capture FILE`: every text frame the run's stations (or the reference CSMS's
//! connections) send and receive, written as it passes as Open OCPP Trace 1.1 (the format
//! `ocpp-validate` reads and checks). Each record is flushed with its line, so a process that
//! is stopped keeps every record it wrote.

use std::fs::File;
use std::io::{self, LineWriter};
use std::path::Path;
use std::sync::{Arc, Mutex, PoisonError};

use chrono::SecondsFormat;
use ocpp_model::primitives::DateTime;
use ocpp_model::OcppVersion;
use ocpp_validate::trace::{Capture, FrameSource, OpenTraceWriter, WriteError};
use ocpp_validate::Sender;

/// The capture file, shared by the stations of a run.
#[derive(Clone)]
pub struct CaptureFile {
    inner: Arc<Mutex<Writer>>,
}

struct Writer {
    out: Option<OpenTraceWriter<LineWriter<File>>>,
    /// The first failure to write; later frames are not written.
    failed: Option<io::Error>,
}

impl std::fmt::Debug for CaptureFile {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("CaptureFile")
    }
}

impl CaptureFile {
    /// Creates (or truncates) the file.
    pub fn create(path: &Path) -> io::Result<Self> {
        let file = File::create(path)?;
        Ok(Self {
            inner: Arc::new(Mutex::new(Writer {
                out: Some(OpenTraceWriter::new(LineWriter::new(file))),
                failed: None,
            })),
        })
    }

    /// Writes one frame `sender` sent on `charge_point`'s connection, stamped now. A frame
    /// the trace format cannot hold as a record (text that is not a frame) is left out; a
    /// failure to write stops the capture and is reported by [`CaptureFile::finish`].
    pub fn record(&self, sender: Sender, version: OcppVersion, charge_point: &str, text: &str) {
        let now = chrono::Utc::now().to_rfc3339_opts(SecondsFormat::Micros, true);
        let Ok(timestamp) = DateTime::parse(&now) else {
            return;
        };
        let frame = FrameSource::Text(text.into());
        let mut capture = Capture::new(&timestamp, &frame);
        capture.origin = Some(sender);
        capture.version = Some(version);
        capture.charge_point = Some(charge_point);
        let mut writer = self.inner.lock().unwrap_or_else(PoisonError::into_inner);
        let Writer { out, failed } = &mut *writer;
        if let Some(out) = out.as_mut().filter(|_| failed.is_none()) {
            if let Err(WriteError::Io(error)) = out.write(&capture) {
                *failed = Some(error);
            }
        }
    }

    /// Flushes the file; the first write error, if any, is returned.
    pub fn finish(&self) -> io::Result<()> {
        let mut writer = self.inner.lock().unwrap_or_else(PoisonError::into_inner);
        if let Some(error) = writer.failed.take() {
            return Err(error);
        }
        match writer.out.take() {
            Some(out) => out.into_inner().map(drop),
            None => Ok(()),
        }
    }
}
