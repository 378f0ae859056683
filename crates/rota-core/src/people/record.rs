//! A user as stored: one row of `users`, read and written whole, so that create and update
//! share one path (apply the input to a record, validate, write).

use jiff::civil::Date;
use sqlx::any::AnyArguments;
use sqlx::query::Query;
use sqlx::{Any, AssertSqlSafe, FromRow, Row};

use crate::db::Tx;
use crate::error::{Result, on_unique};
use crate::people::types::{AllowanceUnit, ApproverRole, EmailType, UserStatus, UserType, Weekday};

/// Every writable column of `users`, in the order [`UserRecord::bind`] binds them.
const COLUMNS: [&str; 48] = [
    "email",
    "password_hash",
    "staff_code",
    "title",
    "first_name",
    "middle_name",
    "last_name",
    "work_phone",
    "mobile_phone",
    "user_type_id",
    "status",
    "department_id",
    "region_id",
    "approver_id",
    "approver_role",
    "notifier_2_id",
    "notifier_2_role",
    "notifier_3_id",
    "notifier_3_role",
    "manager_id",
    "job_title",
    "employment_start_date",
    "employment_end_date",
    "working_days",
    "holiday_country",
    "holiday_subdivision",
    "time_zone",
    "allowance_unit",
    "hourly_rate_cents",
    "hours_max_minutes",
    "hours_preferred_minutes",
    "employment_type",
    "notes",
    "is_hidden",
    "is_private",
    "is_payroll",
    "is_trusted",
    "email_type",
    "default_view_type_id",
    "default_view_id",
    "default_sorting_id",
    "active_directory_username",
    "image_url_small",
    "image_url_large",
    "lockout_date",
    "force_mfa",
    "created_at",
    "updated_at",
];

/// The `SELECT` list that reads a whole [`UserRecord`].
pub const SELECT: &str = "SELECT id, company_id, email, password_hash, staff_code, title, first_name, middle_name, \
    last_name, work_phone, mobile_phone, user_type_id, status, department_id, region_id, approver_id, \
    approver_role, notifier_2_id, notifier_2_role, notifier_3_id, notifier_3_role, manager_id, job_title, \
    employment_start_date, employment_end_date, working_days, holiday_country, holiday_subdivision, time_zone, allowance_unit, \
    hourly_rate_cents, hours_max_minutes, hours_preferred_minutes, employment_type, notes, is_hidden, \
    is_private, is_payroll, is_trusted, email_type, default_view_type_id, default_view_id, \
    default_sorting_id, active_directory_username, image_url_small, image_url_large, lockout_date, \
    force_mfa, created_at, updated_at FROM users";

#[derive(Debug, Clone, FromRow)]
pub struct UserRecord {
    pub id: i64,
    pub company_id: i64,
    pub email: String,
    pub password_hash: Option<String>,
    pub staff_code: Option<String>,
    pub title: Option<String>,
    pub first_name: String,
    pub middle_name: Option<String>,
    pub last_name: String,
    pub work_phone: Option<String>,
    pub mobile_phone: Option<String>,
    pub user_type_id: i64,
    pub status: String,
    pub department_id: Option<i64>,
    pub region_id: Option<i64>,
    pub approver_id: Option<i64>,
    pub approver_role: String,
    pub notifier_2_id: Option<i64>,
    pub notifier_2_role: String,
    pub notifier_3_id: Option<i64>,
    pub notifier_3_role: String,
    pub manager_id: Option<i64>,
    pub job_title: Option<String>,
    #[sqlx(try_from = "crate::stored::MaybeDay")]
    pub employment_start_date: Option<Date>,
    #[sqlx(try_from = "crate::stored::MaybeDay")]
    pub employment_end_date: Option<Date>,
    /// ISO weekday numbers, comma-separated: `1,2,3,4,5`.
    pub working_days: String,
    pub holiday_country: Option<String>,
    pub holiday_subdivision: Option<String>,
    pub time_zone: Option<String>,
    pub allowance_unit: String,
    pub hourly_rate_cents: Option<i64>,
    pub hours_max_minutes: Option<i64>,
    pub hours_preferred_minutes: Option<i64>,
    pub employment_type: Option<String>,
    pub notes: Option<String>,
    pub is_hidden: i64,
    pub is_private: i64,
    pub is_payroll: i64,
    pub is_trusted: i64,
    pub email_type: String,
    pub default_view_type_id: i64,
    pub default_view_id: Option<i64>,
    pub default_sorting_id: i64,
    pub active_directory_username: Option<String>,
    pub image_url_small: Option<String>,
    pub image_url_large: Option<String>,
    pub lockout_date: Option<i64>,
    pub force_mfa: i64,
    pub created_at: i64,
    pub updated_at: i64,
}

