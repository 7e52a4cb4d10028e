//! The run's totals, added up one execution at a time in fixed memory:
//! counters, the first failures, and response times in a log-scale
//! histogram (p95 within 1.6 % of the true value, whatever the run length).

use std::time::{Duration, SystemTime};

use super::record::{
    Counter, Execution, Failure, PhaseTimes, Stopped, Summary, TimeStats, MAX_FAILURES,
};
use super::report::failures_of;

/// Sub-buckets per power of two: the relative error of a percentile.
const SUB: u64 = 64;
/// Powers of two of microseconds covered (2^40 µs is 12 days).
const OCTAVES: u64 = 40;

#[derive(Debug, Clone)]
pub struct Histogram {
    buckets: Vec<u64>,
    count: u64,
    min: u64,
    max: u64,
    sum: f64,
    sum_sq: f64,
}

impl Default for Histogram {
    fn default() -> Self {
        Histogram {
            buckets: vec![0; (SUB * (OCTAVES + 1)) as usize],
            count: 0,
            min: u64::MAX,
            max: 0,
            sum: 0.0,
            sum_sq: 0.0,
        }
    }
}

fn bucket(us: u64) -> usize {
    if us < SUB {
        return us as usize;
    }
    let octave = 63 - u64::from(us.leading_zeros()) - (SUB.trailing_zeros() as u64);
    let octave = octave.min(OCTAVES - 1);
    let sub = (us >> octave) - SUB;
    ((octave + 1) * SUB + sub.min(SUB - 1)) as usize
}

/// The smallest value of a bucket (its representative).
fn lower(index: usize) -> u64 {
    let index = index as u64;
    if index < SUB {
        return index;
    }
    let octave = index / SUB - 1;
    (SUB + index % SUB) << octave
}

impl Histogram {
    pub fn record(&mut self, d: Duration) {
        let us = u64::try_from(d.as_micros()).unwrap_or(u64::MAX);
        if let Some(b) = self.buckets.get_mut(bucket(us)) {
            *b += 1;
        }
        self.count += 1;
        self.min = self.min.min(us);
        self.max = self.max.max(us);
        let f = us as f64;
        self.sum += f;
        self.sum_sq += f * f;
    }

    pub fn merge(&mut self, other: &Histogram) {
        for (a, b) in self.buckets.iter_mut().zip(&other.buckets) {
            *a += b;
        }
        self.count += other.count;
        self.min = self.min.min(other.min);
        self.max = self.max.max(other.max);
        self.sum += other.sum;
        self.sum_sq += other.sum_sq;
    }

    /// The `q` quantile (0..=1), clamped to the exact min and max.
    pub fn quantile(&self, q: f64) -> Duration {
        if self.count == 0 {
            return Duration::ZERO;
        }
        let rank = ((q * self.count as f64).ceil() as u64).clamp(1, self.count);
        let mut seen = 0;
        for (i, n) in self.buckets.iter().enumerate() {
            seen += n;
            if seen >= rank {
                return Duration::from_micros(lower(i).clamp(self.min, self.max));
            }
        }
        Duration::from_micros(self.max)
    }

    pub fn stats(&self) -> TimeStats {
        if self.count == 0 {
            return TimeStats::default();
        }
        let n = self.count as f64;
        let mean = self.sum / n;
        let var = (self.sum_sq / n - mean * mean).max(0.0);
        TimeStats {
            count: self.count,
            min: Duration::from_micros(self.min),
            max: Duration::from_micros(self.max),
            mean: Duration::from_micros(mean.round() as u64),
            p95: self.quantile(0.95),
            sd: Duration::from_micros(var.sqrt().round() as u64),
        }
    }
}

/// One histogram per phase; a phase that did not happen (reused
/// connection, plain http) is not counted.
#[derive(Debug, Clone, Default)]
pub struct PhaseHistograms {
    dns: Histogram,
    connect: Histogram,
    tls: Histogram,
    ttfb: Histogram,
    download: Histogram,
}

impl PhaseHistograms {
    pub fn record(&mut self, t: &crate::http::Timings) {
        let p = t.phases();
        for (h, d) in [
            (&mut self.dns, p.dns),
            (&mut self.connect, p.connect),
            (&mut self.tls, p.tls),
        ] {
            if let Some(d) = d {
                h.record(d);
            }
        }
        self.ttfb.record(t.ttfb.saturating_sub(t.start));
        self.download.record(p.download);
    }

    pub fn merge(&mut self, other: &PhaseHistograms) {
        self.dns.merge(&other.dns);
        self.connect.merge(&other.connect);
        self.tls.merge(&other.tls);
        self.ttfb.merge(&other.ttfb);
        self.download.merge(&other.download);
    }

