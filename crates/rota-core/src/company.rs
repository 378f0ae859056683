//! Companies (tenants): their profile and their settings. Sign-up, which also makes the
//! owner and the company's first leave types, is `crate::signup`.

use serde::{Deserialize, Serialize};
use sqlx::{AssertSqlSafe, FromRow};
use utoipa::ToSchema;

use crate::access::audit::AuditAction;
use crate::db::{Db, Tx, now};
use crate::error::{Error, Result};
use crate::people::types::Weekday;
use crate::policy::{Action, Actor, ColleagueVisibility, PolicySettings, Target, may};
use crate::validate;

/// Rules a company sets for itself. Every field has a default, so a partial object is valid.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(default, deny_unknown_fields)]
pub struct CompanySettings {
    /// Shortest password accepted on create, update and reset (at least 8).
    #[schema(minimum = 8, maximum = 128)]
    pub password_min_length: i64,
    /// Failed sign-ins within `lockout_window_minutes` that lock an account.
    #[schema(minimum = 1, maximum = 100)]
    pub lockout_threshold: i64,
    #[schema(minimum = 1, maximum = 1440)]
    pub lockout_window_minutes: i64,
    /// How long a lock lasts unless a super user lifts it earlier.
    #[schema(minimum = 1, maximum = 525600)]
    pub lockout_minutes: i64,
    /// How long a sign-in session lasts.
    #[schema(minimum = 1, maximum = 720)]
    pub session_hours: i64,
    /// Which colleagues staff and approvers see besides their own staff.
    pub colleague_visibility: ColleagueVisibility,
    /// A full year's entitlement to deducting leave for a new allowance, in hundredths of
    /// a day (2500 is 25 days), unless the user's department sets one.
    #[schema(minimum = 0, maximum = 36600)]
    pub default_allowance: i64,
    /// The most unused leave that carries into the next leave year, in hundredths of a day.
    #[schema(minimum = 0, maximum = 36600)]
    pub carryover_cap: i64,
    /// Carried-over leave lapses this many months into the new leave year (0: never).
    #[schema(minimum = 0, maximum = 12)]
    pub carryover_expiry_months: i64,
    /// Whether approvals may take a balance below zero.
    pub allow_negative_balance: bool,
    /// Whether joiners and leavers get an entitlement in proportion to the days employed.
    pub pro_rata: bool,
    /// Whether everyone must sign in with a second factor (WhosOff's `forceMFA`): a user
    /// without MFA enrols at their next sign-in, and nobody may switch theirs off.
    pub force_mfa: bool,
    /// Whether a swap or drop a colleague accepts waits for a manager's approval (the
    /// holder's approver, or a super user) before the shift changes hands.
    pub swaps_require_approval: bool,
}

impl Default for CompanySettings {
    fn default() -> Self {
        Self {
            password_min_length: 12,
            lockout_threshold: 5,
            lockout_window_minutes: 15,
            lockout_minutes: 30,
            session_hours: 12,
            colleague_visibility: ColleagueVisibility::Department,
            default_allowance: 2500,
            carryover_cap: 500,
            carryover_expiry_months: 3,
            allow_negative_balance: false,
            pro_rata: true,
            force_mfa: false,
            swaps_require_approval: true,
        }
    }
}

impl CompanySettings {
    fn validate(&self) -> Result<()> {
        validate::within(
            "settings.password_min_length",
            self.password_min_length,
            8,
            128,
        )?;
        validate::within("settings.lockout_threshold", self.lockout_threshold, 1, 100)?;
        validate::within(
            "settings.lockout_window_minutes",
            self.lockout_window_minutes,
            1,
            1440,
        )?;
        validate::within("settings.lockout_minutes", self.lockout_minutes, 1, 525_600)?;
        validate::within("settings.session_hours", self.session_hours, 1, 720)?;
        validate::within(
            "settings.default_allowance",
            self.default_allowance,
            0,
            36_600,
        )?;
        validate::within("settings.carryover_cap", self.carryover_cap, 0, 36_600)?;
        validate::within(
            "settings.carryover_expiry_months",
            self.carryover_expiry_months,
            0,
            12,
        )?;
        Ok(())
    }

    /// The policy settings in a company's stored settings, for an actor loaded with them.
    pub(crate) fn stored_policy(stored: &str) -> Result<PolicySettings> {
        serde_json::from_str::<Self>(stored)
            .map(|settings| settings.policy())
            .map_err(|e| Error::Internal(format!("stored settings unreadable: {e}").into()))
    }

