//! A frame as the validator read it, kept for the semantic rules so that each frame is parsed
//! once: while the fast path (`single_pass`) checks a payload against the typed model, a
//! recording deserializer (`record.rs`) notes every value serde_json hands over, in order, as
//! byte ranges of the frame's text; the rules then read the payload from those notes
//! (`replay.rs`) with the same readers that read a frame's text, scanning nothing again.
//!
//! Only payloads the rules read are recorded (`semantic::reads`), and only a frame the fast
//! path accepts leaves a record: anything else the rules read from the text, as before. A
//! tape is reused from frame to frame, so recording allocates nothing once it has grown to
//! the largest payload seen.

mod record;
mod replay;

use crate::semantic::Act;

pub(crate) use record::Recording;
pub(crate) use replay::Replay;

/// One value, or the start or end of an object or array, as serde_json handed it over.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Event {
    Null,
    Bool(bool),
    U64(u64),
    I64(i64),
    /// An `f64`, by its bits (serde_json hands numbers with a fraction over as text under
    /// `arbitrary_precision`, so this is rare).
    F64(u64),
    /// A string without escapes: its byte range in the frame.
    Borrowed(u32, u32),
    /// A string with escapes, unescaped: its byte range in the tape's own text.
    Owned(u32, u32),
    /// An object; the index of its `End`.
    Map(u32),
    /// An array; the index of its `End`.
    Seq(u32),
    End,
}

/// What the fast path read of a frame it accepted.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Head {
    /// A CALL: the byte range of its action name.
    Call { action: (u32, u32) },
    /// A CALLRESULT; `answers` is the action of the CALL its payload was checked for, as the
    /// rules name it, when that payload was recorded.
    Result { answers: Option<Act> },
}

/// The record of one frame: its head, its message id and, for a payload the rules read,
/// the payload's events.
#[derive(Debug, Default)]
pub(crate) struct Tape {
    events: Vec<Event>,
    /// Strings with escapes, unescaped, one after another.
    owned: String,
    /// Where the frame's text starts in memory and its length: a borrowed string's range is
    /// found from its address.
    base: usize,
    len: usize,
    /// Set when the recording saw something it cannot replay; the payload is then read from
    /// the text.
    broken: bool,
    read: Option<Read>,
}

/// What the fast path read of the frame now on the tape.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Read {
    head: Head,
    id: (u32, u32),
    /// Whether the payload's events are on the tape.
    payload: bool,
}

impl Tape {
    /// Starts the record of a frame.
    pub(crate) fn start(&mut self, text: &str) {
        self.events.clear();
        self.owned.clear();
        self.base = text.as_ptr() as usize;
        self.len = text.len();
        // Ranges are kept as `u32`: a longer frame is read from its text.
        self.broken = u32::try_from(text.len()).is_err();
        self.read = None;
    }

    /// Ends the record of a CALL the fast path accepted; `payload` says whether its payload
    /// was recorded.
    pub(crate) fn accepted_call(&mut self, id: &str, action: &str, payload: bool) {
        if let Some(action) = self.range(action) {
            self.accepted(Head::Call { action }, id, payload);
        }
    }

    /// Ends the record of a CALLRESULT the fast path accepted; `answers` is the action the
    /// rules know the answered CALL by, when its payload was recorded.
    pub(crate) fn accepted_result(&mut self, id: &str, answers: Option<Act>) {
        let answers = answers.filter(|_| !self.broken);
        self.accepted(Head::Result { answers }, id, answers.is_some());
    }

    fn accepted(&mut self, head: Head, id: &str, payload: bool) {
        if let Some(id) = self.range(id) {
            self.read = Some(Read {
                head,
                id,
                payload: payload && !self.broken,
            });
        }
    }

    /// The byte range of `text` in the frame, when it lies in it.
    #[inline]
    pub(crate) fn range(&self, text: &str) -> Option<(u32, u32)> {
        let start = (text.as_ptr() as usize).wrapping_sub(self.base);
        if start > self.len || text.len() > self.len - start {
            return None;
        }
        let end = u32::try_from(start + text.len()).ok()?;
        // `start` is at most `end`.
        Some((end - text.len() as u32, end))
    }

    /// What the fast path read of `text`, the frame this tape was started with: its head,
    /// its message id and, when recorded, its payload.
    pub(crate) fn read<'a>(&'a self, text: &'a str) -> Option<(Head, &'a str, Option<Replay<'a>>)> {
        let read = self.read?;
        if text.as_ptr() as usize != self.base || text.len() != self.len {
            return None;
        }
        let id = text.get(read.id.0 as usize..read.id.1 as usize)?;
        let payload = read
            .payload
            .then(|| Replay::new(text, &self.owned, &self.events));
        Some((read.head, id, payload))
    }

    #[inline]
    fn push(&mut self, event: Event) -> usize {
        self.events.push(event);
        self.events.len() - 1
    }

    /// Notes a string: by its range in the frame when it lies there, else copied.
    #[inline]
    fn push_str(&mut self, text: &str, borrowed: bool) {
        if let Some((start, end)) = self.range(text).filter(|_| borrowed) {
            self.events.push(Event::Borrowed(start, end));
            return;
        }
        let start = self.owned.len();
        self.owned.push_str(text);
        match (u32::try_from(start), u32::try_from(self.owned.len())) {
            (Ok(start), Ok(end)) => self.events.push(Event::Owned(start, end)),
            _ => self.broken = true,
        }
    }

    /// Closes the object or array opened at `open`.
    fn close(&mut self, open: usize) {
        let end = self.push(Event::End);
        let Ok(end) = u32::try_from(end) else {
            self.broken = true;
            return;
        };
        match &mut self.events[open] {
            Event::Map(to) | Event::Seq(to) => *to = end,
            _ => self.broken = true,
        }
    }
}

#[cfg(test)]
mod tests;
