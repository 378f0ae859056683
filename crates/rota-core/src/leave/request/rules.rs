//! The rules a leave request is checked against, as plain functions over plain values:
//! no database, no clock (today is an argument), unit tests beside them. The services in
//! [`super::plan`] and [`super::lifecycle`] load the facts and ask these.

use std::collections::{BTreeSet, HashSet};

use jiff::civil::Date;

use crate::error::{Error, Result, code};
use crate::leave::duration::{AbsenceDay, DayPart, Span};
use crate::leave::types::TypeKind;
use crate::leave::year::LeaveYearStart;

/// A call that books one kind only (`wanted`) refuses type `id` of the other kind with
/// `wrong_type_kind` on `leave_type_id`; a call that books either (`None`) takes any.
pub fn type_kind(id: i64, kind: TypeKind, wanted: Option<TypeKind>) -> Result<()> {
    let Some(wanted) = wanted.filter(|wanted| *wanted != kind) else {
        return Ok(());
    };
    let (is, books) = match wanted {
        TypeKind::Overtime => ("a leave", "overtime"),
        TypeKind::Leave => ("an overtime", "leave"),
    };
    Err(Error::Invalid {
        code: code::WRONG_TYPE_KIND,
        message: format!("type {id} is {is} type: this call books {books}").into(),
        field: Some("leave_type_id".into()),
    })
}

/// Start and end times go together: both, or neither.
pub fn clock_pair<T>(start: Option<T>, end: Option<T>) -> Result<Option<(T, T)>> {
    match (start, end) {
        (Some(from), Some(to)) => Ok(Some((from, to))),
        (None, None) => Ok(None),
        (None, Some(_)) => Err(Error::invalid(
            "start_time",
            "start_time and end_time go together",
        )),
        (Some(_), None) => Err(Error::invalid(
            "end_time",
            "start_time and end_time go together",
        )),
    }
}

/// A type booked in whole days refuses a half day at either end.
pub fn half_days(allowed: bool, span: &Span) -> Result<()> {
    if !allowed && (span.start_part != DayPart::Full || span.end_part != DayPart::Full) {
        return Err(Error::invalid(
            "start_part",
            "this leave type is booked in whole days",
        ));
    }
    Ok(())
}

/// A request stays within one leave year; returns the first day of that year.
pub fn leave_year(rule: LeaveYearStart, start: Date, end: Date) -> Result<Date> {
    let year_start = rule.year_of(start)?;
    if end > rule.last_day(year_start)? {
        return Err(Error::invalid(
            "end_date",
            "a request stays within one leave year; split it at the year's end",
        ));
    }
    Ok(year_start)
}

/// No-time-off days stop staff; a super user may book across one, with a note.
pub fn no_time_off(
    days: &[AbsenceDay],
    no_time_off: &HashSet<Date>,
    super_user: bool,
    note: Option<&str>,
) -> Result<()> {
    let Some(day) = days
        .iter()
        .find(|d| d.day_off.is_none() && no_time_off.contains(&d.date))
    else {
        return Ok(());
    };
    let justified = super_user && note.is_some_and(|n| !n.trim().is_empty());
    if justified {
        return Ok(());
    }
    Err(Error::invalid(
        "start_date",
        format!(
            "{} is a no-time-off day{}",
            day.date,
            if super_user {
                "; give a note to book across it"
            } else {
                ""
            }
        ),
    ))
}

/// A request holds some working time, and at least the type's minimum.
pub fn duration(total_minutes: i64, minimum_minutes: i64) -> Result<()> {
    if total_minutes == 0 {
        return Err(Error::invalid(
            "start_date",
            "these dates hold no working time",
        ));
    }
    if total_minutes < minimum_minutes {
        return Err(Error::invalid(
            "end_date",
            format!("this leave type needs at least {minimum_minutes} minutes"),
        ));
    }
    Ok(())
}

/// Someone asking for themselves gives the type's notice: `start` no earlier than
/// `notice_days` after `today`.
pub fn notice(today: Date, start: Date, notice_days: i64) -> Result<()> {
    if notice_days <= 0 {
        return Ok(());
    }
    let earliest = today
        .checked_add(jiff::Span::new().days(notice_days))
        .map_err(|e| Error::Internal(e.to_string().into()))?;
    if start < earliest {
        return Err(Error::invalid(
            "start_date",
            format!("this leave type needs {notice_days} days' notice"),
        ));
    }
    Ok(())
}

/// Someone cancelling their own leave does so at least `period_days` before it starts.
pub fn cancellation_window(today: Date, start: Date, period_days: i64) -> Result<()> {
    if period_days <= 0 {
        return Ok(());
    }
    let days_ahead = i64::from((start - today).get_days());
    if days_ahead < period_days {
        return Err(Error::conflict(
            code::TOO_LATE_TO_CANCEL,
            None,
            format!("this leave type cannot be cancelled within {period_days} days of its start"),
        ));
    }
    Ok(())
}

