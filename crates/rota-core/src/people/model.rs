//! The user as the API shows it, and the one input shape that creates and updates one.

use jiff::civil::Date;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::people::types::{AllowanceUnit, ApproverRole, EmailType, UserStatus, UserType, Weekday};

/// A person in a company. Contact details, pay and notes are `null` to readers who may
/// see the person but not those details (colleagues, and anyone for a private user).
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct User {
    pub id: i64,
    pub company_id: i64,
    /// Employee code.
    pub staff_code: Option<String>,
    pub title: Option<String>,
    pub first_name: String,
    pub middle_name: Option<String>,
    pub last_name: String,
    pub email: Option<String>,
    pub work_phone: Option<String>,
    pub mobile_phone: Option<String>,
    pub user_type_id: UserType,
    pub status: UserStatus,
    pub is_owner: bool,
    pub department_id: Option<i64>,
    pub region_id: Option<i64>,
    pub locations: Vec<i64>,
    pub positions: Vec<i64>,
    pub tags: Vec<i64>,
    pub approver_id: Option<i64>,
    pub approver_role: ApproverRole,
    pub notifier_2_id: Option<i64>,
    pub notifier_2_role: ApproverRole,
    pub notifier_3_id: Option<i64>,
    pub notifier_3_role: ApproverRole,
    pub manager_id: Option<i64>,
    pub job_title: Option<String>,
    /// `YYYY-MM-DD`
    #[schema(value_type = Option<String>)]
    pub employment_start_date: Option<Date>,
    /// `YYYY-MM-DD`
    #[schema(value_type = Option<String>)]
    pub employment_end_date: Option<Date>,
    pub working_days: Vec<Weekday>,
    /// ISO 3166-1 alpha-2; the company's when absent.
    pub holiday_country: Option<String>,
    /// The region of that country whose holidays apply (such as `SCT`), when they differ.
    pub holiday_subdivision: Option<String>,
    /// IANA zone; the company's when absent.
    pub time_zone: Option<String>,
    pub allowance_unit: AllowanceUnit,
    pub hourly_rate_cents: Option<i64>,
    pub position_rates: Option<Vec<PositionRate>>,
    pub hours_max_minutes: Option<i64>,
    pub hours_preferred_minutes: Option<i64>,
    pub employment_type: Option<String>,
    pub notes: Option<String>,
    pub is_hidden: bool,
    pub is_private: bool,
    pub is_payroll: bool,
    pub is_trusted: bool,
    pub email_type: EmailType,
    /// 1 department, 2 tag.
    pub default_view_type_id: i64,
    pub default_view_id: Option<i64>,
    pub default_sorting_id: i64,
    pub active_directory_username: Option<String>,
    pub image_url_small: Option<String>,
    pub image_url_large: Option<String>,
    /// The most recent sign-ins, newest first.
    pub last_logins: Option<Vec<LastLogin>>,
    /// When the account locked after failed sign-ins (RFC 3339), if it is locked.
    pub lockout_date: Option<String>,
    pub force_mfa: bool,
    pub created_at: String,
    pub updated_at: String,
}

/// A user's rate for one position, in cents per hour.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PositionRate {
    pub position_id: i64,
    #[schema(minimum = 0, maximum = 100000000)]
    pub hourly_rate_cents: i64,
}

#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct LastLogin {
    pub login_date: String,
    pub device: Option<String>,
}

