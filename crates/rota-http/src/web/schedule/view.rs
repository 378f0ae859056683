//! A shift (stored, or an occurrence of a repeating one) as the pages show it, in its
//! location's zone: its day, times, breaks, position
//! and colour (a class, `sc-<hex>`, from the stylesheet of [`colours_href`]); and the week
//! grid of a location, people down the side and days across, with a row for open shifts.
//! Pure: no read, no rule; unit tests below.

use std::collections::{BTreeSet, HashMap};
use std::fmt;

use jiff::civil::{Date, Weekday};
use jiff::tz::TimeZone;
use jiff::{Timestamp, ToSpan, Zoned};
use rota_core::schedule::Shift;
use rota_core::schedule::chains::ChainOccurrence;

use crate::web::format;

/// The class that gives a shift its colour: `sc-<six hex digits>`, or `sc-none`.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct ShiftColour(Option<String>);

impl ShiftColour {
    /// The colour of a stored shift (six hex digits, with or without `#`); anything else
    /// is none, so that nothing but hex digits reaches a class or the stylesheet.
    pub fn parse(stored: &str) -> Self {
        let hex = stored.trim_start_matches('#').to_ascii_lowercase();
        Self((hex.len() == 6 && hex.chars().all(|c| c.is_ascii_hexdigit())).then_some(hex))
    }

    pub fn hex(&self) -> Option<&str> {
        self.0.as_deref()
    }

    /// As a colour input shows it: `#rrggbb`, empty for none.
    pub fn input_value(&self) -> String {
        self.hex().map(|hex| format!("#{hex}")).unwrap_or_default()
    }
}

/// A colour input's value as the core takes it: the digits without `#`; none when empty
/// (the core checks the digits).
pub fn colour_from_input(value: &str) -> Option<String> {
    Some(value.trim().trim_start_matches('#').to_owned()).filter(|c| !c.is_empty())
}

impl fmt::Display for ShiftColour {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.0 {
            Some(hex) => write!(f, "sc-{hex}"),
            None => f.write_str("sc-none"),
        }
    }
}

/// The stylesheet giving each colour of `shifts` its class: `/styles/shift-colours.css?c=…`.
pub fn colours_href<'a>(shifts: impl IntoIterator<Item = &'a ShiftView>) -> String {
    let colours: BTreeSet<&str> = shifts.into_iter().filter_map(|s| s.colour.hex()).collect();
    let list: Vec<&str> = colours.into_iter().collect();
    format!("/styles/shift-colours.css?c={}", list.join("."))
}

/// A shift as a page shows it: a stored one, or an occurrence of a repeating shift.
#[derive(Clone, Debug)]
pub struct ShiftView {
    /// The shift's id; for an occurrence, its repeating shift's.
    pub id: i64,
    /// An occurrence of a repeating shift, which has no page of its own (the API's
    /// `/shift-chains/{id}/occurrences/{date}` changes it).
    pub repeating: bool,
    pub user_id: Option<i64>,
    /// The day it starts on, in its location's zone.
    pub day: Date,
    /// `Mon 7 Dec`.
    pub day_label: String,
    /// `09:00–17:00`, local.
    pub times: String,
    /// `30 min unpaid break`, `15 min paid break`, joined; empty without breaks.
    pub breaks: String,
    pub position: Option<String>,
    pub location: Option<String>,
    /// The site within the location.
    pub site: Option<String>,
    pub colour: ShiftColour,
    pub draft: bool,
    pub notes: Option<String>,
    /// Start, for sorting.
    pub starts_at: i64,
}

/// An instant of the API (RFC 3339) in `zone`.
pub fn local(rfc3339: &str, zone: &TimeZone) -> Option<Zoned> {
    rfc3339
        .parse::<Timestamp>()
        .ok()
        .map(|t| t.to_zoned(zone.clone()))
}

