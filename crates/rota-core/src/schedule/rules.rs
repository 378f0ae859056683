//! The rules of a shift, as pure functions over instants (Unix seconds), minutes and
//! dates: its length, its breaks, the days it touches in its zone, the conflicts an
//! assignment would make, and which of them the company lets through as warnings.

use jiff::civil::Date;
use jiff::tz::TimeZone;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::error::{Error, Result, code};

/// The longest a shift may be.
pub const MAX_SHIFT_MINUTES: i64 = 24 * 60;
/// The longest a shift's notes may be, in characters.
pub const NOTES_MAX: usize = 2000;
/// The most breaks one shift may have.
pub const MAX_BREAKS: usize = 10;

/// The longest range a publish, unpublish or delete by filter may cover, in days.
pub const MAX_RANGE_DAYS: i64 = 366;

/// The longest range the schedule is read for at once, unpaged, in days: six weeks.
pub const MAX_VIEW_DAYS: i64 = 42;

/// A range of instants acted on at once: `to` after `from`, at most [`MAX_RANGE_DAYS`].
pub fn range(from: i64, to: i64) -> Result<()> {
    range_of_at_most(from, to, MAX_RANGE_DAYS)
}

/// A range of instants the schedule is read for: `to` after `from`, at most
/// [`MAX_VIEW_DAYS`].
pub fn view_range(from: i64, to: i64) -> Result<()> {
    range_of_at_most(from, to, MAX_VIEW_DAYS)
}

fn range_of_at_most(from: i64, to: i64, days: i64) -> Result<()> {
    if to <= from {
        return Err(Error::invalid("to", "to must be after from"));
    }
    if to - from > days * 24 * 3600 {
        return Err(Error::invalid(
            "to",
            format!("a range covers at most {days} days"),
        ));
    }
    Ok(())
}

/// A scheduled break as checked: its length, whether it is paid, and when it starts, if
/// that is planned.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Break {
    pub length_minutes: i64,
    pub paid: bool,
    pub starts_at: Option<i64>,
}

/// A shift's start and end: the end after the start, at most [`MAX_SHIFT_MINUTES`] later.
pub fn times(starts_at: i64, ends_at: i64) -> Result<()> {
    if ends_at <= starts_at {
        return Err(Error::invalid("ends_at", "ends_at must be after starts_at"));
    }
    if ends_at - starts_at > MAX_SHIFT_MINUTES * 60 {
        return Err(Error::invalid(
            "ends_at",
            "a shift is at most 24 hours long",
        ));
    }
    Ok(())
}

/// A shift's breaks: each at least a minute long and, when its start is planned, wholly
/// inside the shift; together shorter than the shift.
pub fn breaks(starts_at: i64, ends_at: i64, breaks: &[Break]) -> Result<()> {
    if breaks.len() > MAX_BREAKS {
        return Err(Error::invalid(
            "breaks",
            format!("a shift has at most {MAX_BREAKS} breaks"),
        ));
    }
    let shift_minutes = (ends_at - starts_at) / 60;
    for (i, item) in breaks.iter().enumerate() {
        if !(1..=MAX_SHIFT_MINUTES).contains(&item.length_minutes) {
            return Err(Error::invalid(
                format!("breaks[{i}].length_minutes"),
                format!("a break is from 1 to {MAX_SHIFT_MINUTES} minutes long"),
            ));
        }
        if let Some(start) = item.starts_at
            && (start < starts_at || start + item.length_minutes * 60 > ends_at)
        {
            return Err(Error::invalid(
                format!("breaks[{i}].starts_at"),
                "a break lies wholly inside its shift",
            ));
        }
    }
    let total: i64 = breaks.iter().map(|b| b.length_minutes).sum();
    if !breaks.is_empty() && total >= shift_minutes {
        return Err(Error::invalid(
            "breaks",
            "the breaks together must be shorter than the shift",
        ));
    }
    Ok(())
}

/// Whether two spans of instants (start inclusive, end exclusive) share a moment: a shift
/// that ends at nine and one that starts at nine do not.
pub fn overlap(a: (i64, i64), b: (i64, i64)) -> bool {
    a.0 < b.1 && b.0 < a.1
}

/// The dates, in `zone`, that a shift from `starts_at` to `ends_at` covers: a night shift
/// covers two, and one that ends at midnight does not reach the next day.
pub fn days(starts_at: i64, ends_at: i64, zone: &TimeZone) -> Vec<Date> {
    let date = |seconds: i64| {
        jiff::Timestamp::from_second(seconds)
            .map(|t| t.to_zoned(zone.clone()).date())
            .ok()
    };
    let (Some(first), Some(last)) = (date(starts_at), date(ends_at - 1)) else {
        return Vec::new();
    };
    let mut days = Vec::new();
    let mut day = first;
    while day <= last {
        days.push(day);
        match day.tomorrow() {
            Ok(next) => day = next,
            Err(_) => break,
        }
    }
    days
}

