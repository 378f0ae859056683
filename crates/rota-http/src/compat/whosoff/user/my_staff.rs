//! `user/my-staff`: the my-staff report (`rota_core::leave::report`) over the leave year
//! holding today, every allowance figure in minutes through each person's working day.

use std::collections::HashMap;

use axum::extract::State;
use rota_core::leave::report::{
    self, Breakdown, DurationBucket, Leader, LeaveTypeLine, StaffFilter, StaffLine, UserBalances,
    YearFigures,
};
use rota_core::people::types::{AllowanceUnit, ApproverRole};
use rota_core::policy::Action;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use super::code;
use crate::AppState;
use crate::compat::lenient::Int;
use crate::compat::units::allowance_minutes;
use crate::compat::whosoff::envelope::{Answer, Envelope};
use crate::compat::whosoff::extract::{Body, Caller};

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(my_staff))
}

/// `my-staff`'s body.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct MyStaffBody {
    /// 0 everyone (the default), 1 those with something pending, 2 those with leave this
    /// year.
    staff_filter: Option<Int>,
}

/// One person of `staff_overview`; allowance figures in minutes, null where Rota has no
/// figure in time for them (a working pattern without working days).
#[derive(Debug, Serialize, ToSchema)]
pub struct StaffOverview {
    user_id: i64,
    first_name: String,
    last_name: String,
    pending_request: i64,
    pending_overtime: i64,
    allowance_type_id_this_year: Option<i64>,
    opening_this_year: Option<i32>,
    remaining_this_year: Option<i32>,
    pending_this_year: Option<i32>,
    carryover_opening_this_year: Option<i32>,
    carryover_remaining_this_year: Option<i32>,
    #[schema(value_type = Option<String>, format = Date)]
    carryover_expiry_date_this_year: Option<jiff::civil::Date>,
    allowance_type_id_next_year: Option<i64>,
    opening_next_year: Option<i32>,
    remaining_next_year: Option<i32>,
    pending_next_year: Option<i32>,
    carryover_opening_next_year: Option<i32>,
    carryover_remaining_next_year: Option<i32>,
    #[schema(value_type = Option<String>, format = Date)]
    carryover_expiry_date_next_year: Option<jiff::civil::Date>,
    /// The caller's role in this person's approver slots, 0–6.
    approver_role_id: i64,
}

