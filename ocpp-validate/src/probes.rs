//! Counts kept per thread in test builds only, so that tests can show without timing
//! anything that work per message and memory stay bounded: the work the correlation does
//! (calls looked at or moved) and the most bytes of input lines the check driver held at
//! once. In other builds [`probe`] and [`held`] compile to nothing.

#[cfg(test)]
thread_local! {
    static PROBES: std::cell::Cell<u64> = const { std::cell::Cell::new(0) };
    static PEAK_HELD: std::cell::Cell<usize> = const { std::cell::Cell::new(0) };
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

/// Notes that `bytes` of input lines are held by one stage of the check driver.
#[inline(always)]
pub(crate) fn held(bytes: usize) {
    #[cfg(test)]
    PEAK_HELD.with(|peak| peak.set(peak.get().max(bytes)));
    #[cfg(not(test))]
    let _ = bytes;
}

/// The most bytes one stage held at once on this thread so far.
#[cfg(test)]
pub(crate) fn peak_held() -> usize {
    PEAK_HELD.with(std::cell::Cell::get)
}