/// `Mon 7 Dec`.
pub fn day_label(day: Date) -> String {
    day.strftime("%a %-d %b").to_string()
}

/// The names a shift's ids are shown by.
#[derive(Default)]
pub struct Names {
    pub positions: HashMap<i64, String>,
    pub locations: HashMap<i64, String>,
    pub sites: HashMap<i64, String>,
}

impl ShiftView {
    /// `shift` in its zone; `None` for instants the core would never write.
    pub fn of(shift: &Shift, names: &Names) -> Option<Self> {
        let breaks = break_label(shift.breaks.iter().map(|b| (b.length_minutes, b.paid)));
        let placed = Placed {
            user_id: shift.user_id,
            location_id: shift.location_id,
            position_id: shift.position_id,
            site_id: shift.site_id,
            span: (&shift.starts_at, &shift.ends_at, &shift.time_zone),
            colour: &shift.colour,
            published: shift.published,
            notes: &shift.notes,
        };
        placed.view(shift.id, false, breaks, names)
    }

    /// An occurrence of a repeating shift, as [`ShiftView::of`] shows a stored one.
    pub fn of_occurrence(occurrence: &ChainOccurrence, names: &Names) -> Option<Self> {
        let o = occurrence;
        let placed = Placed {
            user_id: o.user_id,
            location_id: o.location_id,
            position_id: o.position_id,
            site_id: o.site_id,
            span: (&o.starts_at, &o.ends_at, &o.time_zone),
            colour: &o.colour,
            published: o.published,
            notes: &o.notes,
        };
        let breaks = break_label(o.breaks.iter().map(|b| (b.length_minutes, b.paid)));
        placed.view(o.chain_id, true, breaks, names)
    }
}

/// `30 min unpaid break, 15 min paid break` for breaks given as `(length_minutes, paid)`.
fn break_label(breaks: impl Iterator<Item = (i64, bool)>) -> String {
    breaks
        .map(|(length_minutes, paid)| {
            let kind = if paid { "paid" } else { "unpaid" };
            format!("{} {kind} break", format::hours(length_minutes))
        })
        .collect::<Vec<_>>()
        .join(", ")
}

/// What a stored shift and an occurrence both say about when, where and whose.
struct Placed<'a> {
    user_id: Option<i64>,
    location_id: i64,
    position_id: Option<i64>,
    site_id: Option<i64>,
    /// Start and end (RFC 3339) and the zone they are shown in.
    span: (&'a str, &'a str, &'a str),
    colour: &'a str,
    published: bool,
    notes: &'a Option<String>,
}

impl Placed<'_> {
    fn view(self, id: i64, repeating: bool, breaks: String, names: &Names) -> Option<ShiftView> {
        let (starts_at, ends_at, zone) = self.span;
        let zone = TimeZone::get(zone).unwrap_or(TimeZone::UTC);
        let start = local(starts_at, &zone)?;
        let end = local(ends_at, &zone)?;
        Some(ShiftView {
            id,
            repeating,
            user_id: self.user_id,
            day: start.date(),
            day_label: day_label(start.date()),
            times: format!("{}–{}", start.strftime("%H:%M"), end.strftime("%H:%M")),
            breaks,
            position: self
                .position_id
                .and_then(|id| names.positions.get(&id).cloned()),
            location: names.locations.get(&self.location_id).cloned(),
            site: self.site_id.and_then(|id| names.sites.get(&id).cloned()),
            colour: ShiftColour::parse(self.colour),
            draft: !self.published,
            notes: self.notes.clone(),
            starts_at: start.timestamp().as_second(),
        })
    }
}

/// The Monday of `day`'s week.
pub fn monday_of(day: Date) -> Date {
    let back = i64::from(day.weekday().to_monday_zero_offset());
    day.checked_sub(back.days()).unwrap_or(day)
}

/// A day heading of the week grid.
pub struct DayHead {
    pub date: Date,
    pub label: String,
    pub weekend: bool,
    pub today: bool,
}

