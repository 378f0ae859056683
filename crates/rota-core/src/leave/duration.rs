//! How long an absence is: each day of the range weighed by the working pattern, with
//! public holidays, closures and non-working days counting nothing.

use jiff::civil::{Date, Weekday as CivilWeekday};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::error::{Error, Result};

/// Minutes worked on each weekday, Monday first.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct WeekMinutes(pub [i64; 7]);

impl WeekMinutes {
    pub const OFFICE: WeekMinutes = WeekMinutes([450, 450, 450, 450, 450, 0, 0]);

    pub fn on(&self, date: Date) -> i64 {
        let index = match date.weekday() {
            CivilWeekday::Monday => 0,
            CivilWeekday::Tuesday => 1,
            CivilWeekday::Wednesday => 2,
            CivilWeekday::Thursday => 3,
            CivilWeekday::Friday => 4,
            CivilWeekday::Saturday => 5,
            CivilWeekday::Sunday => 6,
        };
        self.0[index]
    }

    /// Average minutes on a working day, used to turn days into hours.
    pub fn average_day(&self) -> i64 {
        let working: Vec<i64> = self.0.iter().copied().filter(|m| *m > 0).collect();
        if working.is_empty() {
            0
        } else {
            working.iter().sum::<i64>() / working.len() as i64
        }
    }
}

/// Why a day in the range counts nothing.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum DayOff {
    NonWorking,
    PublicHoliday,
    Closure,
}

/// Which part of a day an absence covers.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum DayPart {
    #[default]
    Full,
    Morning,
    Afternoon,
}

/// Decodes a stored row's column (`#[sqlx(try_from = "String")]`, see [`crate::stored`]).
impl TryFrom<String> for DayPart {
    type Error = Error;

    fn try_from(text: String) -> Result<Self> {
        Self::from_stored(&text)
    }
}

impl DayPart {
    /// The stored text form.
    pub fn as_stored(self) -> &'static str {
        match self {
            DayPart::Full => "full",
            DayPart::Morning => "morning",
            DayPart::Afternoon => "afternoon",
        }
    }

    /// Reads the stored text form; anything else is a corrupt row, never a full day.
    pub fn from_stored(text: &str) -> Result<Self> {
        [DayPart::Full, DayPart::Morning, DayPart::Afternoon]
            .into_iter()
            .find(|part| part.as_stored() == text)
            .ok_or_else(|| Error::Internal(format!("stored day part {text:?} is not known").into()))
    }

    /// Which part of a day an absence covers, given the parts it starts and ends with and
    /// whether the day is its first and its last: a one-day absence ending in the morning is
    /// a morning, whatever it starts with.
    pub fn on_day(start_part: DayPart, end_part: DayPart, first: bool, last: bool) -> DayPart {
        if first && last && end_part == DayPart::Morning {
            DayPart::Morning
        } else if first {
            start_part
        } else if last {
            end_part
        } else {
            DayPart::Full
        }
    }

    /// The minutes after midnight the part covers: mornings end and afternoons start at noon.
    pub fn window(self) -> (i64, i64) {
        match self {
            DayPart::Full => (0, 1440),
            DayPart::Morning => (0, 720),
            DayPart::Afternoon => (720, 1440),
        }
    }
}

/// Minutes after midnight as `HH:MM`.
pub fn clock(minute: i64) -> String {
    format!("{:02}:{:02}", minute / 60, minute % 60)
}

/// Minutes after midnight from `HH:MM` (two digits each, 00:00 to 24:00), the inverse of
/// [`clock`].
pub fn parse_clock(field: &'static str, text: &str) -> Result<i64> {
    let invalid = || Error::invalid(field, format!("{field} must be a time such as 09:30"));
    let (h, m) = text.split_once(':').ok_or_else(invalid)?;
    let two_digits = |part: &str| part.len() == 2 && part.bytes().all(|b| b.is_ascii_digit());
    if !two_digits(h) || !two_digits(m) {
        return Err(invalid());
    }
    let (h, m): (i64, i64) = (
        h.parse().map_err(|_| invalid())?,
        m.parse().map_err(|_| invalid())?,
    );
    if h > 24 || m > 59 || (h == 24 && m != 0) {
        return Err(invalid());
    }
    Ok(h * 60 + m)
}

/// One day of an absence.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct AbsenceDay {
    #[schema(value_type = String)]
    pub date: Date,
    pub part: DayPart,
    /// Hundredths of a day deducted: 100, 50 or 0.
    pub day_hundredths: i64,
    pub minutes: i64,
    pub day_off: Option<DayOff>,
}

