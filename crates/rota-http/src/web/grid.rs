//! The who's-off month as a grid, people down the side and days across: pure, from what
//! the core's reads answered (people with their absences and working week; the days with
//! their public holidays and annotations), so that it is tested without a database.
//!
//! It must stay fast (a 200-person month in well under 10 ms with its rendering, which
//! `rota bench` measures through the page): a cell holds no string of its own, only
//! `&'static` classes and a borrowed label, so building a month allocates one vector per
//! row and nothing per cell.

use std::fmt;

use jiff::civil::{Date, Weekday};
use rota_core::leave::annotations::AnnotationKind;
use rota_core::leave::calendar::CalendarDay;
use rota_core::leave::duration::DayPart;
use rota_core::leave::request::RequestStatus;
use rota_core::leave::whos_off::{AbsenceSpan, PersonOff};

/// A month of who's off.
pub struct Grid<'a> {
    pub days: Vec<DayHead>,
    pub rows: Vec<Row<'a>>,
}

/// A day's column head.
pub struct DayHead {
    pub number: i8,
    pub weekday: &'static str,
    /// The column's shading: weekend, public holiday, closure, today.
    pub class: &'static str,
    /// Holidays and annotations of the day, for its tooltip; empty on most days.
    pub note: String,
}

pub struct Row<'a> {
    pub first_name: &'a str,
    pub last_name: &'a str,
    pub cells: Vec<Cell<'a>>,
}

pub struct Cell<'a> {
    /// The column's class.
    pub class: &'static str,
    /// A day the person does not work.
    pub off: bool,
    pub mark: Option<Mark<'a>>,
}

/// An absence in a cell.
pub struct Mark<'a> {
    pub colour: TypeClass,
    /// `""` for the whole day, `am` or `pm` for half a cell.
    pub part: &'static str,
    pub pending: bool,
    /// The type's name, or `Away` where the reader may not see it.
    pub label: &'a str,
}

/// The class that gives a mark its leave type's colour (`lt-<id>`, from the company's
/// stylesheet of leave types), or `away`.
#[derive(Clone, Copy)]
pub struct TypeClass(pub Option<i64>);

impl fmt::Display for TypeClass {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.0 {
            Some(id) => write!(f, "lt-{id}"),
            None => f.write_str("away"),
        }
    }
}

/// The column classes by their bits: weekend 1, holiday 2, closure 4, today 8.
const COLUMN: [&str; 16] = [
    "",
    "we",
    "hol",
    "we hol",
    "closed",
    "we closed",
    "hol closed",
    "we hol closed",
    "today",
    "we today",
    "hol today",
    "we hol today",
    "closed today",
    "we closed today",
    "hol closed today",
    "we hol closed today",
];

const WEEKDAYS: [&str; 7] = ["Mo", "Tu", "We", "Th", "Fr", "Sa", "Su"];

fn weekday_index(date: Date) -> usize {
    usize::from(date.weekday().to_monday_zero_offset().unsigned_abs())
}

/// The grid of `days` (consecutive, one month) for `people`.
pub fn build<'a>(days: &[CalendarDay], people: &'a [PersonOff], today: Date) -> Grid<'a> {
    let heads: Vec<DayHead> = days.iter().map(|day| head(day, today)).collect();
    let rows = people
        .iter()
        .map(|person| Row {
            first_name: &person.first_name,
            last_name: &person.last_name,
            cells: days
                .iter()
                .zip(&heads)
                .map(|(day, head)| Cell {
                    class: head.class,
                    off: person.week.on(day.date) == 0,
                    mark: mark(&person.absences, day.date),
                })
                .collect(),
        })
        .collect();
    Grid { days: heads, rows }
}

fn head(day: &CalendarDay, today: Date) -> DayHead {
    let weekend = matches!(day.date.weekday(), Weekday::Saturday | Weekday::Sunday);
    let closed = day
        .annotations
        .iter()
        .any(|a| a.kind == AnnotationKind::BusinessClosed);
    let bits = usize::from(weekend)
        | usize::from(!day.holidays.is_empty()) << 1
        | usize::from(closed) << 2
        | usize::from(day.date == today) << 3;
    let note = day
        .holidays
        .iter()
        .map(String::as_str)
        .chain(day.annotations.iter().map(|a| a.title.as_str()))
        .collect::<Vec<_>>()
        .join(", ");
    DayHead {
        number: day.date.day(),
        weekday: WEEKDAYS[weekday_index(day.date)],
        class: COLUMN[bits],
        note,
    }
}

