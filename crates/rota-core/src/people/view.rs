//! Turning stored users into what a reader may see of them.

use std::collections::HashMap;

use sqlx::{AssertSqlSafe, FromRow};

use crate::db::flag;
use crate::error::Result;
use crate::people::model::{LastLogin, PositionRate, User};
use crate::people::record::UserRecord;
use crate::people::types::{AllowanceUnit, ApproverRole, EmailType};
use crate::policy::{Action, Actor, PolicySettings, Target, UserFacts, may};
use crate::sql::placeholders;
use crate::time::rfc3339;

/// A user's memberships: locations, positions (with rates) and tags.
#[derive(Debug, Clone, Default)]
pub struct Memberships {
    pub locations: Vec<i64>,
    pub positions: Vec<PositionRateRow>,
    pub tags: Vec<i64>,
}

#[derive(Debug, Clone, FromRow)]
pub struct PositionRateRow {
    pub user_id: i64,
    pub position_id: i64,
    pub hourly_rate_cents: Option<i64>,
}

#[derive(FromRow)]
struct Link {
    user_id: i64,
    other_id: i64,
}

/// Reads the memberships of several users at once. Each query orders by `user_id` first so
/// that SQLite reads the primary key `(company_id, user_id, …)` for just these users:
/// ordered by the other id alone, it chose the `(company_id, other_id)` index that yields
/// that order and scanned every membership in the company.
pub(crate) async fn memberships(
    executor: &mut sqlx::AnyConnection,
    company_id: i64,
    user_ids: &[i64],
) -> Result<HashMap<i64, Memberships>> {
    let mut map: HashMap<i64, Memberships> = user_ids
        .iter()
        .map(|id| (*id, Memberships::default()))
        .collect();
    if user_ids.is_empty() {
        return Ok(map);
    }
    let list = placeholders(2, user_ids.len());
    let bind_all = |sql: String| {
        let mut query = sqlx::query_as::<_, Link>(AssertSqlSafe(sql)).bind(company_id);
        for id in user_ids {
            query = query.bind(*id);
        }
        query
    };
    for link in bind_all(format!(
        "SELECT user_id, location_id AS other_id FROM user_locations WHERE company_id = $1 AND user_id IN ({list}) ORDER BY user_id, location_id"
    ))
    .fetch_all(&mut *executor)
    .await?
    {
        if let Some(m) = map.get_mut(&link.user_id) {
            m.locations.push(link.other_id);
        }
    }
    for link in bind_all(format!(
        "SELECT user_id, tag_id AS other_id FROM user_tags WHERE company_id = $1 AND user_id IN ({list}) ORDER BY user_id, tag_id"
    ))
    .fetch_all(&mut *executor)
    .await?
    {
        if let Some(m) = map.get_mut(&link.user_id) {
            m.tags.push(link.other_id);
        }
    }
    let sql = format!(
        "SELECT user_id, position_id, hourly_rate_cents FROM user_positions WHERE company_id = $1 AND user_id IN ({list}) ORDER BY user_id, position_id"
    );
    let mut query = sqlx::query_as::<_, PositionRateRow>(AssertSqlSafe(sql)).bind(company_id);
    for id in user_ids {
        query = query.bind(*id);
    }
    for row in query.fetch_all(&mut *executor).await? {
        if let Some(m) = map.get_mut(&row.user_id) {
            m.positions.push(row);
        }
    }
    Ok(map)
}

/// The user as [`may`] sees them when they read something outside any request of theirs:
/// the recipient of a message, the creator of an iCal feed.
pub fn reader(record: &UserRecord, owner_id: Option<i64>, policy: PolicySettings) -> Result<Actor> {
    Ok(Actor {
        user_id: record.id,
        company_id: record.company_id,
        role: record.user_type()?,
        is_owner: owner_id == Some(record.id),
        department_id: record.department_id,
        origin: crate::access::Origin::default(),
        policy,
    })
}

