//! What a leave request covers, as a vendor sends it (two wall-clock times, the end
//! exclusive) and as Rota books it (first and last day with half days at either end, or
//! a start and end time on one day in quarter hours).
//!
//! WhosOff's rule (its leave page): `start_date` is inclusive and `end_date` exclusive at
//! midnight; the morning is 00:00–12:00 and the afternoon 12:00–24:00; hours go in
//! 15-minute steps. So a range whose ends both fall at 00:00 or 12:00 is day leave
//! (12:00 at the start is an afternoon start, 12:00 at the end a morning end), and any
//! other range is leave in hours, on one day. Whatever is neither is refused naming the
//! field, never rounded.

use std::fmt;

use jiff::ToSpan;
use jiff::civil::{Date, DateTime, Time};
use rota_core::leave::duration::DayPart;
use rota_core::leave::request::{LeaveRequest, LeaveRequestInput, LeaveRequestPatch};
use rota_core::leave::whos_off::AbsenceSpan;

use super::dates::{DateError, parse_date};

/// A request as Rota books it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Booking {
    pub start_date: Date,
    /// The last day, inclusive.
    pub end_date: Date,
    pub start_part: DayPart,
    pub end_part: DayPart,
    /// For leave in hours: the start and end time on `start_date`.
    pub hours: Option<(Time, Time)>,
}

/// Which end of the range cannot be booked, and why.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SpanError {
    /// `start_date` or `end_date`.
    pub field: &'static str,
    pub reason: &'static str,
}

impl fmt::Display for SpanError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.reason)
    }
}

impl std::error::Error for SpanError {}

const START: &str = "start_date";
const END: &str = "end_date";

fn noon() -> Time {
    Time::constant(12, 0, 0, 0)
}

fn on_a_quarter_hour(at: DateTime) -> bool {
    at.minute() % 15 == 0 && at.second() == 0 && at.subsec_nanosecond() == 0
}

fn at_midnight_or_noon(at: DateTime) -> bool {
    at.time() == Time::midnight() || at.time() == noon()
}

/// The booking for WhosOff's `start_date` (inclusive) and `end_date` (exclusive).
pub fn from_whosoff(start: DateTime, end: DateTime) -> Result<Booking, SpanError> {
    let refuse = |field, reason| Err(SpanError { field, reason });
    if !on_a_quarter_hour(start) {
        return refuse(
            START,
            "start_date must fall on a quarter hour (15-minute steps)",
        );
    }
    if !on_a_quarter_hour(end) {
        return refuse(
            END,
            "end_date must fall on a quarter hour (15-minute steps)",
        );
    }
    if end <= start {
        return refuse(END, "end_date must be after start_date (it is exclusive)");
    }
    if at_midnight_or_noon(start) && at_midnight_or_noon(end) {
        let (end_date, end_part) = if end.time() == Time::midnight() {
            match end.date().yesterday() {
                Ok(last) => (last, DayPart::Full),
                Err(_) => return refuse(END, "end_date is out of range"),
            }
        } else {
            (end.date(), DayPart::Morning)
        };
        let start_part = if start.time() == noon() {
            DayPart::Afternoon
        } else {
            DayPart::Full
        };
        return Ok(Booking {
            start_date: start.date(),
            end_date,
            start_part,
            end_part,
            hours: None,
        });
    }
    if end.date() != start.date() {
        return refuse(
            END,
            "leave in hours starts and ends on one day; day leave starts and ends at 00:00 or 12:00",
        );
    }
    Ok(Booking {
        start_date: start.date(),
        end_date: start.date(),
        start_part: DayPart::Full,
        end_part: DayPart::Full,
        hours: Some((start.time(), end.time())),
    })
}

impl Booking {
    /// What a stored request covers.
    pub fn of_request(request: &LeaveRequest) -> rota_core::Result<Self> {
        Self::of_stored(
            [&request.start_date, &request.end_date],
            [request.start_part, request.end_part],
            [&request.start_time, &request.end_time],
        )
    }

    /// What a stored absence covers.
    pub fn of_absence(absence: &AbsenceSpan) -> rota_core::Result<Self> {
        Self::of_stored(
            [&absence.start_date, &absence.end_date],
            [absence.start_part, absence.end_part],
            [&absence.start_time, &absence.end_time],
        )
    }

