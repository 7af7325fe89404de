//! Report text set aside in an anonymous temporary file while the findings stream in, and
//! copied out when the report is complete: a report whose head depends on every finding is
//! written with a few KiB of memory instead of all of them.

use std::fs::File;
use std::io::{self, BufWriter, Seek, SeekFrom, Write};

/// An anonymous temporary file (gone when dropped) behind a write buffer.
#[derive(Debug)]
pub(crate) struct Spool {
    file: BufWriter<File>,
}

impl Spool {
    /// A new, empty spool in the system's temporary directory.
    pub(crate) fn new() -> io::Result<Self> {
        Ok(Self {
            file: BufWriter::new(tempfile::tempfile()?),
        })
    }

    /// Appends `text`.
    pub(crate) fn write(&mut self, text: &str) -> io::Result<()> {
        self.file.write_all(text.as_bytes())
    }

    /// Copies everything written to `out`, then deletes the file.
    pub(crate) fn copy_to(self, out: &mut dyn Write) -> io::Result<()> {
        let mut file = self
            .file
            .into_inner()
            .map_err(io::IntoInnerError::into_error)?;
        file.seek(SeekFrom::Start(0))?;
        io::copy(&mut file, out).map(drop)
    }
}