/// What stands in the way of giving a shift to its user, named by its error code.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub enum Conflict {
    /// Another of their shifts overlaps it.
    #[serde(rename = "shift_overlap")]
    Shift,
    /// Their approved leave covers one of its days.
    #[serde(rename = "shift_over_leave")]
    Leave,
    /// A business-closed day for its location covers one of its days.
    #[serde(rename = "business_closed")]
    Closed,
    /// It overlaps a time its user said they are unavailable.
    #[serde(rename = "outside_availability")]
    Unavailable,
}

impl Conflict {
    /// Every kind, in the order they are looked for.
    pub const ALL: [Conflict; 4] = [Self::Shift, Self::Leave, Self::Closed, Self::Unavailable];

    /// Its stable code.
    pub fn code(self) -> &'static str {
        match self {
            Self::Shift => code::SHIFT_OVERLAP,
            Self::Leave => code::SHIFT_OVER_LEAVE,
            Self::Closed => code::BUSINESS_CLOSED,
            Self::Unavailable => code::OUTSIDE_AVAILABILITY,
        }
    }

    /// What it means, for a person.
    pub fn message(self) -> &'static str {
        match self {
            Self::Shift => {
                "the user already has a shift at this time; a manager may assign it anyway with override"
            }
            Self::Leave => {
                "the user has approved leave on this day; a manager may assign it anyway with override"
            }
            Self::Closed => {
                "the business is closed on this day; a manager may schedule it anyway with override"
            }
            Self::Unavailable => {
                "the user is unavailable at this time; a manager may assign it anyway with override"
            }
        }
    }

    /// The refusal, with its stable code.
    pub fn error(self) -> Error {
        self.error_saying(self.message())
    }

    /// The refusal with its stable code and `message`.
    fn error_saying(self, message: impl Into<std::borrow::Cow<'static, str>>) -> Error {
        Error::conflict(self.code(), Some("user_id"), message)
    }
}

/// A conflict the company lets through, returned beside the shift saved despite it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct Warning {
    pub code: Conflict,
    pub message: String,
}

impl From<Conflict> for Warning {
    fn from(conflict: Conflict) -> Self {
        Self {
            code: conflict,
            message: conflict.message().to_owned(),
        }
    }
}

/// The facts a new or changed assignment is checked against, gathered by the service.
#[derive(Debug, Clone, Default)]
pub struct Calendar {
    /// The user's other shifts, as spans of instants.
    pub shifts: Vec<(i64, i64)>,
    /// The days of their approved leave, inclusive ranges.
    pub leave: Vec<(Date, Date)>,
    /// The business-closed days that apply, inclusive ranges.
    pub closed: Vec<(Date, Date)>,
    /// The times they are unavailable (their availability events), as spans of instants.
    pub unavailable: Vec<(i64, i64)>,
}

/// Every conflict of a shift from `starts_at` to `ends_at` (covering `days`) with
/// `calendar`, in the order shifts, leave, closed days, unavailable times.
pub fn conflicts(
    starts_at: i64,
    ends_at: i64,
    days: &[Date],
    calendar: &Calendar,
) -> Vec<Conflict> {
    let covers = |ranges: &[(Date, Date)]| {
        ranges
            .iter()
            .any(|(from, to)| days.iter().any(|d| from <= d && d <= to))
    };
    let overlaps = |spans: &[(i64, i64)]| {
        spans
            .iter()
            .any(|other| overlap((starts_at, ends_at), *other))
    };
    [
        (Conflict::Shift, overlaps(&calendar.shifts)),
        (Conflict::Leave, covers(&calendar.leave)),
        (Conflict::Closed, covers(&calendar.closed)),
        (Conflict::Unavailable, overlaps(&calendar.unavailable)),
    ]
    .into_iter()
    .filter_map(|(conflict, found)| found.then_some(conflict))
    .collect()
}

/// The first conflict of [`conflicts`].
pub fn conflict(
    starts_at: i64,
    ends_at: i64,
    days: &[Date],
    calendar: &Calendar,
) -> Option<Conflict> {
    conflicts(starts_at, ends_at, days, calendar)
        .into_iter()
        .next()
}

