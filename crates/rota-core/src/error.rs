//! The one error type of the core. Every variant a client can cause carries a stable code
//! and, where one field is at fault, its name; the HTTP faces map it to a status.

use std::borrow::Cow;

/// Stable machine-readable error codes, shared by every face and documented in the API.
pub mod code {
    pub const VALIDATION: &str = "validation_failed";
    pub const NOT_FOUND: &str = "not_found";
    pub const FORBIDDEN: &str = "forbidden";
    pub const UNAUTHENTICATED: &str = "unauthenticated";
    pub const INVALID_CREDENTIALS: &str = "invalid_credentials";
    pub const ACCOUNT_LOCKED: &str = "account_locked";
    pub const ACCOUNT_ARCHIVED: &str = "account_archived";
    pub const DUPLICATE: &str = "duplicate";
    pub const IN_USE: &str = "in_use";
    pub const CONFLICT: &str = "conflict";
    pub const INVALID_CURSOR: &str = "invalid_cursor";
    pub const WEAK_PASSWORD: &str = "weak_password";
    /// A mailed link (an invitation, a password reset) that does not exist.
    pub const INVALID_LINK: &str = "invalid_link";
    /// A mailed link past its expiry: ask for a new one.
    pub const LINK_EXPIRED: &str = "link_expired";
    /// A mailed link already used: each works once.
    pub const LINK_USED: &str = "link_used";
    /// An invitation to someone who already has a password.
    pub const ALREADY_HAS_PASSWORD: &str = "already_has_password";
    /// The `current_password` given to change one's own password is wrong.
    pub const WRONG_PASSWORD: &str = "wrong_password";
    pub const SIGNUP_DISABLED: &str = "signup_disabled";
    pub const INSUFFICIENT_ALLOWANCE: &str = "insufficient_allowance";
    pub const OVERLAP: &str = "overlapping_leave";
    pub const ALREADY_DECIDED: &str = "already_decided";
    /// A webhook URL that is, or resolves to, a loopback, private or other internal address.
    pub const WEBHOOK_URL_NOT_ALLOWED: &str = "webhook_url_not_allowed";
    pub const RATE_LIMITED: &str = "rate_limited";
    pub const INVALID_NONCE: &str = "invalid_nonce";
    pub const NONCE_REPLAYED: &str = "nonce_replayed";
    pub const STALE_TIMESTAMP: &str = "stale_timestamp";
    pub const ACT_AS_NOT_ALLOWED: &str = "act_as_not_allowed";
    pub const MFA_UNAVAILABLE: &str = "mfa_unavailable";
    pub const MFA_LOCKED: &str = "mfa_locked";
    pub const INVALID_MFA_CODE: &str = "invalid_mfa_code";
    pub const INVALID_MFA_TOKEN: &str = "invalid_mfa_token";
    pub const MFA_ALREADY_ENABLED: &str = "mfa_already_enabled";
    pub const MFA_NOT_ENABLED: &str = "mfa_not_enabled";
    pub const MFA_REQUIRED: &str = "mfa_required";
    /// MFA is demanded of the user, who has not enrolled yet, at a sign-in that cannot enrol.
    pub const MFA_ENROLMENT_REQUIRED: &str = "mfa_enrolment_required";
    /// An App ID that is unknown, or whose client or company's API access is revoked.
    pub const INVALID_CLIENT: &str = "invalid_client";
    /// The proof of the client secret (SHA-512 of nonce and secret) does not match.
    pub const INVALID_SECRET: &str = "invalid_secret";
    /// The App ID in the `app-id` header and the one in the body differ.
    pub const APP_ID_MISMATCH: &str = "app_id_mismatch";
    /// The `ip_address` sent is not the address the request comes from.
    pub const IP_ADDRESS_MISMATCH: &str = "ip_address_mismatch";
    /// The request's address is outside the company's or the credential's allow-list.
    pub const ADDRESS_NOT_ALLOWED: &str = "address_not_allowed";
    /// The client's secret is not sealed (issued before Rota kept it so): regenerate it once.
    pub const CLIENT_SECRET_ROTATION_REQUIRED: &str = "client_secret_rotation_required";
    /// Signing in with App ID and secret needs the server's secret key, which is not configured.
    pub const APP_SIGN_IN_UNAVAILABLE: &str = "app_sign_in_unavailable";
    /// The credential to exchange is unknown, expired, revoked or of another company.
    pub const INVALID_ACCESS_TOKEN: &str = "invalid_access_token";
    /// The exchange would act with more than the credential handed in may.
    pub const EXCHANGE_NOT_ALLOWED: &str = "exchange_not_allowed";
    /// Approving would leave the department below its minimum, or restricted colleagues
    /// away together.
    pub const UNDERSTAFFED: &str = "understaffed";
    /// The leave type's cancellation window has passed.
    pub const TOO_LATE_TO_CANCEL: &str = "too_late_to_cancel";
    /// WhosOff's "No allowances set": the leave type keeps no allowance. Answered only
    /// by the WhosOff face's user-allowance calls, which document it.
    pub const NO_ALLOWANCE: &str = "004a";
    /// The user already has a shift that overlaps the one assigned to them.
    pub const SHIFT_OVERLAP: &str = "shift_overlap";
    /// The user has approved leave on a day of the shift assigned to them.
    pub const SHIFT_OVER_LEAVE: &str = "shift_over_leave";
    /// The business is closed (an annotation) on a day of the shift.
    pub const BUSINESS_CLOSED: &str = "business_closed";
    /// The shift someone asked to take is not open (any more): somebody holds it.
    pub const SHIFT_NOT_OPEN: &str = "shift_not_open";
    /// The shift does not fit the user who asked to take it: its position is not one of
    /// theirs, or its location not among theirs.
    pub const NOT_ELIGIBLE: &str = "not_eligible";
    /// The user said they are unavailable (an availability event) during the shift.
    pub const OUTSIDE_AVAILABILITY: &str = "outside_availability";
    /// A type of the other kind (a leave type where overtime is booked, or the reverse),
    /// given to a face that keeps leave and overtime apart (WhosOff's Leave and Overtime
    /// controllers). The native API books both kinds through one route and never answers
    /// it, so it is not in [`ALL`]; the faces that do document it.
    pub const WRONG_TYPE_KIND: &str = "wrong_type_kind";
    /// The swap is not waiting for this step any more: another colleague accepted it
    /// first, or it was decided, declined or cancelled.
    pub const SWAP_NOT_PENDING: &str = "swap_not_pending";
    /// The swap's shift changed hands, moved, was unpublished or deleted, or started since
    /// it was offered: the swap expired.
    pub const SWAP_EXPIRED: &str = "swap_expired";
    /// The shift is offered in a pending swap already.
    pub const SWAP_PENDING: &str = "swap_pending";
    /// A time entry or a break that would end before it starts.
    pub const END_BEFORE_START: &str = "end_before_start";
    /// A time entry longer than 24 hours.
    pub const TIME_ENTRY_TOO_LONG: &str = "time_entry_too_long";
    /// A time entry over another of the same user.
    pub const TIME_ENTRY_OVERLAP: &str = "time_entry_overlap";
    /// Clocking in (or opening an entry) while another entry of the user runs.
    pub const ALREADY_CLOCKED_IN: &str = "already_clocked_in";
    /// Clocking out, or taking a break, with no entry running.
    pub const NOT_CLOCKED_IN: &str = "not_clocked_in";
    /// Starting a break while one runs.
    pub const ALREADY_ON_BREAK: &str = "already_on_break";
    /// Ending a break when none runs.
    pub const NOT_ON_BREAK: &str = "not_on_break";
    /// A break outside its time entry, or still running in a finished one.
    pub const BREAK_OUTSIDE_ENTRY: &str = "break_outside_entry";
    /// Breaks of one entry that overlap, or a running break before another.
    pub const BREAK_OVERLAP: &str = "break_overlap";
    /// Approving a time entry that still runs.
    pub const TIME_ENTRY_RUNNING: &str = "time_entry_running";
    /// A time entry linked to a shift of someone else.
    pub const SHIFT_NOT_THEIRS: &str = "shift_not_theirs";
    /// A time entry written on a day of a closed or finalised payroll period, or a period
    /// closed again.
    pub const PAYROLL_PERIOD_CLOSED: &str = "payroll_period_closed";
    /// Reopening or finalising a payroll period that is open.
    pub const PAYROLL_PERIOD_NOT_CLOSED: &str = "payroll_period_not_closed";
    /// Closing, reopening or finalising a finalised payroll period.
    pub const PAYROLL_PERIOD_FINALISED: &str = "payroll_period_finalised";
    /// Closing a payroll period while time entries in it run, or are not approved.
    pub const PAYROLL_PERIOD_UNSETTLED: &str = "payroll_period_unsettled";

