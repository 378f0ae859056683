//! Dates and instants as the vendors write them. Rota keeps dates as `YYYY-MM-DD` and
//! instants as instants; the faces speak:
//!
//! - WhosOff: `DATE` as `YYYY-MM-DD`; `DATETIME` as the company's wall-clock time without
//!   an offset (`2023-03-28T09:00`), and a leave's end exclusive at midnight (one day off
//!   on the 28th is `2023-03-28T00:00` to `2023-03-29T00:00`).
//! - When I Work: RFC 2822 in the account's zone (`Mon, 08 May 2023 08:30:00 -0600`),
//!   ISO 8601 accepted as well; `start` and `end` filters as dates or instants.
//! - Offly: dates `YYYY-MM-DD`, instants RFC 3339 in UTC.
//!
//! A wall-clock time that does not exist (the hour skipped when clocks go forward) is
//! read as the same time after the change, and one that happens twice (clocks going back)
//! as the first of the two.

use std::fmt;

use jiff::civil::{Date, DateTime};
use jiff::fmt::rfc2822;
use jiff::tz::TimeZone;
use jiff::{Timestamp, ToSpan};

/// Text that is not a date or an instant in the form asked for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DateError {
    /// The form that was expected, for the message.
    pub expected: &'static str,
}

impl fmt::Display for DateError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "expected {}", self.expected)
    }
}

impl std::error::Error for DateError {}

const DATE: &str = "a date as YYYY-MM-DD";
const WALL_CLOCK: &str = "a date and time as YYYY-MM-DDTHH:MM[:SS]";
const INSTANT: &str = "an RFC 2822 or ISO 8601 date and time with an offset";

/// A date, exactly `YYYY-MM-DD` (WhosOff's `DATE`, Offly's dates).
pub fn parse_date(text: &str) -> Result<Date, DateError> {
    let text = text.trim();
    let error = || DateError { expected: DATE };
    if text.len() != 10 {
        return Err(error());
    }
    text.parse::<Date>().map_err(|_| error())
}

/// The instant of a wall-clock time in `zone`.
fn in_zone(datetime: DateTime, zone: &TimeZone) -> Result<Timestamp, DateError> {
    // `to_ambiguous_zoned(…).compatible()`: a skipped time moves forward, a repeated one
    // takes the earlier instant.
    zone.to_ambiguous_zoned(datetime)
        .compatible()
        .map(|zoned| zoned.timestamp())
        .map_err(|_| DateError {
            expected: WALL_CLOCK,
        })
}

/// WhosOff's `DATETIME`: the company's wall-clock time, with or without seconds. An
/// instant with an offset or `Z` is taken as that instant.
pub fn parse_whosoff_datetime(text: &str, zone: &TimeZone) -> Result<Timestamp, DateError> {
    let text = text.trim();
    if let Ok(instant) = text.parse::<Timestamp>() {
        return Ok(instant);
    }
    let error = || DateError {
        expected: WALL_CLOCK,
    };
    // A date alone is not a DATETIME; jiff would read it as midnight.
    if !text.contains('T') {
        return Err(error());
    }
    let datetime = text.parse::<DateTime>().map_err(|_| error())?;
    in_zone(datetime, zone)
}

/// An instant as WhosOff's `DATETIME`: the company's wall-clock time, to the second.
pub fn format_whosoff_datetime(instant: Timestamp, zone: &TimeZone) -> String {
    instant
        .to_zoned(zone.clone())
        .datetime()
        .strftime("%Y-%m-%dT%H:%M:%S")
        .to_string()
}

/// The days a WhosOff leave covers, from its `end_date`, exclusive at midnight: ending at
/// midnight, the last day is the one before; ending during a day (a morning off, hours),
/// it is that day.
pub fn whosoff_last_day(end: DateTime) -> Date {
    if end.time() == jiff::civil::Time::midnight() {
        end.date().yesterday().unwrap_or(end.date())
    } else {
        end.date()
    }
}

/// The exclusive WhosOff `end_date` of leave whose last day is `last_day`: the next
/// midnight. `None` past the last date there is.
pub fn whosoff_exclusive_end(last_day: Date) -> Option<DateTime> {
    last_day
        .checked_add(1.day())
        .ok()
        .map(|next| next.to_datetime(jiff::civil::Time::midnight()))
}

/// When I Work's instants: RFC 2822 (`Mon, 08 May 2023 08:30:00 -0600`) or ISO 8601 with
/// an offset.
pub fn parse_wheniwork_instant(text: &str) -> Result<Timestamp, DateError> {
    let text = text.trim();
    text.parse::<Timestamp>()
        .or_else(|_| rfc2822::parse(text).map(|zoned| zoned.timestamp()))
        .map_err(|_| DateError { expected: INSTANT })
}

/// When I Work's `start` and `end` filters: a date (midnight in the account's zone) or an
/// instant.
pub fn parse_wheniwork_bound(text: &str, zone: &TimeZone) -> Result<Timestamp, DateError> {
    match parse_date(text) {
        Ok(date) => in_zone(date.to_datetime(jiff::civil::Time::midnight()), zone),
        Err(_) => parse_wheniwork_instant(text),
    }
}

/// An instant as When I Work writes it: RFC 2822 in the account's zone.
pub fn format_wheniwork_instant(instant: Timestamp, zone: &TimeZone) -> String {
    instant
        .to_zoned(zone.clone())
        .strftime("%a, %d %b %Y %H:%M:%S %z")
        .to_string()
}

