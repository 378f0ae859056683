//! Instants as the API writes them, and days in a time zone.

use jiff::Timestamp;
use jiff::civil::Date;
use jiff::tz::TimeZone;

use crate::error::{Error, Result};

/// The first instant of `day` in `zone`, as Unix seconds.
pub fn day_start(day: Date, zone: &TimeZone) -> Result<i64> {
    day.to_zoned(zone.clone())
        .map(|z| z.timestamp().as_second())
        .map_err(|e| Error::Internal(e.to_string().into()))
}

/// The day Unix `seconds` fall on in `zone`.
pub fn day_at(seconds: i64, zone: &TimeZone) -> Result<Date> {
    Timestamp::from_second(seconds)
        .map(|t| t.to_zoned(zone.clone()).date())
        .map_err(|e| Error::Internal(e.to_string().into()))
}

/// Today in `zone`.
pub fn today(zone: &TimeZone) -> Date {
    Timestamp::now().to_zoned(zone.clone()).date()
}

/// Unix seconds as RFC 3339 in UTC, such as `2026-11-23T09:30:00Z`.
pub fn rfc3339(seconds: i64) -> String {
    Timestamp::from_second(seconds)
        .map(|t| t.to_string())
        .unwrap_or_else(|_| seconds.to_string())
}

/// Unix seconds as RFC 3339 with the offset `zone` has then, such as
/// `2026-11-23T09:30:00+01:00`.
pub fn rfc3339_in(seconds: i64, zone: &TimeZone) -> String {
    Timestamp::from_second(seconds)
        .map(|t| t.display_with_offset(zone.to_offset(t)).to_string())
        .unwrap_or_else(|_| seconds.to_string())
}

/// How many seconds `zone`'s clock is ahead of UTC at `seconds`.
pub fn offset_at(seconds: i64, zone: &TimeZone) -> i64 {
    Timestamp::from_second(seconds)
        .map(|t| i64::from(zone.to_offset(t).seconds()))
        .unwrap_or(0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_instant_shows_the_offset_of_its_zone_on_that_day() {
        let london = TimeZone::get("Europe/London").unwrap();
        // 2026-03-29 is the day the clocks go forward: 00:30 UTC is GMT, 01:30 UTC is BST.
        let before = 1_774_744_200; // 2026-03-29T00:30:00Z
        assert_eq!(rfc3339_in(before, &london), "2026-03-29T00:30:00+00:00");
        assert_eq!(
            rfc3339_in(before + 3600, &london),
            "2026-03-29T02:30:00+01:00"
        );
        let new_york = TimeZone::get("America/New_York").unwrap();
        assert_eq!(rfc3339_in(before, &new_york), "2026-03-28T20:30:00-04:00");
    }

    #[test]
    fn instants_show_the_offset_of_their_zone_at_the_time() {
        let london = TimeZone::get("Europe/London").unwrap();
        // 2026-01-15T09:00Z is winter (GMT), 2026-07-15T09:00Z summer (BST).
        assert_eq!(
            rfc3339_in(1_768_467_600, &london),
            "2026-01-15T09:00:00+00:00"
        );
        assert_eq!(
            rfc3339_in(1_784_106_000, &london),
            "2026-07-15T10:00:00+01:00"
        );
        assert_eq!(offset_at(1_784_106_000, &london), 3600);
        assert_eq!(rfc3339_in(0, &TimeZone::UTC), "1970-01-01T00:00:00+00:00");
    }
}
