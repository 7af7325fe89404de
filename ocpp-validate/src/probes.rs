//! A count of the work the correlation does (calls looked at or moved), kept per thread in
//! test builds only, so that tests can show the work per message is bounded without timing
//! anything. In other builds [`probe`] compiles to nothing.

#[cfg(test)]
thread_local! {
    static PROBES: std::cell::Cell<u64> = const { std::cell::Cell::new(0) };
}

/// Counts `n` calls looked at or moved.
#[inline(always)]
pub(crate) fn probe(n: u64) {
    #[cfg(test)]
    PROBES.with(|probes| probes.set(probes.get() + n));
    #[cfg(not(test))]
    let _ = n;
}

/// The calls looked at or moved on this thread so far.
#[cfg(test)]
pub(crate) fn probes() -> u64 {
    PROBES.with(std::cell::Cell::get)
}
