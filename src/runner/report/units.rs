//! Times and sizes written the way newman writes them (`util.prettyms`,
//! `util.filesize`), so a log read side by side with newman's agrees.

use std::time::Duration;

/// `850µs`, `35ms`, `1997ms`, then `2.5s`, `1m 5s`, `2h 3m 1.2s`.
pub fn pretty_ms(d: Duration) -> String {
    let ms = d.as_secs_f64() * 1000.0;
    if ms < 1.0 {
        return format!("{}µs", (ms * 1000.0) as u64);
    }
    if ms < 1998.0 {
        return format!("{}ms", ms as u64);
    }
    // pretty-ms: whole units down to minutes, seconds floored to a tenth.
    let total_secs = ms / 1000.0;
    let days = (total_secs / 86_400.0).trunc() as u64;
    let hours = ((total_secs / 3_600.0).trunc() as u64) % 24;
    let minutes = ((total_secs / 60.0).trunc() as u64) % 60;
    let seconds = ((total_secs % 60.0) * 10.0 + 1e-7).floor() / 10.0;
    let mut parts = Vec::new();
    for (value, unit) in [
        (days / 365, "y"),
        (days % 365, "d"),
        (hours, "h"),
        (minutes, "m"),
    ] {
        if value > 0 {
            parts.push(format!("{value}{unit}"));
        }
    }
    if seconds > 0.0 {
        parts.push(format!("{seconds}s"));
    }
    parts.join(" ")
}

/// `0B`, `532B`, `1.23kB`, `2.5MB`: powers of 1000, two decimals at most.
pub fn file_size(bytes: u64) -> String {
    const UNITS: [&str; 9] = ["B", "kB", "MB", "GB", "TB", "PB", "EB", "ZB", "YB"];
    if bytes == 0 {
        return "0B".to_string();
    }
    let num = bytes as f64;
    let mut e = ((num.ln() / 1000f64.ln()).floor() as usize).min(8);
    let val = num / 1000f64.powi(e as i32);
    let p = if e > 0 { 100.0 } else { 1.0 };
    let mut rounded = (val * p).round() / p;
    if rounded >= 1000.0 && e < 8 {
        rounded = 1.0;
        e += 1;
    }
    format!("{rounded}{}", UNITS[e])
}

#[cfg(test)]
mod tests {
    use super::*;

    // Expected values come from newman's own packages (filesize 10.1.4
    // with `spacer: ''`, pretty-ms 7.0.1 behind newman's `util.prettyms`).

    #[test]
    fn times_read_like_newman() {
        let cases = [
            (0, "0µs"),
            (500, "0µs"),
            (850000, "850µs"),
            (1000000, "1ms"),
            (35400000, "35ms"),
            (1997900000, "1997ms"),
            (1998000000, "1.9s"),
            (1999000000, "1.9s"),
            (2000000000, "2s"),
            (2560000000, "2.5s"),
            (59999000000, "59.9s"),
            (60000000000, "1m"),
            (65000000000, "1m 5s"),
            (3599999000000, "59m 59.9s"),
            (3600000000000, "1h"),
            (7381200000000, "2h 3m 1.2s"),
            (86400000000000, "1d"),
            (90061100000000, "1d 1h 1m 1.1s"),
        ];
        for (nanos, want) in cases {
            assert_eq!(pretty_ms(Duration::from_nanos(nanos)), want, "{nanos}ns");
        }
    }

    #[test]
    fn sizes_read_like_newman() {
        let cases = [
            (0, "0B"),
            (1, "1B"),
            (999, "999B"),
            (1000, "1kB"),
            (1001, "1kB"),
            (1234, "1.23kB"),
            (1499, "1.5kB"),
            (1500, "1.5kB"),
            (9999, "10kB"),
            (10000, "10kB"),
            (99999, "100kB"),
            (999499, "999.5kB"),
            (999500, "999.5kB"),
            (999999, "1MB"),
            (1000000, "1MB"),
            (1234567, "1.23MB"),
            (2500000, "2.5MB"),
            (999999999, "1GB"),
            (1000000000, "1GB"),
            (1500000000000, "1.5TB"),
        ];
        for (bytes, want) in cases {
            assert_eq!(file_size(bytes), want, "{bytes}B");
        }
    }
}