/// A row of the grid: a person (or the open shifts) and their shifts, day by day.
pub struct GridRow {
    pub user_id: Option<i64>,
    pub name: String,
    pub cells: Vec<Vec<ShiftView>>,
}

/// A location's week: the days, a row per person, and the open shifts' row.
pub struct WeekGrid {
    pub days: Vec<DayHead>,
    pub open: GridRow,
    pub rows: Vec<GridRow>,
    pub drafts: usize,
}

impl WeekGrid {
    /// The open shifts' row, then the people's.
    pub fn all_rows(&self) -> impl Iterator<Item = &GridRow> {
        std::iter::once(&self.open).chain(&self.rows)
    }
}

/// The week from `monday`: `people` (id and name) in their order, then anyone else holding
/// a shift that week (named `fallback`); each shift in the cell of its day, by start;
/// shifts outside the week left out.
pub fn week_grid(
    monday: Date,
    today: Date,
    people: &[(i64, String)],
    mut shifts: Vec<ShiftView>,
    fallback: impl Fn(i64) -> String,
) -> WeekGrid {
    let days: Vec<DayHead> = (0..7)
        .filter_map(|i| monday.checked_add(i.days()).ok())
        .map(|date| DayHead {
            label: day_label(date),
            weekend: matches!(date.weekday(), Weekday::Saturday | Weekday::Sunday),
            today: date == today,
            date,
        })
        .collect();
    let empty = |user_id: Option<i64>, name: String| GridRow {
        user_id,
        name,
        cells: vec![Vec::new(); days.len()],
    };
    let mut open = empty(None, "Open shifts".to_owned());
    let mut rows: Vec<GridRow> = people
        .iter()
        .map(|(id, name)| empty(Some(*id), name.clone()))
        .collect();
    shifts.sort_by_key(|s| s.starts_at);
    let mut drafts = 0;
    for shift in shifts {
        let Some(column) = days.iter().position(|d| d.date == shift.day) else {
            continue;
        };
        drafts += usize::from(shift.draft);
        let row = match shift.user_id {
            None => &mut open,
            Some(user_id) => match rows.iter().position(|r| r.user_id == Some(user_id)) {
                Some(at) => &mut rows[at],
                None => {
                    rows.push(empty(Some(user_id), fallback(user_id)));
                    let last = rows.len() - 1;
                    &mut rows[last]
                }
            },
        };
        if let Some(cell) = row.cells.get_mut(column) {
            cell.push(shift);
        }
    }
    WeekGrid {
        days,
        open,
        rows,
        drafts,
    }
}

#[cfg(test)]
mod tests {
    use jiff::civil::date;
    use rota_core::schedule::chains::OccurrenceBreak;

    use super::*;

    fn shift(id: i64, user_id: Option<i64>, day: Date, hour: i64, draft: bool) -> ShiftView {
        ShiftView {
            id,
            repeating: false,
            user_id,
            day,
            day_label: day_label(day),
            times: String::new(),
            breaks: String::new(),
            position: None,
            location: None,
            site: None,
            colour: ShiftColour::parse("cc0000"),
            draft,
            notes: None,
            starts_at: hour * 3600 + id,
        }
    }

    #[test]
    fn a_colour_goes_to_its_input_and_back() {
        assert_eq!(ShiftColour::parse("00AA55").input_value(), "#00aa55");
        assert_eq!(ShiftColour::parse("nope").input_value(), "");
        assert_eq!(colour_from_input(" #00AA55").as_deref(), Some("00AA55"));
        assert_eq!(colour_from_input(""), None);
    }

    #[test]
    fn only_six_hex_digits_make_a_colour_class() {
        assert_eq!(ShiftColour::parse("#CC0000").to_string(), "sc-cc0000");
        assert_eq!(ShiftColour::parse("red;}x{").to_string(), "sc-none");
        assert_eq!(ShiftColour::parse("abc").to_string(), "sc-none");
    }

