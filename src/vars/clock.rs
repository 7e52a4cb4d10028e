//! Formatting instants the way Postman prints them, in UTC. Hand-rolled
//! because the only time crate available (humantime) panics on instants
//! before 1970 and cannot print JavaScript's `Date.toString()` layout.

use std::time::{SystemTime, UNIX_EPOCH};

/// Milliseconds since the Unix epoch, negative before it.
pub(crate) fn unix_millis(time: SystemTime) -> i64 {
    match time.duration_since(UNIX_EPOCH) {
        Ok(after) => i64::try_from(after.as_millis()).unwrap_or(i64::MAX),
        Err(before) => i64::try_from(before.duration().as_millis()).map_or(i64::MIN, |ms| -ms),
    }
}

/// A UTC calendar breakdown of an instant.
struct Civil {
    year: i64,
    month: u32,     // 1..=12
    day: u32,       // 1..=31
    weekday: usize, // 0 = Sunday
    hour: i64,
    minute: i64,
    second: i64,
    millis: i64,
}

impl Civil {
    fn from_unix_millis(millis: i64) -> Civil {
        let days = millis.div_euclid(86_400_000);
        let in_day = millis.rem_euclid(86_400_000);
        let (year, month, day) = civil_from_days(days);
        Civil {
            year,
            month,
            day,
            // 1970-01-01 was a Thursday.
            weekday: usize::try_from((days + 4).rem_euclid(7)).unwrap_or(0),
            hour: in_day / 3_600_000,
            minute: in_day / 60_000 % 60,
            second: in_day / 1000 % 60,
            millis: in_day % 1000,
        }
    }
}

/// Howard Hinnant's `civil_from_days`: days since 1970-01-01 to a proleptic
/// Gregorian date. Exact for every i64 the callers can produce from millis.
fn civil_from_days(days: i64) -> (i64, u32, u32) {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let day_of_era = z.rem_euclid(146_097);
    let year_of_era =
        (day_of_era - day_of_era / 1460 + day_of_era / 36_524 - day_of_era / 146_096) / 365;
    let day_of_year = day_of_era - (365 * year_of_era + year_of_era / 4 - year_of_era / 100);
    let shifted_month = (5 * day_of_year + 2) / 153; // March = 0
    let day = day_of_year - (153 * shifted_month + 2) / 5 + 1;
    let month = if shifted_month < 10 {
        shifted_month + 3
    } else {
        shifted_month - 9
    };
    let year = year_of_era + era * 400 + i64::from(month <= 2);
    // Both are small by construction.
    (year, month as u32, day as u32)
}

/// `2024-05-06T07:08:09.010Z`, as `new Date().toISOString()`.
pub(crate) fn iso_8601(millis: i64) -> String {
    let c = Civil::from_unix_millis(millis);
    format!(
        "{:04}-{:02}-{:02}T{:02}:{:02}:{:02}.{:03}Z",
        c.year, c.month, c.day, c.hour, c.minute, c.second, c.millis
    )
}

/// `Mon May 06 2024 07:08:09 GMT+0000 (Coordinated Universal Time)`, the
/// shape Postman's `$randomDate*` values have (JavaScript `Date.toString()`).
pub(crate) fn js_date_string(millis: i64) -> String {
    const WEEKDAYS: [&str; 7] = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"];
    const MONTHS: [&str; 12] = [
        "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
    ];
    let c = Civil::from_unix_millis(millis);
    let month = MONTHS[(c.month as usize).clamp(1, 12) - 1];
    format!(
        "{} {} {:02} {:04} {:02}:{:02}:{:02} GMT+0000 (Coordinated Universal Time)",
        WEEKDAYS[c.weekday % 7],
        month,
        c.day,
        c.year,
        c.hour,
        c.minute,
        c.second
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::Duration;

    #[test]
    fn iso_known_instants() {
        assert_eq!(iso_8601(0), "1970-01-01T00:00:00.000Z");
        assert_eq!(iso_8601(1_715_000_000_123), "2024-05-06T12:53:20.123Z");
        // Leap day and the day before the epoch.
        assert_eq!(iso_8601(951_782_400_000), "2000-02-29T00:00:00.000Z");
        assert_eq!(iso_8601(-1), "1969-12-31T23:59:59.999Z");
    }

    #[test]
    fn js_date_known_instants() {
        assert_eq!(
            js_date_string(0),
            "Thu Jan 01 1970 00:00:00 GMT+0000 (Coordinated Universal Time)"
        );
        assert_eq!(
            js_date_string(1_715_000_000_123),
            "Mon May 06 2024 12:53:20 GMT+0000 (Coordinated Universal Time)"
        );
    }

    #[test]
    fn unix_millis_handles_both_sides_of_the_epoch() {
        assert_eq!(unix_millis(UNIX_EPOCH + Duration::from_millis(1500)), 1500);
        assert_eq!(unix_millis(UNIX_EPOCH - Duration::from_millis(1500)), -1500);
    }

    #[test]
    fn extreme_instants_do_not_panic() {
        for millis in [i64::MIN, i64::MIN / 2, i64::MAX / 2, i64::MAX] {
            let _ = iso_8601(millis);
            let _ = js_date_string(millis);
        }
    }
}