    /// The codes only a sign-in through an API client answers with (WhosOff's
    /// authenticate, `access::app_sign_in`), besides those of a password sign-in and MFA;
    /// the faces that offer it document them.
    pub const APP_SIGN_IN: &[&str] = &[
        MFA_ENROLMENT_REQUIRED,
        INVALID_CLIENT,
        INVALID_SECRET,
        APP_ID_MISMATCH,
        IP_ADDRESS_MISMATCH,
        ADDRESS_NOT_ALLOWED,
        CLIENT_SECRET_ROTATION_REQUIRED,
        APP_SIGN_IN_UNAVAILABLE,
        INVALID_ACCESS_TOKEN,
        EXCHANGE_NOT_ALLOWED,
    ];

    /// Every code the native API answers with, for its documented list.
    pub const ALL: &[&str] = &[
        VALIDATION,
        NOT_FOUND,
        FORBIDDEN,
        UNAUTHENTICATED,
        INVALID_CREDENTIALS,
        ACCOUNT_LOCKED,
        ACCOUNT_ARCHIVED,
        DUPLICATE,
        IN_USE,
        CONFLICT,
        INVALID_CURSOR,
        WEAK_PASSWORD,
        INVALID_LINK,
        LINK_EXPIRED,
        LINK_USED,
        ALREADY_HAS_PASSWORD,
        WRONG_PASSWORD,
        SIGNUP_DISABLED,
        INSUFFICIENT_ALLOWANCE,
        OVERLAP,
        ALREADY_DECIDED,
        WEBHOOK_URL_NOT_ALLOWED,
        RATE_LIMITED,
        INVALID_NONCE,
        NONCE_REPLAYED,
        STALE_TIMESTAMP,
        ACT_AS_NOT_ALLOWED,
        MFA_UNAVAILABLE,
        MFA_LOCKED,
        INVALID_MFA_CODE,
        INVALID_MFA_TOKEN,
        MFA_ALREADY_ENABLED,
        MFA_NOT_ENABLED,
        MFA_REQUIRED,
        UNDERSTAFFED,
        TOO_LATE_TO_CANCEL,
        SHIFT_OVERLAP,
        SHIFT_OVER_LEAVE,
        BUSINESS_CLOSED,
        SHIFT_NOT_OPEN,
        NOT_ELIGIBLE,
        OUTSIDE_AVAILABILITY,
        SWAP_NOT_PENDING,
        SWAP_EXPIRED,
        SWAP_PENDING,
        END_BEFORE_START,
        TIME_ENTRY_TOO_LONG,
        TIME_ENTRY_OVERLAP,
        ALREADY_CLOCKED_IN,
        NOT_CLOCKED_IN,
        ALREADY_ON_BREAK,
        NOT_ON_BREAK,
        BREAK_OUTSIDE_ENTRY,
        BREAK_OVERLAP,
        TIME_ENTRY_RUNNING,
        SHIFT_NOT_THEIRS,
        PAYROLL_PERIOD_CLOSED,
        PAYROLL_PERIOD_NOT_CLOSED,
        PAYROLL_PERIOD_FINALISED,
        PAYROLL_PERIOD_UNSETTLED,
    ];
}

