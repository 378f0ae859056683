//! Instants as the API writes them.

use jiff::tz::TimeZone;

/// Unix seconds as RFC 3339 in UTC, such as `2026-11-23T09:30:00Z`.
pub fn rfc3339(seconds: i64) -> String {
    jiff::Timestamp::from_second(seconds)
        .map(|t| t.to_string())
        .unwrap_or_else(|_| seconds.to_string())
}

/// Unix seconds as RFC 3339 with the offset `zone` has at that instant, such as
/// `2026-11-23T09:30:00+00:00` in Europe/London and `2026-07-01T10:30:00+01:00` in summer.
pub fn rfc3339_in(seconds: i64, zone: &TimeZone) -> String {
    jiff::Timestamp::from_second(seconds)
        .map(|t| t.display_with_offset(zone.to_offset(t)).to_string())
        .unwrap_or_else(|_| seconds.to_string())
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
}