/// The leaders of the year, as WhosOff names them: occurrences are counts, `days`
/// totals and durations minutes of the leader's working day, `hours` ones minutes.
#[derive(Debug, Serialize, ToSchema)]
pub struct OverviewBody {
    staff_total: i64,
    staff_with_leave_total: i64,
    absence_record_total: i64,
    most_popular_leave_type_name: Option<String>,
    most_popular_leave_type_total: i64,
    most_occurrences_first_name: Option<String>,
    most_occurrences_last_name: Option<String>,
    most_occurrences_total: i64,
    most_accumulated_days_first_name: Option<String>,
    most_accumulated_days_last_name: Option<String>,
    most_accumulated_days_total: Option<i32>,
    most_accumulated_hours_first_name: Option<String>,
    most_accumulated_hours_last_name: Option<String>,
    most_accumulated_hours_total: Option<i32>,
    longest_absence_days_first_name: Option<String>,
    longest_absence_days_last_name: Option<String>,
    longest_absence_days_total: Option<i32>,
    longest_absence_hours_first_name: Option<String>,
    longest_absence_hours_last_name: Option<String>,
    longest_absence_hours_total: Option<i32>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct LeaveTypeOverview {
    code: String,
    name: String,
    colour: String,
    occurrences_total: i64,
    most_occurrences_total: i64,
    most_occurrences_first_name: Option<String>,
    most_occurrences_last_name: Option<String>,
    most_days_first_name: Option<String>,
    most_days_last_name: Option<String>,
    most_days_duration: Option<i32>,
    most_hours_first_name: Option<String>,
    most_hours_last_name: Option<String>,
    most_hours_duration: Option<i32>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct BreakdownLine {
    occurrences: i64,
    name: String,
    colour: String,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct DurationLine {
    time_span: String,
    occurrences: i64,
    order_by: i64,
}

/// `my-staff`'s answer.
#[derive(Debug, Serialize, ToSchema)]
pub struct MyStaff {
    staff_overview: Vec<StaffOverview>,
    overview: OverviewBody,
    leave_type_overview: Vec<LeaveTypeOverview>,
    breakdown_by_leave_type: Vec<BreakdownLine>,
    occurrences_by_duration: Vec<DurationLine>,
}

/// Each person's working day, and so their figures' worth in minutes.
struct Days(HashMap<i64, UserBalances>);

impl Days {
    /// An amount in `unit` as minutes of `user_id`'s time.
    fn minutes(&self, user_id: Option<i64>, amount: i64, unit: AllowanceUnit) -> Option<i32> {
        let day = user_id
            .and_then(|id| self.0.get(&id))
            .map_or(0, |b| b.day_minutes);
        allowance_minutes(amount, unit, day).ok()
    }

    /// A leader's total of hundredths of a day, in minutes of their working day.
    fn days(&self, leader: &Leader) -> Option<i32> {
        self.minutes(leader.user_id, leader.total, AllowanceUnit::Days)
    }
}

fn year(days: &Days, user_id: i64, figures: &YearFigures) -> [Option<i32>; 5] {
    let unit = figures
        .allowance_unit
        .as_deref()
        .and_then(|u| AllowanceUnit::from_stored(u).ok())
        .unwrap_or(AllowanceUnit::Days);
    [
        figures.opening,
        figures.remaining,
        figures.pending,
        figures.carryover_opening,
        figures.carryover_remaining,
    ]
    .map(|amount| days.minutes(Some(user_id), amount, unit))
}

fn unit_code(figures: &YearFigures) -> Option<i64> {
    figures
        .allowance_unit
        .as_deref()
        .and_then(|u| AllowanceUnit::from_stored(u).ok())
        .map(AllowanceUnit::code)
}

fn staff_line(days: &Days, line: StaffLine) -> StaffOverview {
    let [opening, remaining, pending, carry_opening, carry_remaining] =
        year(days, line.user_id, &line.this_year);
    let [
        next_opening,
        next_remaining,
        next_pending,
        next_carry_opening,
        next_carry_remaining,
    ] = year(days, line.user_id, &line.next_year);
    StaffOverview {
        user_id: line.user_id,
        pending_request: line.pending_request,
        pending_overtime: line.pending_overtime,
        allowance_type_id_this_year: unit_code(&line.this_year),
        opening_this_year: opening,
        remaining_this_year: remaining,
        pending_this_year: pending,
        carryover_opening_this_year: carry_opening,
        carryover_remaining_this_year: carry_remaining,
        allowance_type_id_next_year: unit_code(&line.next_year),
        opening_next_year: next_opening,
        remaining_next_year: next_remaining,
        pending_next_year: next_pending,
        carryover_opening_next_year: next_carry_opening,
        carryover_remaining_next_year: next_carry_remaining,
        approver_role_id: ApproverRole::from_stored(&line.approver_role)
            .map_or(0, ApproverRole::code),
        carryover_expiry_date_this_year: line.this_year.carryover_expiry_date,
        carryover_expiry_date_next_year: line.next_year.carryover_expiry_date,
        first_name: line.first_name,
        last_name: line.last_name,
    }
}

fn type_line(days: &Days, line: LeaveTypeLine) -> LeaveTypeOverview {
    LeaveTypeOverview {
        occurrences_total: line.occurrences_total,
        most_occurrences_total: line.most_occurrences.total,
        most_days_duration: days.days(&line.most_days),
        most_hours_duration: i32::try_from(line.most_hours.total).ok(),
        code: line.code,
        name: line.name,
        colour: line.colour,
        most_occurrences_first_name: line.most_occurrences.first_name,
        most_occurrences_last_name: line.most_occurrences.last_name,
        most_days_first_name: line.most_days.first_name,
        most_days_last_name: line.most_days.last_name,
        most_hours_first_name: line.most_hours.first_name,
        most_hours_last_name: line.most_hours.last_name,
    }
}

/// The staff the caller approves for (everyone, for a super user): their pending requests
/// and allowances this leave year and next, and the year's absence statistics. User level
/// APPROVER.
#[utoipa::path(post, path = "/v4/user/my-staff", tag = "user", request_body = MyStaffBody,
    responses((status = 200, body = Envelope<MyStaff>)))]
async fn my_staff(State(state): State<AppState>, caller: Caller, body: Body) -> Answer<MyStaff> {
    caller.may(Action::ListMyStaff)?;
    let body: MyStaffBody = body.parse()?;
    let filter = code(
        "staff_filter",
        body.staff_filter,
        |c| match c {
            0 => Some(StaffFilter::All),
            1 => Some(StaffFilter::WithPending),
            2 => Some(StaffFilter::WithLeave),
            _ => None,
        },
        "0 (everyone), 1 (with something pending), 2 (with leave this year)",
    )?
    .unwrap_or_default();
    let report = report::my_staff_this_year(&state.db, &caller.actor, filter).await?;
    let ids: Vec<i64> = report.staff_overview.iter().map(|l| l.user_id).collect();
    let days = Days(report::balances(&state.db, &caller.actor, &ids).await?);
    let overview = report.overview;
    let leader = |l: Leader| (l.first_name, l.last_name);
    let hours = |l: &Leader| i32::try_from(l.total).ok();
    let most_days = days.days(&overview.most_accumulated_days);
    let longest_days = days.days(&overview.longest_absence_days);
    let (most_hours_total, longest_hours_total) = (
        hours(&overview.most_accumulated_hours),
        hours(&overview.longest_absence_hours),
    );
    let most_occurrences_total = overview.most_occurrences.total;
    let (most_occurrences_first_name, most_occurrences_last_name) =
        leader(overview.most_occurrences);
    let (most_days_first, most_days_last) = leader(overview.most_accumulated_days);
    let (most_hours_first, most_hours_last) = leader(overview.most_accumulated_hours);
    let (longest_days_first, longest_days_last) = leader(overview.longest_absence_days);
    let (longest_hours_first, longest_hours_last) = leader(overview.longest_absence_hours);
    Envelope::ok(MyStaff {
        leave_type_overview: report
            .leave_type_overview
            .into_iter()
            .map(|line| type_line(&days, line))
            .collect(),
        staff_overview: report
            .staff_overview
            .into_iter()
            .map(|line| staff_line(&days, line))
            .collect(),
        overview: OverviewBody {
            staff_total: overview.staff_total,
            staff_with_leave_total: overview.staff_with_leave_total,
            absence_record_total: overview.absence_record_total,
            most_popular_leave_type_name: overview.most_popular_leave_type_name,
            most_popular_leave_type_total: overview.most_popular_leave_type_total,
            most_occurrences_first_name,
            most_occurrences_last_name,
            most_occurrences_total,
            most_accumulated_days_first_name: most_days_first,
            most_accumulated_days_last_name: most_days_last,
            most_accumulated_days_total: most_days,
            most_accumulated_hours_first_name: most_hours_first,
            most_accumulated_hours_last_name: most_hours_last,
            most_accumulated_hours_total: most_hours_total,
            longest_absence_days_first_name: longest_days_first,
            longest_absence_days_last_name: longest_days_last,
            longest_absence_days_total: longest_days,
            longest_absence_hours_first_name: longest_hours_first,
            longest_absence_hours_last_name: longest_hours_last,
            longest_absence_hours_total: longest_hours_total,
        },
        breakdown_by_leave_type: report
            .breakdown_by_leave_type
            .into_iter()
            .map(|b: Breakdown| BreakdownLine {
                occurrences: b.occurrences,
                name: b.name,
                colour: b.colour,
            })
            .collect(),
        occurrences_by_duration: report
            .occurrences_by_duration
            .into_iter()
            .map(|d: DurationBucket| DurationLine {
                time_span: d.time_span,
                occurrences: d.occurrences,
                order_by: d.order_by,
            })
            .collect(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn figures_become_minutes_of_each_persons_working_day() {
        let balances = UserBalances {
            unit: AllowanceUnit::Days,
            day_minutes: 450,
            this_year: YearFigures::default(),
            next_year: YearFigures::default(),
        };
        let days = Days([(7, balances)].into());
        let figures = YearFigures {
            allowance_unit: Some("days".into()),
            opening: 2500,
            remaining: 2000,
            pending: 50,
            carryover_opening: 100,
            carryover_remaining: 0,
            carryover_expiry_date: None,
        };
        assert_eq!(
            year(&days, 7, &figures),
            [Some(11_250), Some(9_000), Some(225), Some(450), Some(0)]
        );
        // Nobody's working day known: no figure in time, rather than a guess.
        assert_eq!(year(&days, 8, &figures), [None; 5]);
        let hours = YearFigures {
            allowance_unit: Some("hours".into()),
            opening: 600,
            ..YearFigures::default()
        };
        assert_eq!(year(&days, 8, &hours)[0], Some(600));
        assert_eq!(unit_code(&hours), Some(1));
        assert_eq!(unit_code(&YearFigures::default()), None);
    }
}