/// The fields of a user a client may send. On create `email`, `first_name` and `last_name`
/// are required; on update every field is optional, and `null` clears an optional one.
/// Unknown fields are refused.
#[derive(Debug, Clone, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct UserInput {
    #[schema(value_type = Option<crate::openapi::Email>)]
    pub email: Option<String>,
    /// Set or change the password; subject to the company's password policy. Changing
    /// your own needs `current_password` and ends your other sessions; a super user
    /// setting someone else's ends all of theirs.
    #[schema(value_type = Option<String>, format = Password, max_length = 256)]
    pub password: Option<crate::secret::Secret>,
    /// The password now in use: required with `password` when changing your own, and
    /// only then. A wrong one counts as a failed sign-in towards the account's lock.
    #[schema(value_type = Option<String>, format = Password, max_length = 256)]
    pub current_password: Option<crate::secret::Secret>,
    #[schema(value_type = Option<crate::openapi::Text100>)]
    pub first_name: Option<String>,
    #[schema(value_type = Option<crate::openapi::Text100>)]
    pub last_name: Option<String>,
    #[serde(default, deserialize_with = "crate::validate::nullable")]
    #[schema(value_type = Option<crate::openapi::OptionalText50>)]
    pub staff_code: Option<Option<String>>,
    #[serde(default, deserialize_with = "crate::validate::nullable")]
    #[schema(value_type = Option<crate::openapi::OptionalText50>)]
    pub title: Option<Option<String>>,
    #[serde(default, deserialize_with = "crate::validate::nullable")]
    #[schema(value_type = Option<crate::openapi::OptionalText100>)]
    pub middle_name: Option<Option<String>>,
    #[serde(default, deserialize_with = "crate::validate::nullable")]
    #[schema(value_type = Option<crate::openapi::OptionalText60>)]
    pub work_phone: Option<Option<String>>,
    #[serde(default, deserialize_with = "crate::validate::nullable")]
    #[schema(value_type = Option<crate::openapi::OptionalText30>)]
    pub mobile_phone: Option<Option<String>>,
    pub user_type_id: Option<UserType>,
    pub status: Option<UserStatus>,
    #[serde(default, deserialize_with = "crate::validate::nullable")]
    #[schema(value_type = Option<i64>, minimum = 1)]
    pub department_id: Option<Option<i64>>,
    #[serde(default, deserialize_with = "crate::validate::nullable")]
    #[schema(value_type = Option<i64>, minimum = 1)]
    pub region_id: Option<Option<i64>>,
    pub locations: Option<Vec<i64>>,
    pub positions: Option<Vec<i64>>,
    pub position_rates: Option<Vec<PositionRate>>,
    pub tags: Option<Vec<i64>>,
    #[serde(default, deserialize_with = "crate::validate::nullable")]
    #[schema(value_type = Option<i64>, minimum = 1)]
    pub approver_id: Option<Option<i64>>,
    pub approver_role: Option<ApproverRole>,
    #[serde(default, deserialize_with = "crate::validate::nullable")]
    #[schema(value_type = Option<i64>, minimum = 1)]
    pub notifier_2_id: Option<Option<i64>>,
    pub notifier_2_role: Option<ApproverRole>,
    #[serde(default, deserialize_with = "crate::validate::nullable")]
    #[schema(value_type = Option<i64>, minimum = 1)]
    pub notifier_3_id: Option<Option<i64>>,
    pub notifier_3_role: Option<ApproverRole>,
    #[serde(default, deserialize_with = "crate::validate::nullable")]
    #[schema(value_type = Option<i64>, minimum = 1)]
    pub manager_id: Option<Option<i64>>,
    #[serde(default, deserialize_with = "crate::validate::nullable")]
    #[schema(value_type = Option<crate::openapi::OptionalText100>)]
    pub job_title: Option<Option<String>>,
    #[serde(default, deserialize_with = "crate::validate::nullable")]
    #[schema(value_type = Option<crate::openapi::Date>)]
    pub employment_start_date: Option<Option<String>>,
    #[serde(default, deserialize_with = "crate::validate::nullable")]
    #[schema(value_type = Option<crate::openapi::Date>)]
    pub employment_end_date: Option<Option<String>>,
    pub working_days: Option<Vec<Weekday>>,
    #[serde(default, deserialize_with = "crate::validate::nullable")]
    #[schema(value_type = Option<crate::openapi::Country>)]
    pub holiday_country: Option<Option<String>>,
    #[serde(default, deserialize_with = "crate::validate::nullable")]
    #[schema(value_type = Option<crate::openapi::OptionalText40>)]
    pub holiday_subdivision: Option<Option<String>>,
    #[serde(default, deserialize_with = "crate::validate::nullable")]
    #[schema(value_type = Option<crate::openapi::TimeZone>)]
    pub time_zone: Option<Option<String>>,
    pub allowance_unit: Option<AllowanceUnit>,
    #[serde(default, deserialize_with = "crate::validate::nullable")]
    #[schema(value_type = Option<i64>, minimum = 0, maximum = 100000000)]
    pub hourly_rate_cents: Option<Option<i64>>,
    #[serde(default, deserialize_with = "crate::validate::nullable")]
    #[schema(value_type = Option<i64>, minimum = 0, maximum = 10080)]
    pub hours_max_minutes: Option<Option<i64>>,
    #[serde(default, deserialize_with = "crate::validate::nullable")]
    #[schema(value_type = Option<i64>, minimum = 0, maximum = 10080)]
    pub hours_preferred_minutes: Option<Option<i64>>,
    #[serde(default, deserialize_with = "crate::validate::nullable")]
    #[schema(value_type = Option<crate::openapi::OptionalText50>)]
    pub employment_type: Option<Option<String>>,
    #[serde(default, deserialize_with = "crate::validate::nullable")]
    #[schema(value_type = Option<crate::openapi::OptionalText4000>)]
    pub notes: Option<Option<String>>,
    pub is_hidden: Option<bool>,
    pub is_private: Option<bool>,
    pub is_payroll: Option<bool>,
    pub is_trusted: Option<bool>,
    pub email_type: Option<EmailType>,
    #[schema(minimum = 1, maximum = 2)]
    pub default_view_type_id: Option<i64>,
    #[serde(default, deserialize_with = "crate::validate::nullable")]
    #[schema(value_type = Option<i64>, minimum = 1)]
    pub default_view_id: Option<Option<i64>>,
    #[schema(minimum = 0, maximum = 255)]
    pub default_sorting_id: Option<i64>,
    #[serde(default, deserialize_with = "crate::validate::nullable")]
    #[schema(value_type = Option<crate::openapi::OptionalText50>)]
    pub active_directory_username: Option<Option<String>>,
    #[serde(default, deserialize_with = "crate::validate::nullable")]
    #[schema(value_type = Option<crate::openapi::Url>)]
    pub image_url_small: Option<Option<String>>,
    #[serde(default, deserialize_with = "crate::validate::nullable")]
    #[schema(value_type = Option<crate::openapi::Url>)]
    pub image_url_large: Option<Option<String>>,
    pub force_mfa: Option<bool>,
}

impl crate::openapi::RequiredOnCreate for UserInput {
    const REQUIRED: &'static [&'static str] = &["email", "first_name", "last_name"];
}