/// What the company makes of the conflicts `found`: the first that is not among `warned`
/// refuses the shift; if none does, those found are its warnings.
pub fn judge(
    found: &[Conflict],
    warned: &[Conflict],
) -> std::result::Result<Vec<Warning>, Conflict> {
    match found.iter().find(|c| !warned.contains(c)) {
        Some(&refusal) => Err(refusal),
        None => Ok(found.iter().map(|&c| Warning::from(c)).collect()),
    }
}

/// What the company makes of the conflicts `found` on each day a repeating shift falls
/// on, in order: the first not among `warned` refuses it, its message naming the day;
/// else the warnings met, each kind once, naming the first day it falls on.
pub fn judge_days(found: &[(Date, Vec<Conflict>)], warned: &[Conflict]) -> Result<Vec<Warning>> {
    let mut warnings: Vec<Warning> = Vec::new();
    for (day, conflicts) in found {
        let on_day = |message: &str| format!("on {day}: {message}");
        let met = judge(conflicts, warned)
            .map_err(|refusal| refusal.error_saying(on_day(refusal.message())))?;
        for warning in met {
            if !warnings.iter().any(|w| w.code == warning.code) {
                warnings.push(Warning {
                    message: on_day(&warning.message),
                    ..warning
                });
            }
        }
    }
    Ok(warnings)
}

/// Where a user works, for whether a shift fits them: their positions and locations.
#[derive(Debug, Clone, Default)]
pub struct WorksAt {
    pub positions: Vec<i64>,
    pub locations: Vec<i64>,
}

