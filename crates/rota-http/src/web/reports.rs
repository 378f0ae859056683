//! Reports: the my-staff report for a period (the leave year by default) — the overview's
//! figures, charts of leave by type, absences by duration and absence month by month drawn
//! as SVG on the server ([`super::chart`]), the staff's pending requests and balances — and
//! the staff as CSV. For those who may list their staff, as the API's report.

use askama::Template;
use axum::extract::{Query, State};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use rota_core::leave::report::{self, MyStaffReport, StaffFilter, YearFigures};
use rota_core::people::types::AllowanceUnit;
use serde::Deserialize;

use super::chart::{BarChart, Row};
use super::format;
use super::page::{Frame, PageError, Problem, render};
use super::session::Signed;
use crate::AppState;

/// The period and the staff to report on, as the form sends them.
#[derive(Deserialize)]
pub struct ReportQuery {
    from: Option<String>,
    to: Option<String>,
    staff: Option<String>,
}

/// A row of the staff table.
pub struct StaffRow {
    pub name: String,
    pub pending_requests: i64,
    pub pending_overtime: i64,
    pub this_year: String,
    pub next_year: String,
}

#[derive(Template)]
#[template(path = "reports.html")]
struct ReportsPage {
    frame: Frame,
    from: String,
    to: String,
    staff: &'static str,
    problem: Problem,
    report: Option<Shown>,
}

/// What the page shows of a report it could make.
struct Shown {
    overview: Vec<(&'static str, String)>,
    charts: Vec<BarChart>,
    /// Why absence by month is not drawn (a period longer than it covers).
    months_problem: Option<String>,
    staff: Vec<StaffRow>,
    csv_href: String,
}

/// The period asked for: the form's, or the leave year holding today.
struct Asked {
    from: String,
    to: String,
    filter: StaffFilter,
}

const FILTERS: [(&str, StaffFilter); 3] = [
    ("all", StaffFilter::All),
    ("with_pending", StaffFilter::WithPending),
    ("with_leave", StaffFilter::WithLeave),
];

impl Asked {
    async fn of(state: &AppState, signed: &Signed, query: ReportQuery) -> Result<Self, PageError> {
        let filter = match query.staff.as_deref().filter(|s| !s.is_empty()) {
            None => StaffFilter::All,
            Some(text) => FILTERS
                .iter()
                .find(|(name, _)| *name == text)
                .map(|(_, filter)| *filter)
                .ok_or_else(|| PageError::bad_form("staff is all, with_pending or with_leave"))?,
        };
        let (from, to) = match (query.from, query.to) {
            (Some(from), Some(to)) if !from.is_empty() && !to.is_empty() => (from, to),
            _ => {
                let (first, last) = report::this_leave_year(&state.db, &signed.actor).await?;
                (first.to_string(), last.to_string())
            }
        };
        Ok(Self { from, to, filter })
    }

    fn filter_name(&self) -> &'static str {
        FILTERS
            .iter()
            .find(|(_, filter)| *filter == self.filter)
            .map_or("all", |(name, _)| name)
    }
}

pub async fn page(
    State(state): State<AppState>,
    signed: Signed,
    Query(query): Query<ReportQuery>,
) -> Result<Response, PageError> {
    let asked = Asked::of(&state, &signed, query).await?;
    let actor = &signed.actor;
    // The core decides who may read the report before anything else is loaded.
    let (shown, problem) =
        match report::my_staff(&state.db, actor, &asked.from, &asked.to, asked.filter).await {
            Ok(report) => (Some(shown(&asked, report)), Problem::default()),
            Err(error) => {
                let error = PageError::from(error);
                if error.status == StatusCode::FORBIDDEN {
                    return Err(error);
                }
                (None, Problem::of(&error, &["from", "to"]))
            }
        };
    let frame = Frame::load(&state, &signed, "/reports", "Reports").await?;
    let refused = shown.is_none();
    let mut response = render(&ReportsPage {
        frame,
        staff: asked.filter_name(),
        from: asked.from,
        to: asked.to,
        problem,
        report: shown,
    })?;
    if refused {
        *response.status_mut() = StatusCode::UNPROCESSABLE_ENTITY;
    }
    Ok(response)
}