/// An instant as Offly writes it: RFC 3339 in UTC, to the second.
pub fn format_offly_instant(instant: Timestamp) -> String {
    instant.strftime("%Y-%m-%dT%H:%M:%SZ").to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn zone(name: &str) -> TimeZone {
        TimeZone::get(name).expect("a zone")
    }

    fn instant(text: &str) -> Timestamp {
        text.parse().expect("an instant")
    }

    #[test]
    fn dates_are_exactly_year_month_day() {
        assert_eq!(parse_date("2024-02-29"), Ok(jiff::civil::date(2024, 2, 29)));
        assert_eq!(
            parse_date(" 2024-02-29 "),
            Ok(jiff::civil::date(2024, 2, 29))
        );
        for bad in [
            "2023-02-29",
            "2024-2-29",
            "29/02/2024",
            "2024-02-29T00:00",
            "",
            "20240229",
        ] {
            assert_eq!(parse_date(bad), Err(DateError { expected: DATE }), "{bad}");
        }
    }

    #[test]
    fn whosoff_wall_clock_times_are_read_in_the_company_zone() {
        let london = zone("Europe/London");
        assert_eq!(
            parse_whosoff_datetime("2023-03-28T09:00", &london),
            Ok(instant("2023-03-28T08:00:00Z"))
        );
        assert_eq!(
            parse_whosoff_datetime("2023-01-10T09:00:30", &london),
            Ok(instant("2023-01-10T09:00:30Z"))
        );
        assert_eq!(
            parse_whosoff_datetime("2023-03-28T09:00:00+02:00", &london),
            Ok(instant("2023-03-28T07:00:00Z"))
        );
        for bad in ["2023-03-28", "2023-03-28T25:00", "yesterday", ""] {
            assert!(parse_whosoff_datetime(bad, &london).is_err(), "{bad}");
        }
    }

    #[test]
    fn a_skipped_hour_moves_forward_and_a_repeated_one_takes_the_first() {
        let london = zone("Europe/London");
        // 31 March 2024: 01:00 GMT becomes 02:00 BST; 01:30 never happens.
        assert_eq!(
            parse_whosoff_datetime("2024-03-31T01:30", &london),
            Ok(instant("2024-03-31T01:30:00Z"))
        );
        // 27 October 2024: 01:30 happens in BST (00:30Z), then again in GMT (01:30Z).
        assert_eq!(
            parse_whosoff_datetime("2024-10-27T01:30", &london),
            Ok(instant("2024-10-27T00:30:00Z"))
        );
    }

    #[test]
    fn whosoff_datetimes_are_written_in_the_company_zone() {
        let london = zone("Europe/London");
        assert_eq!(
            format_whosoff_datetime(instant("2023-07-01T08:00:00Z"), &london),
            "2023-07-01T09:00:00"
        );
        assert_eq!(
            format_whosoff_datetime(instant("2023-12-01T08:00:00Z"), &london),
            "2023-12-01T08:00:00"
        );
    }

    #[test]
    fn a_whosoff_end_is_exclusive_at_midnight() {
        let at = |text: &str| text.parse::<DateTime>().expect("a datetime");
        let day = |y, m, d| jiff::civil::date(y, m, d);
        // All day on the 28th; a morning; an afternoon; hours.
        assert_eq!(whosoff_last_day(at("2023-03-29T00:00")), day(2023, 3, 28));
        assert_eq!(whosoff_last_day(at("2023-03-28T12:00")), day(2023, 3, 28));
        assert_eq!(whosoff_last_day(at("2023-03-28T09:15")), day(2023, 3, 28));
        assert_eq!(whosoff_last_day(at("2024-03-01T00:00")), day(2024, 2, 29));
        assert_eq!(
            whosoff_exclusive_end(day(2023, 12, 31)),
            Some(at("2024-01-01T00:00"))
        );
        assert_eq!(whosoff_exclusive_end(Date::MAX), None);
    }

    #[test]
    fn when_i_work_instants_are_rfc_2822_in_the_account_zone() {
        let denver = zone("America/Denver");
        let at = instant("2023-05-08T14:30:00Z");
        assert_eq!(
            format_wheniwork_instant(at, &denver),
            "Mon, 08 May 2023 08:30:00 -0600"
        );
        assert_eq!(
            parse_wheniwork_instant("Mon, 08 May 2023 08:30:00 -0600"),
            Ok(at)
        );
        assert_eq!(parse_wheniwork_instant("2023-05-08T08:30:00-06:00"), Ok(at));
        // In winter Denver is seven hours behind.
        assert_eq!(
            format_wheniwork_instant(instant("2023-01-09T15:30:00Z"), &denver),
            "Mon, 09 Jan 2023 08:30:00 -0700"
        );
        for bad in ["Mon, 08 May 2023", "2023-05-08T08:30:00", "soon"] {
            assert_eq!(
                parse_wheniwork_instant(bad),
                Err(DateError { expected: INSTANT }),
                "{bad}"
            );
        }
    }

    #[test]
    fn when_i_work_bounds_take_a_date_at_local_midnight_or_an_instant() {
        let denver = zone("America/Denver");
        assert_eq!(
            parse_wheniwork_bound("2023-05-08", &denver),
            Ok(instant("2023-05-08T06:00:00Z"))
        );
        assert_eq!(
            parse_wheniwork_bound("Mon, 08 May 2023 08:30:00 -0600", &denver),
            Ok(instant("2023-05-08T14:30:00Z"))
        );
        assert!(parse_wheniwork_bound("08/05/2023", &denver).is_err());
    }

    #[test]
    fn offly_instants_are_utc_to_the_second() {
        assert_eq!(
            format_offly_instant(instant("2024-01-05T09:30:15.250+01:00")),
            "2024-01-05T08:30:15Z"
        );
    }
}