    #[test]
    fn a_week_starts_on_its_monday() {
        assert_eq!(monday_of(date(2026, 12, 6)), date(2026, 11, 30));
        assert_eq!(monday_of(date(2026, 11, 30)), date(2026, 11, 30));
    }

    #[test]
    fn shifts_fall_in_their_persons_row_and_days_cell_and_open_ones_in_their_own_row() {
        let monday = date(2026, 12, 7);
        let people = vec![(1, "Ann".to_owned()), (2, "Bo".to_owned())];
        let shifts = vec![
            shift(10, Some(2), date(2026, 12, 9), 9, false),
            shift(11, None, date(2026, 12, 7), 9, true),
            shift(12, Some(3), date(2026, 12, 13), 9, false),
            shift(13, Some(1), date(2026, 12, 14), 9, false),
            shift(14, Some(2), date(2026, 12, 9), 7, true),
        ];
        let grid = week_grid(monday, date(2026, 12, 8), &people, shifts, |id| {
            format!("#{id}")
        });
        assert_eq!(grid.days.len(), 7);
        assert!(grid.days[1].today && grid.days[5].weekend && !grid.days[4].weekend);
        assert_eq!(grid.open.cells[0].len(), 1);
        assert!(
            grid.rows[0].cells.iter().all(Vec::is_empty),
            "next week's left out"
        );
        let ids: Vec<i64> = grid.rows[1].cells[2].iter().map(|s| s.id).collect();
        assert_eq!(ids, [14, 10], "by start");
        assert_eq!(grid.rows[2].name, "#3");
        assert_eq!(grid.rows[2].cells[6].len(), 1);
        assert_eq!(grid.drafts, 2);
    }

    #[test]
    fn the_colour_stylesheet_names_each_colour_once() {
        let day = date(2026, 12, 7);
        let mut other = shift(2, None, day, 9, false);
        other.colour = ShiftColour::parse("00aa55");
        let shifts = [
            shift(1, None, day, 9, false),
            other,
            shift(3, None, day, 9, false),
        ];
        assert_eq!(
            colours_href(&shifts),
            "/styles/shift-colours.css?c=00aa55.cc0000"
        );
    }

    #[test]
    fn an_occurrence_shows_in_its_zone_as_repeating_under_its_chains_id() {
        let occurrence = ChainOccurrence {
            chain_id: 9,
            date: date(2026, 12, 13),
            user_id: Some(4),
            is_open: false,
            location_id: 2,
            position_id: Some(3),
            site_id: Some(5),
            starts_at: "2026-12-13T18:00:00-05:00".to_owned(),
            ends_at: "2026-12-13T23:00:00-05:00".to_owned(),
            time_zone: "America/New_York".to_owned(),
            length_minutes: 300,
            unpaid_break_minutes: 30,
            breaks: vec![OccurrenceBreak {
                length_minutes: 30,
                paid: false,
                starts_at: None,
                ends_at: None,
            }],
            colour: "00aa00".to_owned(),
            notes: None,
            published: false,
        };
        let names = Names {
            positions: HashMap::from([(3, "Till".to_owned())]),
            locations: HashMap::from([(2, "Diner".to_owned())]),
            sites: HashMap::from([(5, "Terrace".to_owned())]),
        };
        let view = ShiftView::of_occurrence(&occurrence, &names).expect("a view");
        assert_eq!((view.id, view.repeating, view.draft), (9, true, true));
        assert_eq!(
            view.day,
            date(2026, 12, 13),
            "Sunday in New York, Monday in UTC"
        );
        assert_eq!(view.times, "18:00–23:00");
        assert_eq!(view.position.as_deref(), Some("Till"));
        assert_eq!(view.location.as_deref(), Some("Diner"));
        assert_eq!(view.site.as_deref(), Some("Terrace"));
        assert_eq!(view.breaks, "30 min unpaid break");
    }
}