    /// From the dates, parts and times (`HH:MM`) Rota shows.
    fn of_stored(
        [start, end]: [&Date; 2],
        [start_part, end_part]: [DayPart; 2],
        [from, to]: [&Option<String>; 2],
    ) -> rota_core::Result<Self> {
        let corrupt = |what: &str| rota_core::Error::Internal(format!("leave {what}").into());
        let clock = |text: &Option<String>| {
            text.as_deref()
                .map(|t| t.parse::<Time>().map_err(|_| corrupt("time")))
                .transpose()
        };
        Ok(Self {
            start_date: *start,
            end_date: *end,
            start_part,
            end_part,
            hours: clock(from)?.zip(clock(to)?),
        })
    }

    fn times(&self) -> (Option<String>, Option<String>) {
        let clock = |t: Time| t.strftime("%H:%M").to_string();
        match self.hours {
            Some((from, to)) => (Some(clock(from)), Some(clock(to))),
            None => (None, None),
        }
    }

    /// A request for this booking.
    pub fn into_input(
        self,
        user_id: Option<i64>,
        leave_type_id: i64,
        note: Option<String>,
    ) -> LeaveRequestInput {
        let (start_time, end_time) = self.times();
        LeaveRequestInput {
            user_id,
            leave_type_id,
            start_date: self.start_date.to_string(),
            end_date: self.end_date.to_string(),
            start_part: Some(self.start_part),
            end_part: Some(self.end_part),
            start_time,
            end_time,
            note,
        }
    }

    /// An edit moving a request to this booking. A booking in days clears the times.
    pub fn into_patch(self, patch: LeaveRequestPatch) -> LeaveRequestPatch {
        let (start_time, end_time) = self.times();
        LeaveRequestPatch {
            start_date: Some(self.start_date.to_string()),
            end_date: Some(self.end_date.to_string()),
            start_part: Some(self.start_part),
            end_part: Some(self.end_part),
            start_time: Some(start_time),
            end_time: Some(end_time),
            ..patch
        }
    }
}

/// WhosOff's `start_date` and exclusive `end_date` for a booking; `None` past the last
/// representable day.
pub fn to_whosoff(booking: &Booking) -> Option<(DateTime, DateTime)> {
    if let Some((from, to)) = booking.hours {
        return Some((
            booking.start_date.to_datetime(from),
            booking.start_date.to_datetime(to),
        ));
    }
    let start_time = if booking.start_part == DayPart::Afternoon {
        noon()
    } else {
        Time::midnight()
    };
    let end = if booking.end_part == DayPart::Morning {
        booking.end_date.to_datetime(noon())
    } else {
        booking
            .end_date
            .checked_add(1.day())
            .ok()?
            .to_datetime(Time::midnight())
    };
    Some((booking.start_date.to_datetime(start_time), end))
}

/// A wall-clock time as WhosOff sends one for leave: `YYYY-MM-DDTHH:MM[:SS]`, or a date
/// alone for its midnight. Leave is booked in local days, so no zone applies.
pub fn parse_wall_clock(text: &str) -> Result<DateTime, DateError> {
    let text = text.trim();
    if let Ok(day) = parse_date(text) {
        return Ok(day.to_datetime(Time::midnight()));
    }
    let error = || DateError {
        expected: "a date and time as YYYY-MM-DDTHH:MM[:SS]",
    };
    if !text.contains('T') {
        return Err(error());
    }
    text.parse::<DateTime>().map_err(|_| error())
}

/// A wall-clock time as WhosOff writes one: `YYYY-MM-DDTHH:MM:SS`.
pub fn format_wall_clock(at: DateTime) -> String {
    at.strftime("%Y-%m-%dT%H:%M:%S").to_string()
}

#[cfg(test)]
mod tests {
    use super::*;
    use jiff::civil::{date, time};

    fn at(text: &str) -> DateTime {
        text.parse().expect("a datetime")
    }

    fn days(start: Date, end: Date, start_part: DayPart, end_part: DayPart) -> Booking {
        Booking {
            start_date: start,
            end_date: end,
            start_part,
            end_part,
            hours: None,
        }
    }