/// What is being asked for.
#[derive(Debug, Clone, Copy)]
pub struct Span {
    pub start: Date,
    pub end: Date,
    /// The first day starts at midday (the afternoon only).
    pub start_part: DayPart,
    /// The last day ends at midday (the morning only).
    pub end_part: DayPart,
    /// For hours: the minutes after midnight the absence starts and ends, on one day.
    pub minutes: Option<(i64, i64)>,
}

/// The longest range one request may cover.
pub const MAX_DAYS: i64 = 366;

/// Works out every day of `span`. `day_off` names holidays and closures.
pub fn absence_days(
    span: Span,
    pattern: impl Fn(Date) -> WeekMinutes,
    day_off: impl Fn(Date) -> Option<DayOff>,
) -> Result<Vec<AbsenceDay>> {
    if span.end < span.start {
        return Err(Error::invalid(
            "end_date",
            "end_date must not be before start_date",
        ));
    }
    let length = (span.end - span.start).get_days() as i64 + 1;
    if length > MAX_DAYS {
        return Err(Error::invalid(
            "end_date",
            format!("a request covers at most {MAX_DAYS} days"),
        ));
    }
    let single = span.start == span.end;
    if span.start_part == DayPart::Morning {
        return Err(Error::invalid(
            "start_part",
            "a request starts on a full day or in the afternoon",
        ));
    }
    if span.end_part == DayPart::Afternoon {
        return Err(Error::invalid(
            "end_part",
            "a request ends on a full day or in the morning",
        ));
    }
    if single && span.start_part == DayPart::Afternoon && span.end_part == DayPart::Morning {
        return Err(Error::invalid(
            "end_part",
            "one day cannot be both afternoon and morning only",
        ));
    }
    if let Some((from, to)) = span.minutes {
        if !single {
            return Err(Error::invalid(
                "end_date",
                "an absence in hours covers one day",
            ));
        }
        if from % 15 != 0
            || to % 15 != 0
            || !(0..1440).contains(&from)
            || !(1..=1440).contains(&to)
            || to <= from
        {
            return Err(Error::invalid(
                "end_time",
                "times are whole quarter hours and end after they start",
            ));
        }
    }
    let mut days = Vec::with_capacity(length as usize);
    let mut date = span.start;
    loop {
        let worked = pattern(date).on(date);
        let reason = day_off(date).or(if worked == 0 {
            Some(DayOff::NonWorking)
        } else {
            None
        });
        let part = DayPart::on_day(
            span.start_part,
            span.end_part,
            date == span.start,
            date == span.end,
        );
        if part != DayPart::Full && reason.is_some() {
            let field = if date == span.start && span.start_part != DayPart::Full {
                "start_part"
            } else {
                "end_part"
            };
            return Err(Error::invalid(
                field,
                format!("{date} is not a working day, so it has no half day"),
            ));
        }
        let (day_hundredths, minutes) = match (&reason, part, span.minutes) {
            (Some(_), _, _) => (0, 0),
            (None, _, Some((from, to))) => {
                let minutes = (to - from).min(worked);
                (minutes * 100 / worked, minutes)
            }
            (None, DayPart::Full, None) => (100, worked),
            (None, _, None) => (50, worked / 2),
        };
        days.push(AbsenceDay {
            date,
            part,
            day_hundredths,
            minutes,
            day_off: reason,
        });
        if date == span.end {
            break;
        }
        date = date
            .tomorrow()
            .map_err(|e| Error::invalid("end_date", e.to_string()))?;
    }
    Ok(days)
}

/// Whole days from `start` to `end`, for tests.
#[cfg(test)]
impl Span {
    pub(crate) fn whole_days(start: Date, end: Date) -> Self {
        Self {
            start,
            end,
            start_part: DayPart::Full,
            end_part: DayPart::Full,
            minutes: None,
        }
    }
}

#[cfg(test)]
mod tests {
    use jiff::civil::date;

    use super::*;

    #[test]
    fn a_stored_day_part_reads_back_and_an_unknown_one_is_an_error() {
        for part in [DayPart::Full, DayPart::Morning, DayPart::Afternoon] {
            assert_eq!(DayPart::from_stored(part.as_stored()).ok(), Some(part));
        }
        for corrupt in ["", "Morning", "evening", "full "] {
            assert!(DayPart::from_stored(corrupt).is_err(), "{corrupt:?}");
        }
    }

