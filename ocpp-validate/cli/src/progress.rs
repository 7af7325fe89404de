//! A progress bar on standard error while a large file is checked, shown only when standard
//! error is a terminal, so it never mixes into reports or redirected output.

use std::fs::File;
use std::io::{self, IsTerminal, Read};

use indicatif::{ProgressBar, ProgressBarIter, ProgressStyle};

/// Files smaller than this are checked without a bar.
const LARGE: u64 = 64 * 1024 * 1024;

/// A file whose reading moves a progress bar, cleared when the file is dropped.
struct Tracked(ProgressBarIter<File>);

impl Read for Tracked {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        self.0.read(buf)
    }
}

impl Drop for Tracked {
    fn drop(&mut self) {
        self.0.progress.finish_and_clear();
    }
}

/// The file, with a progress bar named `name` when it is large and standard error a terminal.
pub(crate) fn track(file: File, name: &str) -> Box<dyn Read> {
    let length = file.metadata().map_or(0, |m| m.len());
    if length < LARGE || !io::stderr().is_terminal() {
        return Box::new(file);
    }
    let bar = ProgressBar::new(length).with_message(name.to_owned());
    if let Ok(style) = ProgressStyle::with_template(
        "{msg} [{wide_bar}] {bytes}/{total_bytes} {bytes_per_sec} eta {eta}",
    ) {
        bar.set_style(style);
    }
    Box::new(Tracked(bar.wrap_read(file)))
}