/// The minutes of `date` (from, to) a stored request covering `span` occupies, if any.
pub fn occupies(span: &Span, date: Date) -> Option<(i64, i64)> {
    if date < span.start || date > span.end {
        return None;
    }
    if let Some(window) = span.minutes {
        return Some(window);
    }
    Some(
        DayPart::on_day(
            span.start_part,
            span.end_part,
            date == span.start,
            date == span.end,
        )
        .window(),
    )
}

/// The minutes a planned request takes on each of its working days.
pub fn windows(span: &Span, days: &[AbsenceDay]) -> Vec<(Date, (i64, i64))> {
    days.iter()
        .filter(|d| d.day_off.is_none())
        .map(|d| (d.date, span.minutes.unwrap_or_else(|| d.part.window())))
        .collect()
}

/// The first booked request (id, span) that `wanted` overlaps, and the day it does.
pub fn first_overlap(wanted: &[(Date, (i64, i64))], booked: &[(i64, Span)]) -> Option<(i64, Date)> {
    booked.iter().find_map(|(id, span)| {
        wanted.iter().find_map(|(date, (from, to))| {
            occupies(span, *date)
                .filter(|(other_from, other_to)| *from < *other_to && *other_from < *to)
                .map(|_| (*id, *date))
        })
    })
}

/// Who (by user id) is away on `date`, among stretches of approved leave `(user, first, last)`.
pub fn away_on(date: Date, stretches: &[(i64, Date, Date)]) -> BTreeSet<i64> {
    stretches
        .iter()
        .filter(|(_, first, last)| *first <= date && date <= *last)
        .map(|(user, _, _)| *user)
        .collect()
}

/// How many of a department of `staff` active people would be in when `away` others and
/// the requester are off, if that falls below `minimum`.
pub fn shortfall(staff: i64, away: i64, minimum: i64) -> Option<i64> {
    let in_office = staff - away - 1;
    (minimum > 0 && in_office < minimum).then_some(in_office)
}

#[cfg(test)]
mod tests {
    use jiff::civil::date;

    use super::*;
    use crate::leave::duration::DayOff;

    fn span(start: Date, end: Date) -> Span {
        Span::whole_days(start, end)
    }

    #[test]
    fn a_call_of_one_kind_refuses_a_type_of_the_other() {
        use TypeKind::{Leave, Overtime};
        assert!(type_kind(3, Leave, None).is_ok());
        assert!(type_kind(3, Overtime, None).is_ok());
        assert!(type_kind(3, Leave, Some(Leave)).is_ok());
        let error = type_kind(3, Leave, Some(Overtime)).unwrap_err();
        assert_eq!(error.code(), code::WRONG_TYPE_KIND);
        assert_eq!(
            error.to_string(),
            "type 3 is a leave type: this call books overtime"
        );
        let error = type_kind(7, Overtime, Some(Leave)).unwrap_err();
        assert_eq!(
            error.to_string(),
            "type 7 is an overtime type: this call books leave"
        );
        assert!(matches!(error, Error::Invalid { field: Some(f), .. } if f == "leave_type_id"));
    }

    fn day(date: Date, day_off: Option<DayOff>) -> AbsenceDay {
        AbsenceDay {
            date,
            part: DayPart::Full,
            minutes: 450,
            day_hundredths: 100,
            day_off,
        }
    }

    #[test]
    fn start_and_end_times_go_together() {
        assert_eq!(clock_pair(Some(1), Some(2)).unwrap(), Some((1, 2)));
        assert_eq!(clock_pair::<i64>(None, None).unwrap(), None);
        assert!(clock_pair(None, Some(2)).is_err());
        assert!(clock_pair(Some(1), None).is_err());
    }

    #[test]
    fn a_whole_day_type_refuses_half_days() {
        let mut half = span(date(2026, 3, 2), date(2026, 3, 3));
        half.end_part = DayPart::Morning;
        assert!(half_days(false, &half).is_err());
        assert!(half_days(true, &half).is_ok());
        assert!(half_days(false, &span(date(2026, 3, 2), date(2026, 3, 3))).is_ok());
    }

    #[test]
    fn a_request_stays_within_one_leave_year() {
        let april = LeaveYearStart::new(4, 1).unwrap();
        assert_eq!(
            leave_year(april, date(2026, 3, 30), date(2026, 3, 31)).unwrap(),
            date(2025, 4, 1)
        );
        assert!(leave_year(april, date(2026, 3, 31), date(2026, 4, 1)).is_err());
    }