impl UserRecord {
    /// A new user of `company_id` with the defaults a company would expect.
    pub fn new(
        company_id: i64,
        email: String,
        first_name: String,
        last_name: String,
        now: i64,
    ) -> Self {
        Self {
            id: 0,
            company_id,
            email,
            password_hash: None,
            staff_code: None,
            title: None,
            first_name,
            middle_name: None,
            last_name,
            work_phone: None,
            mobile_phone: None,
            user_type_id: UserType::Staff.code(),
            status: UserStatus::Active.as_str().to_owned(),
            department_id: None,
            region_id: None,
            approver_id: None,
            approver_role: ApproverRole::None.as_str().to_owned(),
            notifier_2_id: None,
            notifier_2_role: ApproverRole::None.as_str().to_owned(),
            notifier_3_id: None,
            notifier_3_role: ApproverRole::None.as_str().to_owned(),
            manager_id: None,
            job_title: None,
            employment_start_date: None,
            employment_end_date: None,
            working_days: encode_days(&Weekday::WORKING_WEEK),
            holiday_country: None,
            holiday_subdivision: None,
            time_zone: None,
            allowance_unit: AllowanceUnit::Days.as_str().to_owned(),
            hourly_rate_cents: None,
            hours_max_minutes: None,
            hours_preferred_minutes: None,
            employment_type: None,
            notes: None,
            is_hidden: 0,
            is_private: 0,
            is_payroll: 0,
            is_trusted: 0,
            email_type: EmailType::Html.as_str().to_owned(),
            default_view_type_id: 1,
            default_view_id: None,
            default_sorting_id: 0,
            active_directory_username: None,
            image_url_small: None,
            image_url_large: None,
            lockout_date: None,
            force_mfa: 0,
            created_at: now,
            updated_at: now,
        }
    }

    pub fn user_type(&self) -> Result<UserType> {
        UserType::try_from(self.user_type_id).map_err(|e| crate::error::Error::Internal(e.into()))
    }

    pub fn status(&self) -> Result<UserStatus> {
        UserStatus::from_stored(&self.status)
    }

    pub fn working_days(&self) -> Vec<Weekday> {
        decode_days(&self.working_days)
    }

    fn bind<'q>(&'q self, query: Query<'q, Any, AnyArguments>) -> Query<'q, Any, AnyArguments> {
        query
            .bind(&self.email)
            .bind(&self.password_hash)
            .bind(&self.staff_code)
            .bind(&self.title)
            .bind(&self.first_name)
            .bind(&self.middle_name)
            .bind(&self.last_name)
            .bind(&self.work_phone)
            .bind(&self.mobile_phone)
            .bind(self.user_type_id)
            .bind(&self.status)
            .bind(self.department_id)
            .bind(self.region_id)
            .bind(self.approver_id)
            .bind(&self.approver_role)
            .bind(self.notifier_2_id)
            .bind(&self.notifier_2_role)
            .bind(self.notifier_3_id)
            .bind(&self.notifier_3_role)
            .bind(self.manager_id)
            .bind(&self.job_title)
            .bind(self.employment_start_date.map(|d| d.to_string()))
            .bind(self.employment_end_date.map(|d| d.to_string()))
            .bind(&self.working_days)
            .bind(&self.holiday_country)
            .bind(&self.holiday_subdivision)
            .bind(&self.time_zone)
            .bind(&self.allowance_unit)
            .bind(self.hourly_rate_cents)
            .bind(self.hours_max_minutes)
            .bind(self.hours_preferred_minutes)
            .bind(&self.employment_type)
            .bind(&self.notes)
            .bind(self.is_hidden)
            .bind(self.is_private)
            .bind(self.is_payroll)
            .bind(self.is_trusted)
            .bind(&self.email_type)
            .bind(self.default_view_type_id)
            .bind(self.default_view_id)
            .bind(self.default_sorting_id)
            .bind(&self.active_directory_username)
            .bind(&self.image_url_small)
            .bind(&self.image_url_large)
            .bind(self.lockout_date)
            .bind(self.force_mfa)
            .bind(self.created_at)
            .bind(self.updated_at)
    }

    /// Inserts the record and returns its new id.
    pub async fn insert(&self, tx: &mut Tx) -> Result<i64> {
        let placeholders: Vec<String> = (2..=COLUMNS.len() + 1).map(|n| format!("${n}")).collect();
        let sql = format!(
            "INSERT INTO users (company_id, {}) VALUES ($1, {}) RETURNING id",
            COLUMNS.join(", "),
            placeholders.join(", ")
        );
        let query = sqlx::query(AssertSqlSafe(sql)).bind(self.company_id);
        let row = self
            .bind(query)
            .fetch_one(&mut **tx)
            .await
            .map_err(on_unique("email", "a user"))?;
        Ok(row.try_get(0)?)
    }

    /// Writes every column of the record back.
    pub(crate) async fn update(&self, tx: &mut Tx) -> Result<()> {
        let assignments: Vec<String> = COLUMNS
            .iter()
            .enumerate()
            .map(|(i, c)| format!("{c} = ${}", i + 1))
            .collect();
        let sql = format!(
            "UPDATE users SET {} WHERE company_id = ${} AND id = ${}",
            assignments.join(", "),
            COLUMNS.len() + 1,
            COLUMNS.len() + 2
        );
        self.bind(sqlx::query(AssertSqlSafe(sql)))
            .bind(self.company_id)
            .bind(self.id)
            .execute(&mut **tx)
            .await
            .map_err(on_unique("email", "a user"))?;
        Ok(())
    }
}

pub fn encode_days(days: &[Weekday]) -> String {
    let mut numbers: Vec<i64> = days.iter().map(|d| d.number()).collect();
    numbers.sort_unstable();
    numbers.dedup();
    numbers
        .iter()
        .map(i64::to_string)
        .collect::<Vec<_>>()
        .join(",")
}

pub fn decode_days(text: &str) -> Vec<Weekday> {
    text.split(',')
        .filter_map(|n| n.parse().ok())
        .filter_map(Weekday::from_number)
        .collect()
}