    #[test]
    fn clock_times_are_two_digits_each_up_to_midnight() {
        assert_eq!(parse_clock("t", "09:30").unwrap(), 570);
        assert_eq!(parse_clock("t", "24:00").unwrap(), 1440);
        assert_eq!(clock(parse_clock("t", "17:45").unwrap()), "17:45");
        for bad in [
            "+9:30", "9:30", "09:3", "24:15", "25:00", "09:60", "-1:00", "0930", "09:+5",
        ] {
            assert!(parse_clock("t", bad).is_err(), "{bad} should be refused");
        }
    }

    fn span(start: Date, end: Date) -> Span {
        Span::whole_days(start, end)
    }

    fn totals(days: &[AbsenceDay]) -> (i64, i64) {
        (
            days.iter().map(|d| d.day_hundredths).sum(),
            days.iter().map(|d| d.minutes).sum(),
        )
    }

    #[test]
    fn a_week_counts_working_days_and_skips_the_weekend_and_holidays() {
        // Monday 2026-12-21 to Sunday 2026-12-27, Christmas on the Friday.
        let christmas = date(2026, 12, 25);
        let days = absence_days(
            span(date(2026, 12, 21), date(2026, 12, 27)),
            |_| WeekMinutes::OFFICE,
            |d| (d == christmas).then_some(DayOff::PublicHoliday),
        )
        .unwrap();
        assert_eq!(days.len(), 7);
        assert_eq!(totals(&days), (400, 1800));
        assert_eq!(days[4].day_off, Some(DayOff::PublicHoliday));
        assert_eq!(days[5].day_off, Some(DayOff::NonWorking));
    }

    #[test]
    fn half_days_at_either_end() {
        let mut request = span(date(2026, 3, 2), date(2026, 3, 4));
        request.start_part = DayPart::Afternoon;
        request.end_part = DayPart::Morning;
        let days = absence_days(request, |_| WeekMinutes::OFFICE, |_| None).unwrap();
        assert_eq!(totals(&days), (200, 900));
        let mut morning = span(date(2026, 3, 2), date(2026, 3, 2));
        morning.end_part = DayPart::Morning;
        let days = absence_days(morning, |_| WeekMinutes::OFFICE, |_| None).unwrap();
        assert_eq!(days[0].part, DayPart::Morning);
        assert_eq!(totals(&days), (50, 225));
    }

    #[test]
    fn hours_within_a_day() {
        let mut request = span(date(2026, 3, 2), date(2026, 3, 2));
        request.minutes = Some((9 * 60, 11 * 60 + 15));
        let days = absence_days(request, |_| WeekMinutes::OFFICE, |_| None).unwrap();
        assert_eq!(totals(&days), (30, 135));
        request.minutes = Some((9 * 60, 9 * 60 + 10));
        assert!(absence_days(request, |_| WeekMinutes::OFFICE, |_| None).is_err());
    }

    #[test]
    fn bad_ranges_are_refused_with_the_field_at_fault() {
        let field = |r: Result<Vec<AbsenceDay>>| match r {
            Err(Error::Invalid { field, .. }) => field.map(|f| f.into_owned()),
            _ => None,
        };
        assert_eq!(
            field(absence_days(
                span(date(2026, 3, 4), date(2026, 3, 2)),
                |_| WeekMinutes::OFFICE,
                |_| None
            ))
            .as_deref(),
            Some("end_date")
        );
        assert_eq!(
            field(absence_days(
                span(date(2026, 1, 1), date(2027, 1, 2)),
                |_| WeekMinutes::OFFICE,
                |_| None
            ))
            .as_deref(),
            Some("end_date")
        );
        let mut saturday = span(date(2026, 3, 7), date(2026, 3, 9));
        saturday.start_part = DayPart::Afternoon;
        assert_eq!(
            field(absence_days(saturday, |_| WeekMinutes::OFFICE, |_| None)).as_deref(),
            Some("start_part")
        );
    }

    #[test]
    fn a_part_time_pattern_changes_what_a_day_is() {
        let part_time = WeekMinutes([240, 240, 0, 240, 0, 0, 0]);
        let days = absence_days(
            span(date(2026, 3, 2), date(2026, 3, 6)),
            |_| part_time,
            |_| None,
        )
        .unwrap();
        assert_eq!(totals(&days), (300, 720));
        assert_eq!(part_time.average_day(), 240);
    }
}