    #[test]
    fn no_time_off_days_stop_all_but_a_super_user_with_a_note() {
        let blocked: HashSet<Date> = [date(2026, 3, 3)].into();
        let days = [day(date(2026, 3, 2), None), day(date(2026, 3, 3), None)];
        assert!(no_time_off(&days, &blocked, false, Some("please")).is_err());
        assert!(no_time_off(&days, &blocked, true, Some("  ")).is_err());
        assert!(no_time_off(&days, &blocked, true, Some("cover arranged")).is_ok());
        // A day that counts nothing anyway (a holiday) is not booked, so it does not block.
        let holiday = [day(date(2026, 3, 3), Some(DayOff::PublicHoliday))];
        assert!(no_time_off(&holiday, &blocked, false, None).is_ok());
    }

    #[test]
    fn a_request_holds_working_time_and_the_types_minimum() {
        assert!(duration(0, 0).is_err());
        assert!(duration(200, 240).is_err());
        assert!(duration(240, 240).is_ok());
    }

    #[test]
    fn notice_counts_days_from_today() {
        let today = date(2026, 3, 2);
        assert!(notice(today, date(2026, 3, 8), 7).is_err());
        assert!(notice(today, date(2026, 3, 9), 7).is_ok());
        assert!(notice(today, today, 0).is_ok());
    }

    #[test]
    fn cancelling_inside_the_window_is_too_late() {
        let today = date(2026, 3, 2);
        let err = cancellation_window(today, date(2026, 3, 4), 3).unwrap_err();
        assert!(matches!(
            err,
            Error::Conflict {
                code: code::TOO_LATE_TO_CANCEL,
                ..
            }
        ));
        assert!(cancellation_window(today, date(2026, 3, 5), 3).is_ok());
        assert!(cancellation_window(today, date(2026, 1, 1), 0).is_ok());
    }

    #[test]
    fn half_days_at_either_end_occupy_half_the_day() {
        let mut stored = span(date(2026, 3, 2), date(2026, 3, 4));
        stored.start_part = DayPart::Afternoon;
        stored.end_part = DayPart::Morning;
        assert_eq!(occupies(&stored, date(2026, 3, 1)), None);
        assert_eq!(
            occupies(&stored, date(2026, 3, 2)),
            Some(DayPart::Afternoon.window())
        );
        assert_eq!(
            occupies(&stored, date(2026, 3, 3)),
            Some(DayPart::Full.window())
        );
        assert_eq!(
            occupies(&stored, date(2026, 3, 4)),
            Some(DayPart::Morning.window())
        );
    }

    #[test]
    fn a_morning_and_an_afternoon_share_a_date_but_two_mornings_do_not() {
        let mut afternoon = span(date(2026, 3, 2), date(2026, 3, 2));
        afternoon.start_part = DayPart::Afternoon;
        let booked = [(7, afternoon)];
        let morning = [(date(2026, 3, 2), DayPart::Morning.window())];
        assert_eq!(first_overlap(&morning, &booked), None);
        let whole = [(date(2026, 3, 2), DayPart::Full.window())];
        assert_eq!(first_overlap(&whole, &booked), Some((7, date(2026, 3, 2))));
        let mut hours = span(date(2026, 3, 2), date(2026, 3, 2));
        hours.minutes = Some((9 * 60, 10 * 60));
        let later = [(date(2026, 3, 2), (10 * 60, 11 * 60))];
        assert_eq!(first_overlap(&later, &[(8, hours)]), None);
    }

    #[test]
    fn days_off_take_no_window() {
        let planned = span(date(2026, 3, 2), date(2026, 3, 3));
        let days = [
            day(date(2026, 3, 2), Some(DayOff::PublicHoliday)),
            day(date(2026, 3, 3), None),
        ];
        assert_eq!(
            windows(&planned, &days),
            vec![(date(2026, 3, 3), DayPart::Full.window())]
        );
    }

    #[test]
    fn each_person_away_counts_once_a_day() {
        let stretches = [
            (1, date(2026, 3, 2), date(2026, 3, 3)),
            (1, date(2026, 3, 3), date(2026, 3, 3)),
            (2, date(2026, 3, 3), date(2026, 3, 9)),
        ];
        assert_eq!(away_on(date(2026, 3, 2), &stretches), [1].into());
        assert_eq!(away_on(date(2026, 3, 3), &stretches), [1, 2].into());
        assert!(away_on(date(2026, 3, 10), &stretches).is_empty());
    }

    #[test]
    fn a_department_falls_short_below_its_minimum() {
        // Five staff, two away, the requester makes three: two stay in.
        assert_eq!(shortfall(5, 2, 3), Some(2));
        assert_eq!(shortfall(5, 1, 3), None);
        assert_eq!(shortfall(1, 0, 0), None, "no minimum, no shortfall");
    }
}
