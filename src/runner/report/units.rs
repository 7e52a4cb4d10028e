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

    #[test]
    fn times_read_like_newman() {
        assert_eq!(pretty_ms(Duration::from_micros(850)), "850µs");
        assert_eq!(pretty_ms(Duration::ZERO), "0µs");
        assert_eq!(pretty_ms(Duration::from_micros(35_400)), "35ms");
        assert_eq!(pretty_ms(Duration::from_millis(1997)), "1997ms");
        assert_eq!(pretty_ms(Duration::from_millis(2000)), "2s");
        assert_eq!(pretty_ms(Duration::from_millis(2560)), "2.5s");
        assert_eq!(pretty_ms(Duration::from_millis(65_000)), "1m 5s");
        assert_eq!(pretty_ms(Duration::from_millis(3_600_000)), "1h");
        assert_eq!(pretty_ms(Duration::from_millis(7_381_200)), "2h 3m 1.2s");
    }

    #[test]
    fn sizes_read_like_newman() {
        assert_eq!(file_size(0), "0B");
        assert_eq!(file_size(532), "532B");
        assert_eq!(file_size(999), "999B");
        assert_eq!(file_size(1000), "1kB");
        assert_eq!(file_size(1234), "1.23kB");
        assert_eq!(file_size(1500), "1.5kB");
        assert_eq!(file_size(999_999), "1MB");
        assert_eq!(file_size(2_500_000), "2.5MB");
    }
}