#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// The input is well-formed but breaks a rule (HTTP 422).
    #[error("{message}")]
    Invalid {
        code: &'static str,
        message: Cow<'static, str>,
        field: Option<Cow<'static, str>>,
    },
    /// A parameter cannot be read at all (HTTP 400).
    #[error("{message}")]
    BadRequest {
        code: &'static str,
        message: Cow<'static, str>,
        field: Option<Cow<'static, str>>,
    },
    /// The thing does not exist, or not for this company, or not for this reader (HTTP 404).
    #[error("{resource} not found")]
    NotFound {
        resource: &'static str,
        field: Option<Cow<'static, str>>,
    },
    /// No valid credentials (HTTP 401).
    #[error("{message}")]
    Unauthenticated {
        code: &'static str,
        message: Cow<'static, str>,
    },
    /// Authenticated, but this role may not (HTTP 403).
    #[error("{message}")]
    Forbidden {
        code: &'static str,
        message: Cow<'static, str>,
    },
    /// The request clashes with the current state (HTTP 409).
    #[error("{message}")]
    Conflict {
        code: &'static str,
        message: Cow<'static, str>,
        field: Option<Cow<'static, str>>,
    },
    /// Too many calls from this caller; try again after the given seconds (HTTP 429).
    #[error("too many requests: try again in {retry_after_seconds} s")]
    RateLimited {
        retry_after_seconds: u64,
        /// The burst the caller's quota allows.
        limit: u32,
    },
    /// A database failure the client did not cause; built through `From<sqlx::Error>`,
    /// which turns the violations a client can cause into their own variants first.
    #[error("database error: {0}")]
    Database(sqlx::Error),
    #[error("internal error: {0}")]
    Internal(Cow<'static, str>),
}