/// The absence covering `date`, approved ones before pending ones.
fn mark(absences: &[AbsenceSpan], date: Date) -> Option<Mark<'_>> {
    let covering = |a: &&AbsenceSpan| a.start_date <= date && a.end_date >= date;
    let span = absences
        .iter()
        .filter(covering)
        .find(|a| a.status == RequestStatus::Approved)
        .or_else(|| absences.iter().find(covering))?;
    let part = DayPart::on_day(
        span.start_part,
        span.end_part,
        date == span.start_date,
        date == span.end_date,
    );
    Some(Mark {
        colour: TypeClass(span.leave_type_id),
        part: match part {
            DayPart::Full => "",
            DayPart::Morning => "am",
            DayPart::Afternoon => "pm",
        },
        pending: span.status == RequestStatus::Pending,
        label: &span.label,
    })
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use jiff::civil::date;
    use rota_core::leave::calendar::DayAnnotation;
    use rota_core::leave::duration::WeekMinutes;

    pub(crate) fn month(first: Date, holiday: Option<Date>) -> Vec<CalendarDay> {
        let mut days = Vec::new();
        let mut day = first;
        while day.month() == first.month() {
            days.push(CalendarDay {
                date: day,
                absences: Vec::new(),
                holidays: if Some(day) == holiday {
                    vec!["Founders' day".into()]
                } else {
                    Vec::new()
                },
                annotations: Vec::new(),
            });
            day = day.tomorrow().expect("tomorrow");
        }
        days
    }

    pub(crate) fn absence(
        start: Date,
        end: Date,
        end_part: DayPart,
        type_id: Option<i64>,
    ) -> AbsenceSpan {
        AbsenceSpan {
            request_id: 1,
            leave_type_id: type_id,
            label: if type_id.is_some() {
                "Annual leave".into()
            } else {
                "Away".into()
            },
            colour: "33aa55".into(),
            status: RequestStatus::Approved,
            start_date: start,
            end_date: end,
            start_part: DayPart::Full,
            end_part,
            start_time: None,
            end_time: None,
            minutes: 0,
        }
    }

    pub(crate) fn person(id: i64, absences: Vec<AbsenceSpan>) -> PersonOff {
        PersonOff {
            user_id: id,
            first_name: format!("First{id}"),
            last_name: format!("Last{id}"),
            department_id: None,
            department_name: None,
            image_url_small: None,
            image_url_large: None,
            week: WeekMinutes::OFFICE,
            absences,
        }
    }

    #[test]
    fn weekends_holidays_closures_and_today_shade_their_columns() {
        let first = date(2026, 12, 1);
        let mut days = month(first, Some(date(2026, 12, 25)));
        days[7].annotations.push(DayAnnotation {
            id: 1,
            kind: AnnotationKind::BusinessClosed,
            title: "Stocktake".into(),
            colour: "999999".into(),
            location_id: None,
            department_id: None,
        });
        let grid = build(&days, &[], date(2026, 12, 3));
        assert_eq!(grid.days.len(), 31);
        assert_eq!((grid.days[0].number, grid.days[0].weekday), (1, "Tu"));
        assert_eq!(grid.days[2].class, "today");
        assert_eq!(grid.days[4].class, "we"); // Saturday 5th
        assert_eq!(grid.days[7].class, "closed");
        assert_eq!(grid.days[7].note, "Stocktake");
        assert_eq!(grid.days[24].class, "hol");
        assert_eq!(grid.days[24].note, "Founders' day");
    }

    #[test]
    fn an_absence_fills_its_days_and_a_half_day_half_a_cell() {
        let first = date(2026, 12, 1);
        let days = month(first, None);
        let people = [
            person(
                1,
                vec![absence(
                    date(2026, 12, 7),
                    date(2026, 12, 8),
                    DayPart::Morning,
                    Some(4),
                )],
            ),
            person(
                2,
                vec![absence(
                    date(2026, 11, 30),
                    date(2026, 12, 1),
                    DayPart::Full,
                    None,
                )],
            ),
        ];
        let grid = build(&days, &people, date(2026, 12, 3));
        let cells = &grid.rows[0].cells;
        assert!(cells[5].mark.is_none());
        let monday = cells[6].mark.as_ref().expect("the 7th");
        assert_eq!(
            (monday.colour.to_string(), monday.part),
            ("lt-4".to_owned(), "")
        );
        assert_eq!(cells[7].mark.as_ref().expect("the 8th").part, "am");
        assert!(cells[5].off, "a Sunday is not worked in an office week");
        let private = grid.rows[1].cells[0].mark.as_ref().expect("the 1st");
        assert_eq!(
            (private.colour.to_string(), private.label),
            ("away".to_owned(), "Away")
        );
        assert!(grid.rows[1].cells[1].mark.is_none());
    }
}
