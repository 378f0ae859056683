//! The rules of a repeating shift (a chain), as pure functions: its weekday mask (When I
//! Work's bitmask, Monday the lowest bit, Sunday the highest), its limits, and the
//! expansion of its pattern into occurrences in a range of instants. Occurrences keep
//! their local wall-clock start in the chain's zone across DST changes: a 09:00 shift
//! starts at 09:00 local on both sides of the change, and lasts its length in minutes.

use jiff::civil::{Date, Time, Weekday};
use jiff::tz::TimeZone;

use crate::error::{Error, Result};

/// The furthest a chain's until date may lie after its first day, in days.
pub const MAX_UNTIL_DAYS: i64 = 366;
/// The widest week interval: every 52nd week.
pub const MAX_INTERVAL_WEEKS: i64 = 52;

/// The days of the week a chain repeats on: bit 0 Monday … bit 6 Sunday (When I Work's
/// `weekdays`: Mon–Fri = 31, M/W/F = 21, Sat+Sun = 96).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Weekdays(u8);

impl Weekdays {
    /// A mask from 1 to 127: at least one day.
    pub fn parse(field: &'static str, mask: i64) -> Result<Self> {
        match u8::try_from(mask) {
            Ok(mask @ 1..=127) => Ok(Self(mask)),
            _ => Err(Error::invalid(
                field,
                format!("{field} is a bitmask from 1 to 127 (Monday 1 … Sunday 64)"),
            )),
        }
    }

    pub fn bits(self) -> i64 {
        i64::from(self.0)
    }

    pub fn has(self, day: Weekday) -> bool {
        self.0 & (1 << day.to_monday_zero_offset()) != 0
    }
}

/// What repeats: from the first day to the until day (both included), every
/// `interval_weeks` weeks counted from the first day's week, on the mask's days, starting
/// at `start` local time in the chain's zone and lasting `length_minutes`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Pattern {
    pub first: Date,
    pub until: Date,
    pub start: Time,
    pub length_minutes: i64,
    pub interval_weeks: i64,
    pub weekdays: Weekdays,
}

/// One occurrence of a chain: its local date and its instants (Unix seconds).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Occurrence {
    pub date: Date,
    pub starts_at: i64,
    pub ends_at: i64,
}

/// The week interval and the until date: an interval of 1 to [`MAX_INTERVAL_WEEKS`], the
/// until date on or after the first day and at most [`MAX_UNTIL_DAYS`] after it.
pub fn limits(first: Date, until: Date, interval_weeks: i64) -> Result<()> {
    crate::validate::within("interval_weeks", interval_weeks, 1, MAX_INTERVAL_WEEKS)?;
    if until < first {
        return Err(Error::invalid(
            "until",
            "until must be on or after the first shift's day",
        ));
    }
    if (until - first).get_days() > MAX_UNTIL_DAYS as i32 {
        return Err(Error::invalid(
            "until",
            format!("until is at most {MAX_UNTIL_DAYS} days after the first shift's day"),
        ));
    }
    Ok(())
}

fn monday(day: Date) -> Option<Date> {
    day.checked_sub(jiff::Span::new().days(day.weekday().to_monday_zero_offset()))
        .ok()
}

/// The local date of instant `seconds` in `zone`.
pub fn local_date(seconds: i64, zone: &TimeZone) -> Option<Date> {
    jiff::Timestamp::from_second(seconds)
        .ok()
        .map(|t| t.to_zoned(zone.clone()).date())
}

impl Pattern {
    /// Whether `day` is one of the pattern's days (exceptions aside).
    pub fn falls_on(&self, day: Date) -> bool {
        if day < self.first || day > self.until || !self.weekdays.has(day.weekday()) {
            return false;
        }
        let (Some(anchor), Some(week)) = (monday(self.first), monday(day)) else {
            return false;
        };
        let weeks = i64::from((week - anchor).get_days()) / 7;
        weeks % self.interval_weeks == 0
    }

    /// The occurrence on `day`, if the pattern falls on it: a start that a DST gap skips
    /// moves forward by the gap, one that a fold repeats takes the earlier instant.
    pub fn on(&self, day: Date, zone: &TimeZone) -> Option<Occurrence> {
        if !self.falls_on(day) {
            return None;
        }
        let starts_at = day.to_datetime(self.start).to_zoned(zone.clone()).ok()?;
        let starts_at = starts_at.timestamp().as_second();
        Some(Occurrence {
            date: day,
            starts_at,
            ends_at: starts_at + self.length_minutes * 60,
        })
    }

