//! Output formats for findings, one module each. Every report format is a [`Renderer`]: it
//! is given the findings one at a time, in the order found, and then the [`Totals`] of the
//! run, so that a caller writes any format with the same two calls.

use std::io::{self, Write};

use crate::counts::Counts;
use crate::finding::Finding;
use excerpt::Excerpts;

pub mod excerpt;
pub mod html;
pub mod human;
pub mod json;
pub mod junit;
pub mod sarif;
mod spool;
pub mod statistics;

/// A report format fed finding by finding, then closed with the totals of the run.
pub trait Renderer {
    /// Renders one finding of `input` to `out`, or sets it aside for the end.
    fn finding(
        &mut self,
        input: &mut Input<'_>,
        finding: &Finding,
        out: &mut dyn Write,
    ) -> io::Result<()>;

    /// Writes what follows the last finding (a closing summary, or the whole report when
    /// its head depends on every finding).
    fn finish(self: Box<Self>, totals: &Totals, out: &mut dyn Write) -> io::Result<()>;
}

/// The input a finding comes from, as a renderer sees it.
#[derive(Debug)]
#[non_exhaustive]
pub struct Input<'a> {
    /// The name the report gives the input.
    pub name: &'a str,
    /// The input's recent frames, when kept, for the formats that show a finding's frame.
    pub frames: Option<&'a mut Excerpts>,
}

impl<'a> Input<'a> {
    /// The input called `name`, its frames not kept.
    pub fn named(name: &'a str) -> Self {
        Self { name, frames: None }
    }

    /// The same input with its recent frames.
    pub fn with_frames(self, frames: Option<&'a mut Excerpts>) -> Self {
        Self { frames, ..self }
    }
}

/// What a run checked, as the end of a report says it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub struct Totals {
    /// The counts over every input read (to its end or not).
    pub counts: Counts,
    /// How many inputs were named, readable or not.
    pub inputs: usize,
    /// Whether the run was cut short (by a signal): the formats that close with a summary
    /// line leave it out, the others still write what they gathered.
    pub interrupted: bool,
}

impl Totals {
    /// The totals of a run that read `inputs` inputs to `counts`.
    pub fn new(counts: Counts, inputs: usize) -> Self {
        Self {
            counts,
            inputs,
            interrupted: false,
        }
    }

    /// The same totals, for a run cut short.
    pub fn interrupted(self) -> Self {
        Self {
            interrupted: true,
            ..self
        }
    }
}
