//! Who's off: a month grid of the people the reader may see (a department, region,
//! location or tag of them when picked), from the core's who's-off read (people, their
//! absences and working weeks) and its calendar (public holidays, closures,
//! announcements). It opens on the reader's default view and sorts people as they chose
//! on the people form (their WhosOff view preferences).

use askama::Template;
use axum::extract::{Query, State};
use axum::response::Response;
use jiff::civil::Date;
use rota_core::leave::calendar::{self, CalendarFilter};
use rota_core::leave::request::Holders;
use rota_core::leave::types::TypeKind;
use rota_core::leave::whos_off::{self, PersonOff, WhoFilter};
use rota_core::org::{self, Department, Location, Region, Tag};
use serde::Deserialize;

use super::grid::{self, Grid};
use super::page::{Frame, PageError, ViewPreferences, render};
use super::people::more::View;
use super::session::Signed;
use crate::AppState;

#[derive(Deserialize)]
pub struct MonthQuery {
    /// `YYYY-MM`; this month when absent.
    month: Option<String>,
    /// `d<id>`, `r<id>`, `l<id>` or `t<id>`: a department, region, location or tag;
    /// everyone when empty, the reader's default view when absent.
    group: Option<String>,
}

/// An option of the group filter.
pub struct GroupOption {
    pub value: String,
    pub label: String,
    pub selected: bool,
}

/// A colour of the legend.
pub struct LegendItem {
    pub class: grid::TypeClass,
    pub name: String,
}

#[derive(Template)]
#[template(path = "whos_off.html")]
pub struct WhosOffPage<'a> {
    pub frame: Frame,
    pub month: String,
    pub month_label: String,
    pub previous: String,
    pub next: String,
    pub group: &'a str,
    pub groups: Vec<(&'static str, Vec<GroupOption>)>,
    pub legend: Vec<LegendItem>,
    pub grid: Grid<'a>,
}

/// The group a filter value names.
fn parse_group(value: &str) -> Option<Holders> {
    let (kind, id) = value.split_at_checked(1)?;
    let id: i64 = id.parse().ok().filter(|id| *id > 0)?;
    match kind {
        "d" => Some(Holders::Department(id)),
        "r" => Some(Holders::Region(id)),
        "l" => Some(Holders::Location(id)),
        "t" => Some(Holders::Tag(id)),
        _ => None,
    }
}

/// The group a default view opens on: its department or tag, else everyone.
fn default_group(preferences: &ViewPreferences) -> String {
    match preferences.default_view {
        Some(View::Department(id)) => format!("d{id}"),
        Some(View::Tag(id)) => format!("t{id}"),
        None => String::new(),
    }
}

/// `people` in the order a sorting preference names (1 first name A–Z, 2 Z–A, 3 last
/// name A–Z, 4 Z–A, by the other name next); any other keeps the core's order.
fn sort_people(people: &mut [PersonOff], sorting: i64) {
    let first = |p: &PersonOff| (p.first_name.to_lowercase(), p.last_name.to_lowercase());
    let last = |p: &PersonOff| (p.last_name.to_lowercase(), p.first_name.to_lowercase());
    match sorting {
        1 => people.sort_by_cached_key(first),
        2 => people.sort_by_cached_key(|p| std::cmp::Reverse(first(p))),
        3 => people.sort_by_cached_key(last),
        4 => people.sort_by_cached_key(|p| std::cmp::Reverse(last(p))),
        _ => {}
    }
}

/// The first day of the month `YYYY-MM`.
fn parse_month(value: &str) -> Option<Date> {
    let (year, month) = value.split_once('-')?;
    if year.len() != 4 || month.len() != 2 {
        return None;
    }
    Date::new(year.parse().ok()?, month.parse().ok()?, 1).ok()
}

fn month_text(first: Date) -> String {
    format!("{:04}-{:02}", first.year(), first.month())
}

