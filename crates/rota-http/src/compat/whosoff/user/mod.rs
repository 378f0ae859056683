//! The User controller (seed 001): `create`, `retrieve` (v4 and v4.1), `get-by-id`,
//! `get-my-details`, `update`, `del`, `unlock`, `get-approvers` and `my-staff`, over
//! `rota_core::people` and the my-staff report. The body both `create` and `update` take
//! is [`UserBody`]; the codes are WhosOff's (`rota_core::people::types`), allowances are
//! minutes converted through the user's working day (`compat::units`).

mod my_staff;
mod read;
mod write;

pub(super) use read::user_map;

use rota_core::people::model::UserInput;
use rota_core::people::types::{AllowanceUnit, ApproverRole, EmailType, UserStatus, UserType};
use rota_core::secret::Secret;
use serde::Deserialize;
use utoipa::ToSchema;
use utoipa_axum::router::OpenApiRouter;

use crate::AppState;
use crate::compat::lenient::Int;
use crate::compat::units::UnitError;

/// The calls that change users, and the `GET` reads.
pub fn router() -> OpenApiRouter<AppState> {
    read::router().merge(write::router())
}

/// `retrieve` (v4 and v4.1): reads sent as `POST`.
pub fn retrieve_router() -> OpenApiRouter<AppState> {
    read::retrieve_router()
}

/// `my-staff`: a report, read with a `POST`.
pub fn my_staff_router() -> OpenApiRouter<AppState> {
    my_staff::router()
}

/// One opening entitlement of `user/create`'s `allowances`.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct AllowanceBody {
    /// A day in the leave year it opens (`YYYY-MM-DD`).
    start_date: String,
    /// Minutes (`MINUTE(INT32)`).
    opening: Int,
    /// Minutes; a new user has taken nothing, so it equals `opening`.
    remaining: Int,
}

/// The body of `user/create` and `user/update`, with WhosOff's field names. An id of 0
/// (`department_id`, `approver_id`, …) means none.
#[derive(Debug, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct UserBody {
    /// `update` only: the user to change.
    user_id: Option<Int>,
    staff_code: Option<String>,
    title: Option<String>,
    first_name: Option<String>,
    middle_name: Option<String>,
    last_name: Option<String>,
    /// 100, 200, 210, 220, 300, 310.
    user_type_id: Option<Int>,
    /// 1 department, 2 tag.
    default_view_type_id: Option<Int>,
    default_view_id: Option<Int>,
    /// 0 no sort, 1 first name asc, 2 first name desc, 3 last name asc, 4 last name desc.
    default_sorting_id: Option<Int>,
    department_id: Option<Int>,
    region_id: Option<Int>,
    approver_id: Option<Int>,
    /// 0–6: none, approver both, approver leave only, approver overtime only, notifier
    /// both, notifier leave only, notifier overtime only.
    approver_role_id: Option<Int>,
    notifier_2_id: Option<Int>,
    notifier_2_role_id: Option<Int>,
    notifier_3_id: Option<Int>,
    notifier_3_role_id: Option<Int>,
    email_contact: Option<String>,
    /// Empty: none (a user created without one is pending until one is set).
    #[schema(value_type = Option<String>, format = Password)]
    password: Option<Secret>,
    /// 0 none, 1 text, 2 html.
    email_type_id: Option<Int>,
    /// 0 days, 1 hours.
    allowance_type_id: Option<Int>,
    /// 0 disabled, 1 active.
    status_id: Option<Int>,
    work_telephone: Option<String>,
    mobile_telephone: Option<String>,
    active_directory_username: Option<String>,
    /// `YYYY-MM-DD`.
    employment_started_date: Option<String>,
    /// `YYYY-MM-DD`.
    employment_ended_date: Option<String>,
    /// `create` only.
    allowances: Option<Vec<AllowanceBody>>,
}

type Refusal = rota_core::Error;

/// A code of one of WhosOff's lists, or `validation_failed` naming the field and the list.
fn code<T>(
    field: &'static str,
    value: Option<Int>,
    read: impl Fn(i64) -> Option<T>,
    list: &str,
) -> Result<Option<T>, Refusal> {
    value
        .map(|v| {
            read(v.get()).ok_or_else(|| {
                Refusal::invalid(field, format!("{field} {} is not one of {list}", v.get()))
            })
        })
        .transpose()
}

/// WhosOff's `status_id` of a user: disabled 0 (archived), active 1 (pending users, who
/// have not signed in yet, are not disabled).
pub(super) fn status_code(status: UserStatus) -> i64 {
    match status {
        UserStatus::Archived => 0,
        UserStatus::Active | UserStatus::Pending => 1,
    }
}

/// An id field: absent leaves it, 0 clears it, any other id sets it.
fn reference(value: Option<Int>) -> Option<Option<i64>> {
    value.map(|v| (v.get() != 0).then_some(v.get()))
}

/// A text field: absent leaves it, empty clears it.
fn text(value: Option<String>) -> Option<Option<String>> {
    value.map(|v| (!v.is_empty()).then_some(v))
}