    pub fn policy(&self) -> PolicySettings {
        PolicySettings {
            colleague_visibility: self.colleague_visibility,
        }
    }

    /// Checks a new password against the policy.
    pub fn check_password(&self, field: &'static str, password: &str) -> Result<()> {
        let length = password.chars().count() as i64;
        if length < self.password_min_length {
            return Err(Error::Invalid {
                code: crate::error::code::WEAK_PASSWORD,
                message: format!(
                    "{field} must be at least {} characters",
                    self.password_min_length
                )
                .into(),
                field: Some(field.into()),
            });
        }
        if length > 256 {
            return Err(Error::invalid(
                field,
                format!("{field} must be at most 256 characters"),
            ));
        }
        Ok(())
    }
}

#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct Company {
    pub id: i64,
    pub name: String,
    /// IANA time zone, such as `Europe/London`.
    pub time_zone: String,
    pub week_start: Weekday,
    /// The leave year starts on this month (1–12) and day.
    pub leave_year_start_month: i64,
    pub leave_year_start_day: i64,
    /// Default public-holiday country (ISO 3166-1 alpha-2).
    pub holiday_country: Option<String>,
    pub owner_id: Option<i64>,
    pub settings: CompanySettings,
    pub created_at: String,
    pub updated_at: String,
}

#[derive(FromRow)]
struct CompanyRow {
    id: i64,
    name: String,
    time_zone: String,
    week_start: i64,
    leave_year_start_month: i64,
    leave_year_start_day: i64,
    holiday_country: Option<String>,
    settings: String,
    owner_id: Option<i64>,
    created_at: i64,
    updated_at: i64,
}

impl TryFrom<CompanyRow> for Company {
    type Error = Error;

    fn try_from(row: CompanyRow) -> Result<Self> {
        Ok(Self {
            id: row.id,
            name: row.name,
            time_zone: row.time_zone,
            week_start: Weekday::from_number(row.week_start)
                .ok_or_else(|| Error::Internal("stored week_start out of range".into()))?,
            leave_year_start_month: row.leave_year_start_month,
            leave_year_start_day: row.leave_year_start_day,
            holiday_country: row.holiday_country,
            owner_id: row.owner_id,
            settings: serde_json::from_str(&row.settings)
                .map_err(|e| Error::Internal(format!("stored settings unreadable: {e}").into()))?,
            created_at: crate::time::rfc3339(row.created_at),
            updated_at: crate::time::rfc3339(row.updated_at),
        })
    }
}

/// Changes to the company profile; absent fields stay as they are.
#[derive(Debug, Clone, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CompanyPatch {
    #[schema(value_type = Option<crate::openapi::Text100>)]
    pub name: Option<String>,
    #[schema(value_type = Option<crate::openapi::TimeZone>)]
    pub time_zone: Option<String>,
    pub week_start: Option<Weekday>,
    #[schema(minimum = 1, maximum = 12)]
    pub leave_year_start_month: Option<i64>,
    #[schema(minimum = 1, maximum = 28)]
    pub leave_year_start_day: Option<i64>,
    #[schema(value_type = Option<crate::openapi::Country>)]
    pub holiday_country: Option<String>,
    /// Replaces the settings; omitted settings take their defaults.
    pub settings: Option<CompanySettings>,
}

const SELECT: &str = "SELECT id, name, time_zone, week_start, leave_year_start_month, leave_year_start_day, \
    holiday_country, settings, owner_id, created_at, updated_at FROM companies";

pub(crate) async fn load(executor: impl sqlx::AnyExecutor<'_>, company_id: i64) -> Result<Company> {
    let row: CompanyRow = sqlx::query_as(AssertSqlSafe(format!("{SELECT} WHERE id = $1")))
        .bind(company_id)
        .fetch_optional(executor)
        .await?
        .ok_or(Error::not_found("company"))?;
    row.try_into()
}