pub async fn page(
    State(state): State<AppState>,
    signed: Signed,
    Query(query): Query<MonthQuery>,
) -> Result<Response, PageError> {
    let frame = Frame::load(&state, &signed, "/whos-off", "Who's off").await?;
    let first = match query.month.as_deref().filter(|m| !m.is_empty()) {
        Some(text) => parse_month(text).ok_or_else(|| {
            PageError::from(rota_core::Error::bad_request(
                "invalid_query",
                Some("month"),
                "month must be YYYY-MM",
            ))
        })?,
        None => frame.today.first_of_month(),
    };
    let group = query
        .group
        .unwrap_or_else(|| default_group(&frame.preferences));
    let group = group.as_str();
    let holders = match group {
        "" => None,
        text => Some(parse_group(text).ok_or_else(|| {
            PageError::from(rota_core::Error::bad_request(
                "invalid_query",
                Some("group"),
                "group must be d<id>, r<id>, l<id> or t<id>",
            ))
        })?),
    };
    let last = first.last_of_month();
    let actor = &signed.actor;
    let (from, to) = (first.to_string(), last.to_string());
    let mut people = whos_off::who_is_off(
        &state.db,
        actor,
        &from,
        &to,
        WhoFilter {
            people: holders,
            ..WhoFilter::default()
        },
    )
    .await?;
    sort_people(&mut people, frame.preferences.sorting);
    // The days' holidays and annotations; the absences come with the people above, so the
    // calendar is asked for the reader's own only.
    let days = calendar::calendar(
        &state.db,
        actor,
        &from,
        &to,
        CalendarFilter {
            user_id: Some(actor.user_id),
            ..CalendarFilter::default()
        },
    )
    .await?
    .days;
    let groups = groups(&state, &signed, group).await?;
    let mut legend: Vec<LegendItem> =
        rota_core::leave::types::of_kind(&state.db, actor, TypeKind::Leave, Some(true))
            .await?
            .into_iter()
            .map(|t| LegendItem {
                class: grid::TypeClass(Some(t.id)),
                name: t.name,
            })
            .collect();
    legend.push(LegendItem {
        class: grid::TypeClass(None),
        name: "Away (private)".to_owned(),
    });
    let step = |months: i8| {
        first
            .checked_add(jiff::Span::new().months(months))
            .map(month_text)
            .unwrap_or_else(|_| month_text(first))
    };
    render(&WhosOffPage {
        month: month_text(first),
        month_label: first.strftime("%B %Y").to_string(),
        previous: step(-1),
        next: step(1),
        group,
        groups,
        legend,
        grid: grid::build(&days, &people, frame.today),
        frame,
    })
}