impl UserBody {
    /// The native input these fields make.
    fn input(self) -> Result<UserInput, Refusal> {
        let user_type_id = code(
            "user_type_id",
            self.user_type_id,
            |c| UserType::try_from(c).ok(),
            "100, 200, 210, 220, 300, 310",
        )?;
        let role = |field, value| code(field, value, ApproverRole::from_code, "0 to 6");
        let default_view_type_id = code(
            "default_view_type_id",
            self.default_view_type_id,
            |c| (1..=2).contains(&c).then_some(c),
            "1 (department), 2 (tag)",
        )?;
        let default_sorting_id = code(
            "default_sorting_id",
            self.default_sorting_id,
            |c| (0..=4).contains(&c).then_some(c),
            "0 to 4",
        )?;
        let status = code(
            "status_id",
            self.status_id,
            |c| match c {
                0 => Some(UserStatus::Archived),
                1 => Some(UserStatus::Active),
                _ => None,
            },
            "0 (disabled), 1 (active)",
        )?;
        Ok(UserInput {
            email: self.email_contact,
            password: self.password.filter(|p| !p.expose().is_empty()),
            first_name: self.first_name,
            last_name: self.last_name,
            staff_code: text(self.staff_code),
            title: text(self.title),
            middle_name: text(self.middle_name),
            work_phone: text(self.work_telephone),
            mobile_phone: text(self.mobile_telephone),
            user_type_id,
            status,
            department_id: reference(self.department_id),
            region_id: reference(self.region_id),
            approver_id: reference(self.approver_id),
            approver_role: role("approver_role_id", self.approver_role_id)?,
            notifier_2_id: reference(self.notifier_2_id),
            notifier_2_role: role("notifier_2_role_id", self.notifier_2_role_id)?,
            notifier_3_id: reference(self.notifier_3_id),
            notifier_3_role: role("notifier_3_role_id", self.notifier_3_role_id)?,
            employment_start_date: text(self.employment_started_date),
            employment_end_date: text(self.employment_ended_date),
            allowance_unit: code(
                "allowance_type_id",
                self.allowance_type_id,
                AllowanceUnit::from_code,
                "0 (days), 1 (hours)",
            )?,
            email_type: code(
                "email_type_id",
                self.email_type_id,
                EmailType::from_code,
                "0 (none), 1 (text), 2 (html)",
            )?,
            default_view_type_id,
            default_view_id: reference(self.default_view_id),
            default_sorting_id,
            active_directory_username: text(self.active_directory_username),
            ..UserInput::default()
        })
    }
}

/// A unit conversion refused in WhosOff's words: the field, and why.
pub(super) fn unit_refusal(field: &'static str, error: UnitError) -> Refusal {
    let why = match error {
        UnitError::Inexact => {
            "is no whole number of hundredths of the user's working day, which Rota keeps days in"
        }
        UnitError::DayLength => {
            "cannot be kept in days: the user's working pattern has no working day"
        }
        UnitError::OutOfRange | UnitError::NotFinite => "is out of range",
    };
    Refusal::invalid(field, format!("{field} {why}"))
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    fn body(value: serde_json::Value) -> UserBody {
        serde_json::from_value(value).expect("a body")
    }

    #[test]
    fn the_samples_strings_become_codes_and_zero_ids_none() {
        let input = body(json!({"user_type_id": "210", "approver_role_id": "2", "email_type_id": "1",
            "allowance_type_id": "1", "status_id": "0", "department_id": "0", "region_id": "7", "title": ""}))
        .input()
        .expect("valid");
        assert_eq!(input.user_type_id, Some(UserType::ApproverPlusAdd));
        assert_eq!(input.approver_role, Some(ApproverRole::ApproverLeave));
        assert_eq!(input.email_type, Some(EmailType::Text));
        assert_eq!(input.allowance_unit, Some(AllowanceUnit::Hours));
        assert_eq!(input.status, Some(UserStatus::Archived));
        assert_eq!(input.department_id, Some(None));
        assert_eq!(input.region_id, Some(Some(7)));
        assert_eq!(input.title, Some(None));
        assert_eq!(input.approver_id, None);
    }

    #[test]
    fn codes_out_of_their_lists_are_refused_naming_the_field() {
        for (field, value) in [
            ("user_type_id", "150"),
            ("approver_role_id", "7"),
            ("notifier_3_role_id", "-1"),
            ("email_type_id", "3"),
            ("allowance_type_id", "2"),
            ("status_id", "99"),
            ("default_view_type_id", "0"),
            ("default_sorting_id", "5"),
        ] {
            let error = body(json!({ field: value })).input().expect_err(field);
            assert!(
                matches!(&error, rota_core::Error::Invalid { field: Some(f), .. } if f == field),
                "{field}: {error:?}"
            );
        }
    }

    #[test]
    fn pending_users_are_not_disabled() {
        assert_eq!(status_code(UserStatus::Archived), 0);
        assert_eq!(status_code(UserStatus::Active), 1);
        assert_eq!(status_code(UserStatus::Pending), 1);
    }
}