pub type Result<T, E = Error> = std::result::Result<T, E>;

impl From<sqlx::Error> for Error {
    /// A foreign-key violation means a row refers to another that is gone, or is about to
    /// go while still referred to: a race with a concurrent change (an item deleted while
    /// someone files against it) that the checks before the write could not see. The
    /// client can retry, so it is a 409 `conflict`, never a 500. Everything else stays a
    /// server fault.
    fn from(error: sqlx::Error) -> Self {
        match &error {
            sqlx::Error::Database(db) if db.is_foreign_key_violation() => Error::conflict(
                code::CONFLICT,
                None,
                "this refers to something that was changed or removed at the same time; try again",
            ),
            _ => Error::Database(error),
        }
    }
}

impl Error {
    /// The stable code a face answers with; `rate_limited`, `not_found` and
    /// `internal_error` for the variants that carry none.
    pub fn code(&self) -> &'static str {
        match self {
            Self::Invalid { code, .. }
            | Self::BadRequest { code, .. }
            | Self::Unauthenticated { code, .. }
            | Self::Forbidden { code, .. }
            | Self::Conflict { code, .. } => code,
            Self::NotFound { .. } => code::NOT_FOUND,
            Self::RateLimited { .. } => code::RATE_LIMITED,
            Self::Database(_) | Self::Internal(_) => "internal_error",
        }
    }

    pub fn invalid(
        field: impl Into<Cow<'static, str>>,
        message: impl Into<Cow<'static, str>>,
    ) -> Self {
        Self::Invalid {
            code: code::VALIDATION,
            message: message.into(),
            field: Some(field.into()),
        }
    }

    pub fn not_found(resource: &'static str) -> Self {
        Self::NotFound {
            resource,
            field: None,
        }
    }

    /// A reference in the input (`department_id`, …) to something absent for this company.
    pub fn unknown_reference(resource: &'static str, field: impl Into<Cow<'static, str>>) -> Self {
        Self::NotFound {
            resource,
            field: Some(field.into()),
        }
    }

    pub fn forbidden(message: impl Into<Cow<'static, str>>) -> Self {
        Self::Forbidden {
            code: code::FORBIDDEN,
            message: message.into(),
        }
    }

    pub fn unauthenticated(message: impl Into<Cow<'static, str>>) -> Self {
        Self::Unauthenticated {
            code: code::UNAUTHENTICATED,
            message: message.into(),
        }
    }

    pub fn conflict(
        code: &'static str,
        field: Option<&'static str>,
        message: impl Into<Cow<'static, str>>,
    ) -> Self {
        Self::Conflict {
            code,
            message: message.into(),
            field: field.map(Cow::Borrowed),
        }
    }

    pub fn bad_request(
        code: &'static str,
        field: Option<&'static str>,
        message: impl Into<Cow<'static, str>>,
    ) -> Self {
        Self::BadRequest {
            code,
            message: message.into(),
            field: field.map(Cow::Borrowed),
        }
    }
}

/// Maps a unique-constraint violation to a 409 on `field`; any other error is converted as
/// `?` would.
pub fn on_unique(field: &'static str, what: &'static str) -> impl FnOnce(sqlx::Error) -> Error {
    move |error| match &error {
        sqlx::Error::Database(db) if db.is_unique_violation() => Error::conflict(
            code::DUPLICATE,
            Some(field),
            format!("{what} with this {field} already exists in the company"),
        ),
        _ => Error::from(error),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A row that refers to a missing one, as a concurrent delete would leave it, is a
    /// 409 on both engines (foreign keys are on in SQLite too), not a server fault.
    #[tokio::test]
    async fn a_foreign_key_violation_is_a_conflict() {
        let scratch = crate::testing::scratch_database()
            .await
            .expect("scratch database");
        let created = crate::signup::create_company(
            &scratch.db,
            crate::signup::CompanyForCreate {
                name: "Keys Ltd".into(),
                time_zone: None,
                holiday_country: None,
                owner_email: "owner@keys.test".into(),
                owner_password: "a long test password".into(),
                owner_first_name: None,
                owner_last_name: None,
            },
        )
        .await
        .expect("company");
        let error: Error = sqlx::query(
            "INSERT INTO user_tags (company_id, user_id, tag_id) VALUES ($1, $2, 999999)",
        )
        .bind(created.company_id)
        .bind(created.owner_id)
        .execute(scratch.db.pool())
        .await
        .expect_err("a tag that does not exist")
        .into();
        assert!(
            matches!(
                error,
                Error::Conflict {
                    code: code::CONFLICT,
                    ..
                }
            ),
            "{error:?}"
        );
    }
}