/// Whether a shift at `location_id` (of `position_id`, if any) fits a user who `works_at`:
/// its position is one of theirs, and its location one of theirs unless they have none
/// (then every location is). Refused with `not_eligible`.
pub fn eligible(location_id: i64, position_id: Option<i64>, works_at: &WorksAt) -> Result<()> {
    if let Some(position_id) = position_id
        && !works_at.positions.contains(&position_id)
    {
        return Err(Error::conflict(
            code::NOT_ELIGIBLE,
            Some("position_id"),
            "the shift's position is not one of the user's",
        ));
    }
    if !works_at.locations.is_empty() && !works_at.locations.contains(&location_id) {
        return Err(Error::conflict(
            code::NOT_ELIGIBLE,
            Some("location_id"),
            "the shift's location is not one of the user's",
        ));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use jiff::civil::date;

    use super::*;

    const NINE: i64 = 1_796_115_600; // 2026-12-01T09:00:00Z
    const HOUR: i64 = 3600;

    #[test]
    fn a_repeating_shift_warns_once_a_kind_and_is_refused_naming_the_day() {
        let day = |d: i8| date(2055, 3, d);
        let found = vec![
            (day(3), vec![]),
            (day(10), vec![Conflict::Shift]),
            (day(17), vec![Conflict::Shift, Conflict::Leave]),
        ];
        let warned = judge_days(&found, &[Conflict::Shift, Conflict::Leave]).unwrap();
        let said: Vec<(Conflict, &str)> = warned
            .iter()
            .map(|w| (w.code, w.message.split(':').next().unwrap()))
            .collect();
        assert_eq!(
            said,
            [
                (Conflict::Shift, "on 2055-03-10"),
                (Conflict::Leave, "on 2055-03-17")
            ]
        );
        match judge_days(&found, &[Conflict::Shift]) {
            Err(Error::Conflict { code, message, .. }) => {
                assert_eq!(code, Conflict::Leave.code());
                assert!(message.starts_with("on 2055-03-17: "), "{message}");
            }
            other => panic!("{other:?}"),
        }
        assert!(judge_days(&[], &[]).unwrap().is_empty());
    }

    fn field(error: Error) -> String {
        match error {
            Error::Invalid { field: Some(f), .. } => f.into_owned(),
            other => panic!("not a field error: {other:?}"),
        }
    }

    #[test]
    fn a_shift_ends_after_it_starts_and_lasts_at_most_a_day() {
        assert!(times(NINE, NINE + 8 * HOUR).is_ok());
        assert!(times(NINE, NINE + 24 * HOUR).is_ok());
        assert_eq!(field(times(NINE, NINE).unwrap_err()), "ends_at");
        assert_eq!(field(times(NINE, NINE - HOUR).unwrap_err()), "ends_at");
        assert_eq!(
            field(times(NINE, NINE + 24 * HOUR + 60).unwrap_err()),
            "ends_at"
        );
    }

    #[test]
    fn breaks_lie_inside_the_shift_and_are_shorter_than_it_together() {
        let lunch = |starts_at| Break {
            length_minutes: 30,
            paid: false,
            starts_at,
        };
        let end = NINE + 8 * HOUR;
        assert!(breaks(NINE, end, &[]).is_ok());
        assert!(breaks(NINE, end, &[lunch(None), lunch(Some(NINE + 4 * HOUR))]).is_ok());
        assert!(breaks(NINE, end, &[lunch(Some(end - 30 * 60))]).is_ok());
        assert_eq!(
            field(breaks(NINE, end, &[lunch(Some(NINE - 60))]).unwrap_err()),
            "breaks[0].starts_at"
        );
        assert_eq!(
            field(breaks(NINE, end, &[lunch(None), lunch(Some(end - 60))]).unwrap_err()),
            "breaks[1].starts_at"
        );
        let long = Break {
            length_minutes: 8 * 60,
            ..lunch(None)
        };
        assert_eq!(field(breaks(NINE, end, &[long]).unwrap_err()), "breaks");
        let none = Break {
            length_minutes: 0,
            ..lunch(None)
        };
        assert_eq!(
            field(breaks(NINE, end, &[none]).unwrap_err()),
            "breaks[0].length_minutes"
        );
        let many = vec![lunch(None); MAX_BREAKS + 1];
        assert_eq!(
            field(breaks(NINE, NINE + 24 * HOUR, &many).unwrap_err()),
            "breaks"
        );
    }

    #[test]
    fn a_range_runs_forwards_for_at_most_a_year() {
        assert!(range(NINE, NINE + HOUR).is_ok());
        assert!(range(NINE, NINE + MAX_RANGE_DAYS * 24 * HOUR).is_ok());
        assert_eq!(field(range(NINE, NINE).unwrap_err()), "to");
        assert_eq!(
            field(range(NINE, NINE + (MAX_RANGE_DAYS * 24 + 1) * HOUR).unwrap_err()),
            "to"
        );
    }

    #[test]
    fn the_schedule_is_read_for_at_most_six_weeks() {
        assert!(view_range(NINE, NINE + MAX_VIEW_DAYS * 24 * HOUR).is_ok());
        assert_eq!(field(view_range(NINE, NINE - HOUR).unwrap_err()), "to");
        assert_eq!(
            field(view_range(NINE, NINE + (MAX_VIEW_DAYS * 24 + 1) * HOUR).unwrap_err()),
            "to"
        );
    }

    #[test]
    fn shifts_that_touch_do_not_overlap() {
        assert!(overlap((0, 10), (5, 15)));
        assert!(overlap((0, 10), (2, 3)));
        assert!(!overlap((0, 10), (10, 20)));
        assert!(!overlap((10, 20), (0, 10)));
    }

    #[test]
    fn a_shift_covers_the_days_of_its_zone() {
        let london = TimeZone::get("Europe/London").unwrap();
        let sydney = TimeZone::get("Australia/Sydney").unwrap();
        assert_eq!(days(NINE, NINE + 8 * HOUR, &london), [date(2026, 12, 1)]);
        // 09:00 UTC is 20:00 in Sydney (summer time, +11): an eight-hour shift runs past
        // midnight there.
        assert_eq!(
            days(NINE, NINE + 8 * HOUR, &sydney),
            [date(2026, 12, 1), date(2026, 12, 2)]
        );
        // A shift ending at midnight in London covers one day only.
        let midnight = NINE + 15 * HOUR;
        assert_eq!(days(NINE, midnight, &london), [date(2026, 12, 1)]);
    }

    #[test]
    fn a_night_shift_across_the_clocks_going_back_covers_both_days() {
        // 2026-10-25: London goes from +01:00 to +00:00 at 02:00 local. 22:00 BST on the
        // 24th is 21:00 UTC; the shift runs nine hours of real time, to 06:00 GMT.
        let london = TimeZone::get("Europe/London").unwrap();
        let start = 1_792_875_600; // 2026-10-24T21:00:00Z
        assert_eq!(
            days(start, start + 9 * HOUR, &london),
            [date(2026, 10, 24), date(2026, 10, 25)]
        );
        assert!(times(start, start + 9 * HOUR).is_ok());
    }

    #[test]
    fn the_first_conflict_is_another_shift_then_leave_then_a_closed_day_then_unavailability() {
        let day = [date(2026, 12, 1)];
        let span = (NINE, NINE + 8 * HOUR);
        let clear = Calendar::default();
        assert_eq!(conflict(span.0, span.1, &day, &clear), None);
        let all = Calendar {
            shifts: vec![(NINE + 7 * HOUR, NINE + 10 * HOUR)],
            leave: vec![(date(2026, 11, 30), date(2026, 12, 1))],
            closed: vec![(date(2026, 12, 1), date(2026, 12, 1))],
            unavailable: vec![(NINE - HOUR, NINE + HOUR)],
        };
        assert_eq!(conflict(span.0, span.1, &day, &all), Some(Conflict::Shift));
        let no_shift = Calendar {
            shifts: vec![(NINE + 8 * HOUR, NINE + 10 * HOUR)],
            ..all.clone()
        };
        assert_eq!(
            conflict(span.0, span.1, &day, &no_shift),
            Some(Conflict::Leave)
        );
        let closed_only = Calendar {
            leave: vec![(date(2026, 12, 2), date(2026, 12, 3))],
            ..no_shift
        };
        assert_eq!(
            conflict(span.0, span.1, &day, &closed_only),
            Some(Conflict::Closed)
        );
        let unavailable_only = Calendar {
            closed: Vec::new(),
            ..closed_only.clone()
        };
        assert_eq!(
            conflict(span.0, span.1, &day, &unavailable_only),
            Some(Conflict::Unavailable)
        );
        let available_after = Calendar {
            unavailable: vec![(NINE + 8 * HOUR, NINE + 9 * HOUR)],
            ..unavailable_only
        };
        assert_eq!(conflict(span.0, span.1, &day, &available_after), None);
        for (conflict, code) in [
            (Conflict::Shift, "shift_overlap"),
            (Conflict::Leave, "shift_over_leave"),
            (Conflict::Closed, "business_closed"),
            (Conflict::Unavailable, "outside_availability"),
        ] {
            assert_eq!(conflict.error().code(), code);
        }
    }

    #[test]
    fn every_conflict_is_found_in_order() {
        let day = [date(2026, 12, 1)];
        let all = Calendar {
            shifts: vec![(NINE + 7 * HOUR, NINE + 10 * HOUR)],
            leave: vec![(date(2026, 12, 1), date(2026, 12, 1))],
            closed: vec![(date(2026, 12, 1), date(2026, 12, 1))],
            unavailable: vec![(NINE - HOUR, NINE + HOUR)],
        };
        assert_eq!(conflicts(NINE, NINE + 8 * HOUR, &day, &all), Conflict::ALL);
        let two = Calendar {
            shifts: Vec::new(),
            closed: Vec::new(),
            ..all
        };
        assert_eq!(
            conflicts(NINE, NINE + 8 * HOUR, &day, &two),
            [Conflict::Leave, Conflict::Unavailable]
        );
    }

    #[test]
    fn a_company_refuses_on_the_first_conflict_it_does_not_let_through() {
        let found = [Conflict::Leave, Conflict::Unavailable];
        // Today's default: nothing is a warning, so the first conflict refuses.
        assert_eq!(judge(&found, &[]), Err(Conflict::Leave));
        assert_eq!(
            judge(&found, &[Conflict::Leave]),
            Err(Conflict::Unavailable)
        );
        assert_eq!(
            judge(&found, &[Conflict::Unavailable, Conflict::Leave]),
            Ok(vec![
                Warning::from(Conflict::Leave),
                Warning::from(Conflict::Unavailable)
            ])
        );
        assert_eq!(judge(&[], &[]), Ok(Vec::new()));
        assert_eq!(
            serde_json::to_value(Warning::from(Conflict::Closed)).unwrap()["code"],
            "business_closed"
        );
    }

    #[test]
    fn a_shift_fits_whoever_holds_its_position_and_works_at_its_location() {
        let refused_on = |result: Result<()>| match result {
            Err(Error::Conflict { code, field, .. }) => {
                assert_eq!(code, code::NOT_ELIGIBLE);
                field.map(|f| f.into_owned())
            }
            other => panic!("expected not_eligible, got {other:?}"),
        };
        let nowhere = WorksAt::default();
        let cook_at_one = WorksAt {
            positions: vec![5],
            locations: vec![1],
        };
        // Without a position or locations of their own, any shift without a position fits.
        assert!(eligible(1, None, &nowhere).is_ok());
        assert!(eligible(1, Some(5), &cook_at_one).is_ok());
        assert!(eligible(1, None, &cook_at_one).is_ok());
        assert_eq!(
            refused_on(eligible(1, Some(5), &nowhere)).as_deref(),
            Some("position_id")
        );
        assert_eq!(
            refused_on(eligible(1, Some(6), &cook_at_one)).as_deref(),
            Some("position_id")
        );
        assert_eq!(
            refused_on(eligible(2, Some(5), &cook_at_one)).as_deref(),
            Some("location_id")
        );
    }
}
