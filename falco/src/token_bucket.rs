//! A token bucket: `rate` tokens per second, at most `max_burst` saved up. It throttles alerts
//! (outputs.rate/max_burst) and drop notifications (syscall_event_drops.rate/max_burst).
//!
//! Time is passed in, in nanoseconds, so the caller decides the clock (event time when replaying,
//! so a replay throttles the same way however fast it runs).

#[derive(Debug, Clone)]
pub struct TokenBucket {
    rate: f64,
    max_tokens: f64,
    tokens: f64,
    last_ns: Option<u64>,
}

impl TokenBucket {
    /// A full bucket.
    pub fn new(rate: f64, max_burst: f64) -> TokenBucket {
        TokenBucket {
            rate,
            max_tokens: max_burst,
            tokens: max_burst,
            last_ns: None,
        }
    }

    /// Takes one token at time `now_ns`; false when the bucket is empty.
    pub fn claim(&mut self, now_ns: u64) -> bool {
        self.refill(now_ns);
        if self.tokens >= 1.0 {
            self.tokens -= 1.0;
            true
        } else {
            false
        }
    }

    fn refill(&mut self, now_ns: u64) {
        if let Some(last) = self.last_ns {
            // Time going backwards (events out of order) adds nothing.
            let elapsed = now_ns.saturating_sub(last) as f64 / 1e9;
            self.tokens = (self.tokens + elapsed * self.rate).min(self.max_tokens);
        }
        // The clock is always the latest claim's, as in the libs token bucket: one event from the far
        // future (a timestamp of u64::MAX) must not freeze the bucket until the clock catches up.
        self.last_ns = Some(now_ns);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const S: u64 = 1_000_000_000;

    #[test]
    fn burst_then_rate() {
        let mut b = TokenBucket::new(1.0, 3.0);
        let t0 = 100 * S;
        assert!(b.claim(t0));
        assert!(b.claim(t0));
        assert!(b.claim(t0));
        assert!(!b.claim(t0));
        assert!(!b.claim(t0 + S / 2));
        assert!(b.claim(t0 + S));
        assert!(!b.claim(t0 + S));
        // A long pause refills to max_burst, not beyond.
        let t1 = t0 + 100 * S;
        assert!(b.claim(t1) && b.claim(t1) && b.claim(t1));
        assert!(!b.claim(t1));
    }

    #[test]
    fn time_going_backwards_adds_nothing() {
        let mut b = TokenBucket::new(10.0, 1.0);
        assert!(b.claim(10 * S));
        assert!(!b.claim(5 * S));
        assert!(!b.claim(5 * S));
    }

    #[test]
    fn an_event_from_the_end_of_time_does_not_freeze_the_bucket() {
        let mut b = TokenBucket::new(1.0, 1.0);
        assert!(b.claim(10 * S));
        assert!(b.claim(u64::MAX));
        assert!(!b.claim(11 * S));
        assert!(b.claim(12 * S));
    }

    #[test]
    fn fractional_rates_accumulate() {
        let mut b = TokenBucket::new(0.5, 1.0);
        assert!(b.claim(0));
        assert!(!b.claim(S));
        assert!(b.claim(2 * S));
    }
}