    /// The occurrences that overlap `from..to` (instants), sorted by start. The work is
    /// bounded by the days of the range, and of the chain, whichever is fewer.
    pub fn occurrences(&self, zone: &TimeZone, from: i64, to: i64) -> Vec<Occurrence> {
        // A shift that starts the day before `from` may still run into it.
        let (Some(first), Some(last)) = (local_date(from, zone), local_date(to, zone)) else {
            return Vec::new();
        };
        let mut day = first.yesterday().unwrap_or(first).max(self.first);
        let last = last.min(self.until);
        let mut found = Vec::new();
        while day <= last {
            if let Some(occurrence) = self.on(day, zone)
                && occurrence.starts_at < to
                && occurrence.ends_at > from
            {
                found.push(occurrence);
            }
            match day.tomorrow() {
                Ok(next) => day = next,
                Err(_) => break,
            }
        }
        found
    }
}

#[cfg(test)]
mod tests {
    use jiff::civil::{date, time};
    use proptest::prelude::*;

    use super::*;

    fn zone(name: &str) -> TimeZone {
        TimeZone::get(name).expect("a known zone")
    }

    fn at(day: Date, hour: i8, zone: &TimeZone) -> i64 {
        day.at(hour, 0, 0, 0)
            .to_zoned(zone.clone())
            .expect("a local time")
            .timestamp()
            .as_second()
    }

    fn local(seconds: i64, zone: &TimeZone) -> String {
        jiff::Timestamp::from_second(seconds)
            .expect("an instant")
            .to_zoned(zone.clone())
            .strftime("%F %H:%M")
            .to_string()
    }

    fn weekdays_nine_to_five(first: Date, until: Date) -> Pattern {
        Pattern {
            first,
            until,
            start: time(9, 0, 0, 0),
            length_minutes: 8 * 60,
            interval_weeks: 1,
            weekdays: Weekdays::parse("weekdays", 31).expect("a mask"),
        }
    }

    #[test]
    fn the_mask_is_when_i_works_monday_lowest() {
        let mon_wed_fri = Weekdays::parse("weekdays", 21).expect("a mask");
        assert!(mon_wed_fri.has(Weekday::Monday));
        assert!(!mon_wed_fri.has(Weekday::Tuesday));
        assert!(mon_wed_fri.has(Weekday::Wednesday));
        assert!(mon_wed_fri.has(Weekday::Friday));
        let weekend = Weekdays::parse("weekdays", 96).expect("a mask");
        assert!(weekend.has(Weekday::Saturday) && weekend.has(Weekday::Sunday));
        assert!(!weekend.has(Weekday::Monday));
        assert!(Weekdays::parse("weekdays", 0).is_err());
        assert!(Weekdays::parse("weekdays", 128).is_err());
        assert!(Weekdays::parse("weekdays", -1).is_err());
    }

    #[test]
    fn the_until_date_is_required_within_a_year() {
        let first = date(2026, 3, 2);
        assert!(limits(first, date(2027, 3, 3), 1).is_ok());
        assert!(limits(first, date(2027, 3, 4), 1).is_err());
        assert!(limits(first, date(2026, 3, 1), 1).is_err());
        assert!(limits(first, first, 0).is_err());
        assert!(limits(first, first, 53).is_err());
    }

    #[test]
    fn wall_clock_times_survive_the_spring_change_in_london() {
        let london = zone("Europe/London");
        // The clocks go forward on Sunday 2026-03-29.
        let pattern = Pattern {
            weekdays: Weekdays::parse("weekdays", 127).expect("a mask"),
            ..weekdays_nine_to_five(date(2026, 3, 27), date(2026, 3, 31))
        };
        let found = pattern.occurrences(
            &london,
            at(date(2026, 3, 27), 0, &london),
            at(date(2026, 4, 1), 0, &london),
        );
        let shown: Vec<(String, String)> = found
            .iter()
            .map(|o| (local(o.starts_at, &london), local(o.ends_at, &london)))
            .collect();
        assert_eq!(shown.len(), 5);
        for (day, (start, end)) in (27..=31).zip(&shown) {
            assert_eq!(start, &format!("2026-03-{day} 09:00"));
            assert_eq!(end, &format!("2026-03-{day} 17:00"));
        }
        // The UTC start moves by the hour the clocks moved.
        assert_eq!(found[3].starts_at - found[1].starts_at, 2 * 86_400 - 3600);
    }