/// The staff of the report as CSV, for a spreadsheet.
pub async fn csv(
    State(state): State<AppState>,
    signed: Signed,
    Query(query): Query<ReportQuery>,
) -> Result<Response, PageError> {
    let asked = Asked::of(&state, &signed, query).await?;
    let report = report::my_staff(
        &state.db,
        &signed.actor,
        &asked.from,
        &asked.to,
        asked.filter,
    )
    .await?;
    let name = format!("my-staff-{}-{}.csv", report.from, report.to);
    Ok((
        [
            (header::CONTENT_TYPE, "text/csv; charset=utf-8".to_owned()),
            (
                header::CONTENT_DISPOSITION,
                format!("attachment; filename=\"{name}\""),
            ),
        ],
        report::staff_csv(&report),
    )
        .into_response())
}

fn shown(asked: &Asked, report: MyStaffReport) -> Shown {
    let overview = &report.overview;
    let mut figures = vec![
        ("Staff", overview.staff_total.to_string()),
        (
            "Staff with leave",
            overview.staff_with_leave_total.to_string(),
        ),
        ("Absences", overview.absence_record_total.to_string()),
    ];
    if let Some(name) = &overview.most_popular_leave_type_name {
        figures.push((
            "Most taken leave type",
            format!("{name} ({})", overview.most_popular_leave_type_total),
        ));
    }
    let times = |n: i64| {
        if n == 1 {
            "1 absence".to_owned()
        } else {
            format!("{n} absences")
        }
    };
    let by_type = BarChart::new(
        "chart-types",
        "Absences by leave type",
        report
            .breakdown_by_leave_type
            .iter()
            .map(|line| Row {
                label: line.name.clone(),
                value: line.occurrences,
                value_text: times(line.occurrences),
                colour: Some(line.colour.clone()),
            })
            .collect(),
    );
    let by_duration = BarChart::new(
        "chart-durations",
        "Absences by how long they last",
        report
            .occurrences_by_duration
            .iter()
            .map(|bucket| Row {
                label: bucket.time_span.clone(),
                value: bucket.occurrences,
                value_text: times(bucket.occurrences),
                colour: None,
            })
            .collect(),
    );
    let mut charts = vec![by_type, by_duration];
    let months_problem = match &report.absence_by_month {
        Some(months) => {
            charts.push(BarChart::new(
                "chart-months",
                "Days of absence by the month it starts",
                months
                    .iter()
                    .map(|month| Row {
                        value_text: format::days(month.day_hundredths),
                        label: month.month.clone(),
                        value: month.day_hundredths,
                        colour: None,
                    })
                    .collect(),
            ));
            None
        }
        None => Some(format!(
            "Absence month by month covers at most {} months: pick a shorter period to draw it.",
            report::MAX_MONTHS
        )),
    };
    let staff = report
        .staff_overview
        .iter()
        .map(|line| StaffRow {
            name: format!("{} {}", line.first_name, line.last_name),
            pending_requests: line.pending_request,
            pending_overtime: line.pending_overtime,
            this_year: remaining(&line.this_year),
            next_year: remaining(&line.next_year),
        })
        .collect();
    let csv_href = format!(
        "/reports/staff.csv?from={}&to={}&staff={}",
        report.from,
        report.to,
        asked.filter_name()
    );
    Shown {
        overview: figures,
        charts,
        months_problem,
        staff,
        csv_href,
    }
}

/// A year's remaining holiday as people read it, `—` without an allowance.
fn remaining(year: &YearFigures) -> String {
    match year
        .allowance_unit
        .as_deref()
        .and_then(|unit| AllowanceUnit::from_stored(unit).ok())
    {
        Some(unit) => format::amount(year.remaining, unit),
        None => "—".to_owned(),
    }
}