/// The departments, regions and locations to filter by.
async fn groups(
    state: &AppState,
    signed: &Signed,
    selected: &str,
) -> Result<Vec<(&'static str, Vec<GroupOption>)>, PageError> {
    let actor = &signed.actor;
    let option = |prefix: char, id: i64, name: String| {
        let value = format!("{prefix}{id}");
        GroupOption {
            selected: value == selected,
            value,
            label: name,
        }
    };
    let limit = Some(rota_core::paging::MAX_LIMIT);
    let departments = org::list::<Department>(&state.db, actor, limit, None).await?;
    let regions = org::list::<Region>(&state.db, actor, limit, None).await?;
    let locations = org::list::<Location>(&state.db, actor, limit, None).await?;
    let tags = org::list::<Tag>(&state.db, actor, limit, None).await?;
    Ok(vec![
        (
            "Departments",
            departments
                .data
                .into_iter()
                .map(|d| option('d', d.id, d.name))
                .collect(),
        ),
        (
            "Regions",
            regions
                .data
                .into_iter()
                .map(|r| option('r', r.id, r.name))
                .collect(),
        ),
        (
            "Locations",
            locations
                .data
                .into_iter()
                .map(|l| option('l', l.id, l.name))
                .collect(),
        ),
        (
            "Tags",
            tags.data
                .into_iter()
                .map(|t| option('t', t.id, t.name))
                .collect(),
        ),
    ])
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::web::grid::tests::{absence, month, person};
    use jiff::civil::date;
    use rota_core::leave::duration::DayPart;

    #[test]
    fn a_group_is_a_letter_and_an_id() {
        assert_eq!(parse_group("d12"), Some(Holders::Department(12)));
        assert_eq!(parse_group("r3"), Some(Holders::Region(3)));
        assert_eq!(parse_group("l4"), Some(Holders::Location(4)));
        assert_eq!(parse_group("t5"), Some(Holders::Tag(5)));
        assert_eq!(parse_group("x4"), None);
        assert_eq!(parse_group("d-1"), None);
        assert_eq!(parse_group("d"), None);
        assert_eq!(parse_group("é1"), None);
    }

    #[test]
    fn the_default_view_opens_on_a_department_or_a_tag() {
        let of = |default_view| {
            default_group(&ViewPreferences {
                default_view,
                sorting: 0,
            })
        };
        assert_eq!(of(Some(View::of(1, 7))), "d7");
        assert_eq!(of(Some(View::of(2, 9))), "t9");
        assert_eq!(of(None), "");
    }

    #[test]
    fn people_are_sorted_as_the_reader_chose() {
        let named = |id, first: &str, last: &str| PersonOff {
            first_name: first.into(),
            last_name: last.into(),
            ..person(id, Vec::new())
        };
        let people = || {
            vec![
                named(1, "bea", "Young"),
                named(2, "Al", "Zane"),
                named(3, "Cy", "adams"),
            ]
        };
        let order = |sorting| {
            let mut sorted = people();
            sort_people(&mut sorted, sorting);
            sorted.iter().map(|p| p.user_id).collect::<Vec<_>>()
        };
        assert_eq!(order(0), [1, 2, 3], "as listed");
        assert_eq!(order(1), [2, 1, 3]);
        assert_eq!(order(2), [3, 1, 2]);
        assert_eq!(order(3), [3, 1, 2], "any case");
        assert_eq!(order(4), [2, 1, 3]);
    }

    #[test]
    fn a_month_is_year_dash_month() {
        assert_eq!(parse_month("2026-12"), Some(date(2026, 12, 1)));
        assert_eq!(parse_month("2026-13"), None);
        assert_eq!(parse_month("2026-1"), None);
        assert_eq!(parse_month("26-01"), None);
    }

    /// A 200-person department's month, the size whose speed `rota bench` measures
    /// (docs/web.md, "How fast"), renders a row a person.
    #[test]
    fn a_200_person_month_renders_a_row_a_person() {
        let first = date(2026, 12, 1);
        let days = month(first, Some(date(2026, 12, 25)));
        let people: Vec<_> = (0..200)
            .map(|n| {
                let start = date(2026, 12, 1 + (n % 20) as i8);
                let end = date(2026, 12, 3 + (n % 20) as i8);
                person(n, vec![absence(start, end, DayPart::Morning, Some(n % 5))])
            })
            .collect();
        let page = WhosOffPage {
            frame: Frame {
                company: "Acme".into(),
                person: "Ann Example".into(),
                nav: Vec::new(),
                csrf: "token".into(),
                title: "Who's off",
                today: date(2026, 12, 3),
                zone: jiff::tz::TimeZone::UTC,
                preferences: ViewPreferences::default(),
            },
            month: "2026-12".into(),
            month_label: "December 2026".into(),
            previous: "2026-11".into(),
            next: "2027-01".into(),
            group: "",
            groups: Vec::new(),
            legend: Vec::new(),
            grid: grid::build(&days, &people, date(2026, 12, 3)),
        };
        let html = page.render().expect("renders");
        assert_eq!(
            html.matches("<tr>").count(),
            201,
            "a header and a row a person"
        );
    }
}