/// Inserts a company with its own defaults (its settings, a leave year from 1 January, a
/// week from Monday) and no owner yet; sign-up names the owner once it exists.
pub(crate) async fn insert(
    tx: &mut Tx,
    name: &str,
    time_zone: &str,
    holiday_country: Option<&str>,
    stamp: i64,
) -> Result<i64> {
    let settings_json = serde_json::to_string(&CompanySettings::default())
        .map_err(|e| Error::Internal(e.to_string().into()))?;
    Ok(sqlx::query_scalar(
        "INSERT INTO companies (name, time_zone, week_start, leave_year_start_month, leave_year_start_day, \
         holiday_country, settings, created_at, updated_at) VALUES ($1, $2, 1, 1, 1, $3, $4, $5, $5) RETURNING id",
    )
    .bind(name)
    .bind(time_zone)
    .bind(holiday_country)
    .bind(&settings_json)
    .bind(stamp)
    .fetch_one(&mut **tx)
    .await?)
}

/// Names the company's owner.
pub(crate) async fn set_owner(tx: &mut Tx, company_id: i64, owner_id: i64) -> Result<()> {
    sqlx::query("UPDATE companies SET owner_id = $1 WHERE id = $2")
        .bind(owner_id)
        .bind(company_id)
        .execute(&mut **tx)
        .await?;
    Ok(())
}

pub async fn get(db: &Db, actor: &Actor) -> Result<Company> {
    let company = load(db.pool(), actor.company_id).await?;
    if !may(
        actor,
        Action::ViewCompany,
        Target::Company(actor.company_id),
    ) {
        return Err(Error::forbidden("you may not view this company"));
    }
    Ok(company)
}

pub async fn update(db: &Db, actor: &Actor, patch: CompanyPatch) -> Result<Company> {
    let mut tx = db.begin_write().await?;
    let mut company = load(&mut *tx, actor.company_id).await?;
    if !may(
        actor,
        Action::UpdateCompany,
        Target::Company(actor.company_id),
    ) {
        return Err(Error::forbidden("only a super user may change the company"));
    }
    let mut fields = Vec::new();
    for (name, present) in [
        ("name", patch.name.is_some()),
        ("time_zone", patch.time_zone.is_some()),
        ("week_start", patch.week_start.is_some()),
        (
            "leave_year_start_month",
            patch.leave_year_start_month.is_some(),
        ),
        ("leave_year_start_day", patch.leave_year_start_day.is_some()),
        ("holiday_country", patch.holiday_country.is_some()),
        ("settings", patch.settings.is_some()),
    ] {
        if present {
            fields.push(name);
        }
    }
    apply(&mut company, patch)?;
    write(&mut tx, &company).await?;
    crate::access::audit::record_by(
        &mut tx,
        actor,
        AuditAction::CompanyUpdated,
        Some(("company", company.id)),
        serde_json::json!({"fields": fields, "settings": company.settings}),
    )
    .await?;
    tx.commit().await?;
    load(db.pool(), actor.company_id).await
}

fn apply(company: &mut Company, patch: CompanyPatch) -> Result<()> {
    if let Some(name) = patch.name {
        company.name = validate::required_text("name", &name, 100)?;
    }
    if let Some(zone) = patch.time_zone {
        company.time_zone = validate::time_zone("time_zone", &zone)?;
    }
    if let Some(day) = patch.week_start {
        company.week_start = day;
    }
    if let Some(month) = patch.leave_year_start_month {
        company.leave_year_start_month = validate::within("leave_year_start_month", month, 1, 12)?;
    }
    if let Some(day) = patch.leave_year_start_day {
        company.leave_year_start_day = day;
    }
    // Day 29–31 would not exist in every year: a leave year starts on a day every month has.
    validate::within("leave_year_start_day", company.leave_year_start_day, 1, 28)?;
    if let Some(country) = patch.holiday_country {
        company.holiday_country = Some(validate::country("holiday_country", &country)?);
    }
    if let Some(settings) = patch.settings {
        settings.validate()?;
        company.settings = settings;
    }
    Ok(())
}

async fn write(tx: &mut Tx, company: &Company) -> Result<()> {
    let settings = serde_json::to_string(&company.settings)
        .map_err(|e| Error::Internal(e.to_string().into()))?;
    sqlx::query(
        "UPDATE companies SET name = $1, time_zone = $2, week_start = $3, leave_year_start_month = $4, \
         leave_year_start_day = $5, holiday_country = $6, settings = $7, updated_at = $8 WHERE id = $9",
    )
    .bind(&company.name)
    .bind(&company.time_zone)
    .bind(company.week_start.number())
    .bind(company.leave_year_start_month)
    .bind(company.leave_year_start_day)
    .bind(&company.holiday_country)
    .bind(settings)
    .bind(now())
    .bind(company.id)
    .execute(&mut **tx)
    .await?;
    Ok(())
}
