//! Wall-clock arithmetic for a location's zone, pure: a time of day on a date made an
//! instant (a shift from a template), and an instant moved by whole days keeping its
//! local time (a week copied). Across a change of the clocks the local time is kept and
//! the UTC offset follows: a start in a spring gap moves forward by the gap, one in an
//! autumn fold takes the earlier instant (jiff's "compatible" rule, as repeating shifts).

use jiff::civil::{Date, Time};
use jiff::tz::TimeZone;
use jiff::{Span, Timestamp};

use crate::error::{Error, Result};

/// The instant of `time` on `day` in `zone`.
pub fn at(day: Date, time: Time, zone: &TimeZone) -> Result<i64> {
    day.to_datetime(time)
        .to_zoned(zone.clone())
        .map(|z| z.timestamp().as_second())
        .map_err(|e| Error::invalid("date", format!("no such local time: {e}")))
}

/// A span of `start` to `end` on `day` in `zone`: an end not after the start falls on the
/// next day (a night shift).
pub fn span(day: Date, start: Time, end: Time, zone: &TimeZone) -> Result<(i64, i64)> {
    let end_day = if end <= start { next(day)? } else { day };
    Ok((at(day, start, zone)?, at(end_day, end, zone)?))
}

/// The minutes on the clock from `start` to `end`, an end not after the start falling on
/// the next day, as [`span`] places it: the length of a repeating shift's every day.
pub fn clock_minutes(start: Time, end: Time) -> i64 {
    const DAY_MINUTES: i64 = 24 * 60;
    let minutes = |t: Time| i64::from(t.hour()) * 60 + i64::from(t.minute());
    match minutes(end) - minutes(start) {
        length if length > 0 => length,
        length => length + DAY_MINUTES,
    }
}

fn next(day: Date) -> Result<Date> {
    day.tomorrow()
        .map_err(|_| Error::invalid("date", "the date is out of range"))
}

/// Instant `seconds` moved by `days` whole days at the same local time in `zone`.
pub fn moved(seconds: i64, days: i64, zone: &TimeZone) -> Result<i64> {
    let local = Timestamp::from_second(seconds)
        .map_err(|e| Error::Internal(format!("a stored instant: {e}").into()))?
        .to_zoned(zone.clone())
        .datetime();
    let shifted = local
        .checked_add(Span::new().days(days))
        .map_err(|_| Error::invalid("to", "the week is out of range"))?;
    shifted
        .to_zoned(zone.clone())
        .map(|z| z.timestamp().as_second())
        .map_err(|e| Error::invalid("to", format!("no such local time: {e}")))
}

#[cfg(test)]
mod tests {
    use jiff::civil::{date, time};

    use super::*;

    #[test]
    fn an_end_not_after_the_start_is_the_next_days_on_the_clock() {
        assert_eq!(clock_minutes(time(9, 0, 0, 0), time(17, 30, 0, 0)), 510);
        assert_eq!(clock_minutes(time(22, 0, 0, 0), time(6, 0, 0, 0)), 480);
        assert_eq!(clock_minutes(time(8, 0, 0, 0), time(8, 0, 0, 0)), 24 * 60);
    }

    fn zone(name: &str) -> TimeZone {
        TimeZone::get(name).expect("zone")
    }

    fn local(seconds: i64, zone: &TimeZone) -> String {
        Timestamp::from_second(seconds)
            .expect("instant")
            .to_zoned(zone.clone())
            .strftime("%Y-%m-%dT%H:%M%:z")
            .to_string()
    }

    #[test]
    fn a_template_keeps_its_local_times_across_the_spring_change_in_london() {
        let london = zone("Europe/London");
        for (day, offset) in [(date(2027, 3, 27), "+00:00"), (date(2027, 3, 29), "+01:00")] {
            let (start, end) = span(day, time(9, 0, 0, 0), time(17, 0, 0, 0), &london).unwrap();
            assert_eq!(local(start, &london), format!("{day}T09:00{offset}"));
            assert_eq!(end - start, 8 * 3600);
        }
        // The night the clocks go forward is an hour shorter.
        let (start, end) = span(
            date(2027, 3, 27),
            time(22, 0, 0, 0),
            time(6, 0, 0, 0),
            &london,
        )
        .unwrap();
        assert_eq!(local(end, &london), "2027-03-28T06:00+01:00");
        assert_eq!(end - start, 7 * 3600);
    }

    #[test]
    fn a_start_in_the_gap_moves_forward_and_one_in_the_fold_takes_the_earlier_instant() {
        let new_york = zone("America/New_York");
        let gap = at(date(2027, 3, 14), time(2, 30, 0, 0), &new_york).unwrap();
        assert_eq!(local(gap, &new_york), "2027-03-14T03:30-04:00");
        let fold = at(date(2027, 11, 7), time(1, 30, 0, 0), &new_york).unwrap();
        assert_eq!(local(fold, &new_york), "2027-11-07T01:30-04:00");
    }

    #[test]
    fn a_week_copied_across_a_change_keeps_its_wall_clock_times() {
        let london = zone("Europe/London");
        let before = at(date(2027, 3, 22), time(9, 0, 0, 0), &london).unwrap();
        let after = moved(before, 7, &london).unwrap();
        assert_eq!(local(after, &london), "2027-03-29T09:00+01:00");
        assert_eq!(after - before, 7 * 24 * 3600 - 3600);
        let new_york = zone("America/New_York");
        let autumn = at(date(2027, 10, 31), time(18, 0, 0, 0), &new_york).unwrap();
        let copied = moved(autumn, 7, &new_york).unwrap();
        assert_eq!(local(copied, &new_york), "2027-11-07T18:00-05:00");
        assert_eq!(copied - autumn, 7 * 24 * 3600 + 3600);
        let back = moved(copied, -7, &new_york).unwrap();
        assert_eq!(back, autumn);
    }
}