    #[test]
    fn wall_clock_times_survive_the_autumn_change_in_new_york() {
        let new_york = zone("America/New_York");
        // The clocks go back on Sunday 2026-11-01.
        let pattern = weekdays_nine_to_five(date(2026, 10, 26), date(2026, 11, 6));
        let found = pattern.occurrences(
            &new_york,
            at(date(2026, 10, 26), 0, &new_york),
            at(date(2026, 11, 7), 0, &new_york),
        );
        assert_eq!(found.len(), 10);
        assert!(
            found
                .iter()
                .all(|o| local(o.starts_at, &new_york).ends_with("09:00")
                    && local(o.ends_at, &new_york).ends_with("17:00"))
        );
        // Friday to Monday across the change is three days and one hour.
        assert_eq!(found[5].starts_at - found[4].starts_at, 3 * 86_400 + 3600);
    }

    #[test]
    fn a_start_in_the_spring_gap_moves_forward() {
        let berlin = zone("Europe/Berlin");
        let pattern = Pattern {
            start: time(2, 30, 0, 0),
            length_minutes: 60,
            weekdays: Weekdays::parse("weekdays", 64).expect("Sunday"),
            ..weekdays_nine_to_five(date(2026, 3, 29), date(2026, 3, 29))
        };
        let found = pattern
            .on(date(2026, 3, 29), &berlin)
            .expect("an occurrence");
        assert_eq!(local(found.starts_at, &berlin), "2026-03-29 03:30");
    }

    #[test]
    fn every_second_week_counts_from_the_first_days_week() {
        let utc = TimeZone::UTC;
        // Wednesday 2026-12-02; every other week on Mondays and Wednesdays.
        let pattern = Pattern {
            interval_weeks: 2,
            weekdays: Weekdays::parse("weekdays", 5).expect("a mask"),
            ..weekdays_nine_to_five(date(2026, 12, 2), date(2026, 12, 31))
        };
        let days: Vec<Date> = pattern
            .occurrences(
                &utc,
                at(date(2026, 11, 30), 0, &utc),
                at(date(2027, 1, 1), 0, &utc),
            )
            .iter()
            .map(|o| o.date)
            .collect();
        assert_eq!(
            days,
            [
                date(2026, 12, 2),
                date(2026, 12, 14),
                date(2026, 12, 16),
                date(2026, 12, 28),
                date(2026, 12, 30)
            ]
        );
    }

    #[test]
    fn a_night_shift_from_the_day_before_reaches_into_the_range() {
        let utc = TimeZone::UTC;
        let pattern = Pattern {
            start: time(22, 0, 0, 0),
            ..weekdays_nine_to_five(date(2026, 12, 7), date(2026, 12, 11))
        };
        let found = pattern.occurrences(
            &utc,
            at(date(2026, 12, 8), 0, &utc),
            at(date(2026, 12, 8), 12, &utc),
        );
        assert_eq!(found.len(), 1);
        assert_eq!(found[0].date, date(2026, 12, 7));
    }

    proptest! {
        #[test]
        fn occurrences_are_sorted_inside_the_range_on_mask_days_every_interval(
            first_offset in 0i32..400,
            length_days in 0i32..366,
            interval_weeks in 1i64..=5,
            mask in 1i64..=127,
            hour in 0i8..24,
            length_minutes in 1i64..=1440,
            from_offset in 0i64..500,
            range_days in 1i64..60,
            zone_name in prop::sample::select(vec!["Europe/London", "America/New_York", "Australia/Sydney", "UTC"]),
        ) {
            let zone = zone(zone_name);
            let first = date(2026, 1, 1) + jiff::Span::new().days(first_offset);
            let until = first + jiff::Span::new().days(length_days);
            let pattern = Pattern {
                first,
                until,
                start: time(hour, 0, 0, 0),
                length_minutes,
                interval_weeks,
                weekdays: Weekdays::parse("weekdays", mask).expect("a mask"),
            };
            let from = at(date(2026, 1, 1), 0, &zone) + from_offset * 86_400;
            let to = from + range_days * 86_400;
            let found = pattern.occurrences(&zone, from, to);
            let anchor = monday(first).expect("a Monday");
            for pair in found.windows(2) {
                prop_assert!(pair[0].starts_at < pair[1].starts_at);
            }
            for o in &found {
                prop_assert!(o.starts_at < to && o.ends_at > from);
                prop_assert!(first <= o.date && o.date <= until);
                prop_assert!(pattern.weekdays.has(o.date.weekday()));
                let weeks = i64::from((monday(o.date).expect("a Monday") - anchor).get_days()) / 7;
                prop_assert_eq!(weeks % interval_weeks, 0);
                prop_assert_eq!(o.ends_at - o.starts_at, length_minutes * 60);
            }
        }
    }
}