    pub fn stats(&self) -> PhaseTimes {
        PhaseTimes {
            dns: self.dns.stats(),
            connect: self.connect.stats(),
            tls: self.tls.stats(),
            ttfb: self.ttfb.stats(),
            download: self.download.stats(),
        }
    }
}

/// Totals of a run (or of one shard or parallel lane, merged after).
#[derive(Debug, Clone, Default)]
pub struct Tally {
    pub iterations: Counter,
    pub requests: Counter,
    pub test_scripts: Counter,
    pub prerequest_scripts: Counter,
    pub assertions: Counter,
    pub failures: Vec<Failure>,
    pub failure_count: u64,
    pub data_received: u64,
    pub times: Histogram,
    pub phases: PhaseHistograms,
    /// The current iteration failed somewhere.
    iteration_failed: bool,
}

impl Tally {
    pub fn add(&mut self, e: &Execution) {
        if e.request.is_some() || e.error.is_some() {
            self.requests.executed += 1;
        }
        self.prerequest_scripts.add(e.prerequest_scripts);
        self.test_scripts.add(e.test_scripts);
        for t in &e.tests {
            self.assertions.executed += 1;
            if t.failed() {
                self.assertions.failed += 1;
            }
        }
        if let Some(r) = &e.response {
            self.data_received += r.decoded_size;
            self.times.record(r.time);
            self.phases.record(&r.timings);
        }
        if e.error.is_some() {
            self.requests.failed += 1;
        }
        // In newman's order, so the CLI's numbers match the list at the end.
        for failure in failures_of(e) {
            self.failure_count += 1;
            self.iteration_failed = true;
            if self.failures.len() < MAX_FAILURES {
                self.failures.push(failure);
            }
        }
    }

    /// Closes an iteration (call after its last execution).
    pub fn end_iteration(&mut self) {
        self.iterations.executed += 1;
        if std::mem::take(&mut self.iteration_failed) {
            self.iterations.failed += 1;
        }
    }

    pub fn merge(&mut self, other: &Tally) {
        self.iterations.add(other.iterations);
        self.requests.add(other.requests);
        self.test_scripts.add(other.test_scripts);
        self.prerequest_scripts.add(other.prerequest_scripts);
        self.assertions.add(other.assertions);
        let room = MAX_FAILURES.saturating_sub(self.failures.len());
        self.failures
            .extend(other.failures.iter().take(room).cloned());
        self.failure_count += other.failure_count;
        self.data_received += other.data_received;
        self.times.merge(&other.times);
        self.phases.merge(&other.phases);
        self.iteration_failed |= other.iteration_failed;
    }

    pub fn summary(
        &self,
        name: &str,
        started: SystemTime,
        duration: Duration,
        stopped: Option<Stopped>,
    ) -> Summary {
        Summary {
            name: name.to_string(),
            iterations: self.iterations,
            requests: self.requests,
            test_scripts: self.test_scripts,
            prerequest_scripts: self.prerequest_scripts,
            assertions: self.assertions,
            failures: self.failures.clone(),
            failure_count: self.failure_count,
            started,
            duration,
            data_received: self.data_received,
            response_times: self.times.stats(),
            phase_times: self.phases.stats(),
            stopped,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn percentiles_stay_within_the_bucket_error_in_fixed_memory() {
        let mut h = Histogram::default();
        let len = h.buckets.len();
        for ms in 1..=1000u64 {
            h.record(Duration::from_millis(ms));
        }
        assert_eq!(h.buckets.len(), len);
        let s = h.stats();
        assert_eq!(s.count, 1000);
        assert_eq!(s.min, Duration::from_millis(1));
        assert_eq!(s.max, Duration::from_millis(1000));
        let p95 = s.p95.as_secs_f64() * 1000.0;
        assert!((p95 - 950.0).abs() / 950.0 < 0.02, "p95 {p95}");
        let mean = s.mean.as_secs_f64() * 1000.0;
        assert!((mean - 500.5).abs() < 0.01, "mean {mean}");
        // sd of 1..=1000 is 288.67
        let sd = s.sd.as_secs_f64() * 1000.0;
        assert!((sd - 288.67).abs() < 0.1, "sd {sd}");
    }

    #[test]
    fn bucket_bounds_are_monotonic_and_cover_their_values() {
        let mut last = 0;
        for i in 0..(SUB * OCTAVES) as usize {
            let lo = lower(i);
            assert!(i == 0 || lo > last, "bucket {i}");
            assert_eq!(bucket(lo), i, "value {lo}");
            last = lo;
        }
        assert_eq!(bucket(u64::MAX), (SUB * (OCTAVES + 1) - 1) as usize);
    }

    #[test]
    fn an_empty_run_has_zero_times() {
        assert_eq!(Histogram::default().stats(), TimeStats::default());
    }
}