pub fn facts(record: &UserRecord, owner_id: Option<i64>) -> UserFacts {
    let role = |text: &str| ApproverRole::from_stored(text).unwrap_or(ApproverRole::None);
    UserFacts {
        id: record.id,
        company_id: record.company_id,
        department_id: record.department_id,
        is_hidden: flag(record.is_hidden),
        is_owner: owner_id == Some(record.id),
        approvers: [
            (record.approver_id, role(&record.approver_role)),
            (record.notifier_2_id, role(&record.notifier_2_role)),
            (record.notifier_3_id, role(&record.notifier_3_role)),
        ],
    }
}

/// How much of a user a reader may see.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Detail {
    /// Themselves, their approvers and notifiers, super users: everything.
    Full,
    /// Colleagues: who and where, and contact details unless the user is private.
    Colleague,
}

pub fn detail_for(actor: &Actor, facts: &UserFacts) -> Detail {
    if may(actor, Action::ViewDetails, Target::User(facts)) {
        Detail::Full
    } else {
        Detail::Colleague
    }
}

pub fn render(
    record: UserRecord,
    memberships: Memberships,
    detail: Detail,
    owner_id: Option<i64>,
    last_logins: Option<Vec<LastLogin>>,
) -> Result<User> {
    let full = detail == Detail::Full;
    let contact = full || !flag(record.is_private);
    let only = |show: bool, value: Option<String>| if show { value } else { None };
    Ok(User {
        user_type_id: record.user_type()?,
        status: record.status()?,
        approver_role: ApproverRole::from_stored(&record.approver_role)?,
        notifier_2_role: ApproverRole::from_stored(&record.notifier_2_role)?,
        notifier_3_role: ApproverRole::from_stored(&record.notifier_3_role)?,
        allowance_unit: AllowanceUnit::from_stored(&record.allowance_unit)?,
        email_type: EmailType::from_stored(&record.email_type)?,
        working_days: record.working_days(),
        is_owner: owner_id == Some(record.id),
        id: record.id,
        company_id: record.company_id,
        staff_code: record.staff_code,
        title: record.title,
        first_name: record.first_name,
        middle_name: record.middle_name,
        last_name: record.last_name,
        email: only(contact, Some(record.email)),
        work_phone: only(contact, record.work_phone),
        mobile_phone: only(contact, record.mobile_phone),
        department_id: record.department_id,
        region_id: record.region_id,
        locations: memberships.locations,
        positions: memberships
            .positions
            .iter()
            .map(|p| p.position_id)
            .collect(),
        tags: memberships.tags,
        approver_id: record.approver_id,
        notifier_2_id: record.notifier_2_id,
        notifier_3_id: record.notifier_3_id,
        manager_id: record.manager_id,
        job_title: record.job_title,
        employment_start_date: record.employment_start_date,
        employment_end_date: record.employment_end_date.filter(|_| full),
        holiday_country: record.holiday_country,
        holiday_subdivision: record.holiday_subdivision,
        time_zone: record.time_zone,
        hourly_rate_cents: if full { record.hourly_rate_cents } else { None },
        position_rates: full.then(|| {
            memberships
                .positions
                .iter()
                .filter_map(|p| {
                    p.hourly_rate_cents.map(|rate| PositionRate {
                        position_id: p.position_id,
                        hourly_rate_cents: rate,
                    })
                })
                .collect()
        }),
        hours_max_minutes: if full { record.hours_max_minutes } else { None },
        hours_preferred_minutes: if full {
            record.hours_preferred_minutes
        } else {
            None
        },
        employment_type: only(full, record.employment_type),
        notes: only(full, record.notes),
        is_hidden: flag(record.is_hidden),
        is_private: flag(record.is_private),
        is_payroll: flag(record.is_payroll),
        is_trusted: flag(record.is_trusted),
        default_view_type_id: record.default_view_type_id,
        default_view_id: record.default_view_id,
        default_sorting_id: record.default_sorting_id,
        active_directory_username: only(full, record.active_directory_username),
        image_url_small: record.image_url_small,
        image_url_large: record.image_url_large,
        last_logins: if full { last_logins } else { None },
        lockout_date: if full {
            record.lockout_date.map(rfc3339)
        } else {
            None
        },
        force_mfa: flag(record.force_mfa),
        created_at: rfc3339(record.created_at),
        updated_at: rfc3339(record.updated_at),
    })
}