    /// Every row of the table on WhosOff's leave page, both ways.
    #[test]
    fn the_whosoff_table_books_as_it_reads() {
        let day = date(2023, 3, 28);
        let cases = [
            (
                "2023-03-28T00:00",
                "2023-03-29T00:00",
                days(day, day, DayPart::Full, DayPart::Full),
            ),
            (
                "2023-03-23T00:00",
                "2023-03-29T00:00",
                days(date(2023, 3, 23), day, DayPart::Full, DayPart::Full),
            ),
            (
                "2023-03-28T00:00",
                "2023-03-28T12:00",
                days(day, day, DayPart::Full, DayPart::Morning),
            ),
            (
                "2023-03-28T12:00",
                "2023-03-29T00:00",
                days(day, day, DayPart::Afternoon, DayPart::Full),
            ),
            (
                "2023-03-28T09:00",
                "2023-03-28T09:15",
                Booking {
                    hours: Some((time(9, 0, 0, 0), time(9, 15, 0, 0))),
                    ..days(day, day, DayPart::Full, DayPart::Full)
                },
            ),
        ];
        for (start, end, booking) in cases {
            assert_eq!(from_whosoff(at(start), at(end)), Ok(booking), "{start}");
            assert_eq!(to_whosoff(&booking), Some((at(start), at(end))), "{start}");
        }
    }

    #[test]
    fn half_days_at_both_ends_of_a_range() {
        assert_eq!(
            from_whosoff(at("2023-03-27T12:00"), at("2023-03-29T12:00")),
            Ok(days(
                date(2023, 3, 27),
                date(2023, 3, 29),
                DayPart::Afternoon,
                DayPart::Morning
            ))
        );
    }

    #[test]
    fn what_rota_cannot_book_is_refused_naming_the_field() {
        let refused =
            |start: &str, end: &str| from_whosoff(at(start), at(end)).err().map(|e| e.field);
        assert_eq!(refused("2023-03-28T09:16", "2023-03-28T10:00"), Some(START));
        assert_eq!(refused("2023-03-28T09:00", "2023-03-28T10:01"), Some(END));
        assert_eq!(
            refused("2023-03-28T09:00:30", "2023-03-28T10:00"),
            Some(START)
        );
        assert_eq!(refused("2023-03-28T10:00", "2023-03-28T09:00"), Some(END));
        assert_eq!(refused("2023-03-28T12:00", "2023-03-28T12:00"), Some(END));
        // Not midnight-aligned day leave: hours across two days.
        assert_eq!(refused("2023-03-28T09:00", "2023-03-29T00:00"), Some(END));
        assert_eq!(refused("2023-03-28T00:00", "2023-03-29T09:00"), Some(END));
    }

    #[test]
    fn a_morning_start_is_a_full_start_and_the_last_day_ends_the_range() {
        let booking = days(
            date(2023, 3, 28),
            date(2023, 3, 28),
            DayPart::Morning,
            DayPart::Full,
        );
        assert_eq!(
            to_whosoff(&booking),
            Some((at("2023-03-28T00:00"), at("2023-03-29T00:00")))
        );
        let last = days(Date::MAX, Date::MAX, DayPart::Full, DayPart::Full);
        assert_eq!(to_whosoff(&last), None);
    }

    #[test]
    fn wall_clock_times_are_read_with_or_without_seconds_and_a_date_is_its_midnight() {
        assert_eq!(
            parse_wall_clock("2023-03-28T09:15"),
            Ok(at("2023-03-28T09:15"))
        );
        assert_eq!(
            parse_wall_clock("2023-03-28T09:15:30"),
            Ok(at("2023-03-28T09:15:30"))
        );
        assert_eq!(parse_wall_clock(" 2023-03-28 "), Ok(at("2023-03-28T00:00")));
        for bad in ["2023-03-28 09:15x", "28/03/2023", "", "2023-02-30T00:00"] {
            assert!(parse_wall_clock(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn wall_clock_times_are_written_to_the_second() {
        assert_eq!(
            format_wall_clock(at("2023-03-28T09:15")),
            "2023-03-28T09:15:00"
        );
    }
}
