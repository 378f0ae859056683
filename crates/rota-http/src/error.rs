//! The one error envelope of the native API, and the mapping from core errors to statuses.
//! A client's mistake never becomes a 500; a server fault is logged and answered opaquely.

use axum::Json;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use rota_core::Error;
use serde::{Deserialize, Serialize};
use utoipa::{IntoResponses, ToSchema};

/// `{"error": {"code": …, "message": …, "field": …}}`
#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct ErrorBody {
    pub error: ErrorDetail,
}

#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct ErrorDetail {
    /// Stable, machine-readable. Reading the request: `malformed_json`,
    /// `invalid_path_parameter`, `invalid_query`, `invalid_header`, `invalid_cursor`,
    /// `method_not_allowed`, `payload_too_large`, `unsupported_media_type`,
    /// `validation_failed`. Who is calling: `unauthenticated`, `invalid_credentials`,
    /// `account_locked`, `account_archived`, `forbidden`, `act_as_not_allowed`,
    /// `rate_limited`, `invalid_nonce`, `nonce_replayed`, `stale_timestamp`,
    /// `signup_disabled`, `weak_password`, `wrong_password`. The state of things: `not_found`, `duplicate`,
    /// `in_use`, `conflict`, `webhook_url_not_allowed`. Leave: `insufficient_allowance`,
    /// `overlapping_leave`, `already_decided`, `understaffed`, `too_late_to_cancel`. Shifts:
    /// `shift_overlap`, `shift_over_leave`, `business_closed`, `outside_availability`,
    /// `shift_not_open`, `not_eligible`. Swaps: `swap_pending`, `swap_not_pending`,
    /// `swap_expired`. The time clock:
    /// `already_clocked_in`, `not_clocked_in`, `already_on_break`, `not_on_break`,
    /// `end_before_start`, `time_entry_too_long`, `time_entry_overlap`,
    /// `break_outside_entry`, `break_overlap`, `time_entry_running`, `shift_not_theirs`. Payroll:
    /// `payroll_period_closed`, `payroll_period_not_closed`, `payroll_period_finalised`,
    /// `payroll_period_unsettled`. MFA:
    /// `invalid_mfa_code`, `invalid_mfa_token`, `mfa_locked`, `mfa_unavailable`,
    /// `mfa_already_enabled`, `mfa_not_enabled`, `mfa_required`. Mailed links (invitations,
    /// password resets): `invalid_link`, `link_expired`, `link_used`, `already_has_password`.
    /// The server's own fault:
    /// `internal_error`.
    pub code: String,
    pub message: String,
    /// The input field at fault, when there is one.
    pub field: Option<String>,
}

/// An error on its way out as a response.
#[derive(Debug)]
pub struct ApiError {
    pub status: StatusCode,
    pub code: String,
    pub message: String,
    pub field: Option<String>,
    /// Seconds for `Retry-After`, on a 429.
    pub retry_after: Option<u64>,
}

impl ApiError {
    pub fn new(
        status: StatusCode,
        code: &str,
        message: impl Into<String>,
        field: Option<String>,
    ) -> Self {
        Self {
            status,
            code: code.to_owned(),
            message: message.into(),
            field,
            retry_after: None,
        }
    }
}

impl From<Error> for ApiError {
    fn from(error: Error) -> Self {
        let (status, code, field) = match &error {
            Error::Invalid { code, field, .. } => {
                (StatusCode::UNPROCESSABLE_ENTITY, *code, field.clone())
            }
            Error::BadRequest { code, field, .. } => {
                (StatusCode::BAD_REQUEST, *code, field.clone())
            }
            Error::NotFound { field, .. } => (
                StatusCode::NOT_FOUND,
                rota_core::error::code::NOT_FOUND,
                field.clone(),
            ),
            Error::Unauthenticated { code, .. } => (StatusCode::UNAUTHORIZED, *code, None),
            Error::Forbidden { code, .. } => (StatusCode::FORBIDDEN, *code, None),
            Error::Conflict { code, field, .. } => (StatusCode::CONFLICT, *code, field.clone()),
            Error::RateLimited {
                retry_after_seconds,
                ..
            } => {
                let mut limited = Self::new(
                    StatusCode::TOO_MANY_REQUESTS,
                    rota_core::error::code::RATE_LIMITED,
                    error.to_string(),
                    None,
                );
                limited.retry_after = Some(*retry_after_seconds);
                return limited;
            }
            Error::Database(_) | Error::Internal(_) => {
                tracing::error!(error = %error, "request failed on the server");
                return Self::new(
                    StatusCode::INTERNAL_SERVER_ERROR,
                    "internal_error",
                    "the server failed; the error is logged",
                    None,
                );
            }
        };
        Self::new(
            status,
            code,
            error.to_string(),
            field.map(|f| f.into_owned()),
        )
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let unauthenticated = self.status == StatusCode::UNAUTHORIZED;
        let retry_after = self.retry_after;
        let body = ErrorBody {
            error: ErrorDetail {
                code: self.code,
                message: self.message,
                field: self.field,
            },
        };
        let mut response = (self.status, Json(body)).into_response();
        if unauthenticated {
            response
                .headers_mut()
                .insert(header::WWW_AUTHENTICATE, HeaderValue::from_static("Bearer"));
        }
        if let Some(seconds) = retry_after {
            response
                .headers_mut()
                .insert(header::RETRY_AFTER, HeaderValue::from(seconds));
        }
        response
    }
}

pub type ApiResult<T> = Result<T, ApiError>;

/// The errors every authenticated route may answer with.
#[derive(IntoResponses)]
pub enum CommonErrors {
    /// Unreadable input: malformed JSON, a bad path id, query or cursor.
    #[response(status = 400)]
    BadRequest(ErrorBody),
    /// No valid session or token.
    #[response(status = 401)]
    Unauthenticated(ErrorBody),
    /// This role may not.
    #[response(status = 403)]
    Forbidden(ErrorBody),
    /// Absent, or in another company.
    #[response(status = 404)]
    NotFound(ErrorBody),
    /// Clashes with existing data (a duplicate, something in use).
    #[response(status = 409)]
    Conflict(ErrorBody),
    /// Body over 1 MiB.
    #[response(status = 413)]
    TooLarge(ErrorBody),
    /// Body not sent as application/json.
    #[response(status = 415)]
    UnsupportedMediaType(ErrorBody),
    /// Well-formed but breaks a rule: wrong type, missing or unknown field, bad value.
    #[response(status = 422)]
    Invalid(ErrorBody),
    /// Over the caller's rate limit; `Retry-After` says when to try again.
    #[response(status = 429)]
    TooManyRequests(ErrorBody),
}

// Business-rule refusals, one set per family of operations. An operation lists its set
// after `CommonErrors` (`responses(..., CommonErrors, LeaveBookingRefusals)`), whose
// generic 409/422 the set's entries replace with the codes that operation gives.

/// Booking or changing leave (and quoting it).
#[derive(IntoResponses)]
pub enum LeaveBookingRefusals {
    /// `overlapping_leave`: the person already has leave on one of these days;
    /// `insufficient_allowance`: a type approved at once would take the balance below zero
    /// (unless the company allows it); `already_decided`: a decided request is not changed.
    #[response(status = 409)]
    Conflict(ErrorBody),
    /// `validation_failed`, naming the field: the dates hold no working time, the end is
    /// before the start, the type is booked in whole days or in hours (with `start_time`
    /// and `end_time`), the notice or minimum duration is not met, staff cannot book across
    /// a `no_time_off` annotation, the note the type requires is missing.
    #[response(status = 422)]
    Invalid(ErrorBody),
}

/// Making or changing a shift.
#[derive(IntoResponses)]
pub enum ShiftRefusals {
    /// Giving the shift to its user clashes, unless `override` is true: `shift_overlap`
    /// (another of their shifts overlaps it), `shift_over_leave` (their approved leave
    /// covers one of its days, in the location's zone), `business_closed` (a
    /// business-closed annotation for the company, the location or the user's department
    /// covers one of its days), `outside_availability` (it overlaps a time the user said
    /// they are unavailable). A kind the company's schedule settings make a warning does
    /// not refuse: it comes back in the saved shift's `warnings`.
    #[response(status = 409)]
    Conflict(ErrorBody),
    /// `validation_failed`, naming the field: `ends_at` not after `starts_at` or more than
    /// 24 hours later; a break outside the shift (`breaks[0].starts_at`), or the breaks
    /// together as long as the shift; a site of another location; a bad colour or notes.
    #[response(status = 422)]
    Invalid(ErrorBody),
}

/// Taking an open shift.
#[derive(IntoResponses)]
pub enum TakeRefusals {
    /// `shift_not_open`: somebody holds it (another taker came first); `not_eligible`
    /// (naming `position_id` or `location_id`): its position is not one of the caller's,
    /// or its location not among theirs when they have any; `shift_overlap`,
    /// `shift_over_leave`, `business_closed`, `outside_availability`: the caller's
    /// calendar is in the way, as when a manager assigns it (a taker cannot override;
    /// those the company lets through come back as `warnings`). For a shift that requires
    /// approval: `duplicate`, the caller bid already; `already_decided`, the shift has
    /// started and its request expired.
    #[response(status = 409)]
    Conflict(ErrorBody),
}

/// Offering, answering and deciding a swap.
#[derive(IntoResponses)]
pub enum SwapRefusals {
    /// `swap_pending`: the shift is offered in a pending swap already; `swap_not_pending`:
    /// the swap waits for no such step any more (another colleague accepted it first, or
    /// it was decided, declined or cancelled; an open drop is left, not declined);
    /// `swap_expired`: its shift (or the one in exchange) changed hands or times, was
    /// unpublished or deleted, or started since it was offered, so the swap expired;
    /// `not_eligible` (naming `position_id` or `location_id`): a shift does not fit whom
    /// it would go to; `shift_overlap`, `shift_over_leave`, `business_closed`,
    /// `outside_availability`: their calendar is in the way (nobody overrides it here).
    #[response(status = 409)]
    Conflict(ErrorBody),
    /// `validation_failed`, naming the field: a swap without `shift_ids`, or with
    /// `user_ids`; a drop with `shift_ids`; more than 20 ids, or one twice; a shift in
    /// exchange that is not a colleague's published shift to come (`shift_ids[0]`); a
    /// colleague who is not active, seen by the caller, or is the holder (`user_ids[0]`);
    /// a shift that has started (`shift_id`).
    #[response(status = 422)]
    Invalid(ErrorBody),
}

/// Deciding an open-shift request, or withdrawing a bid.
#[derive(IntoResponses)]
pub enum OpenShiftDecisionRefusals {
    /// `already_decided`: the request is not pending (approved, denied, cancelled or
    /// expired; another manager came first); approving: `not_eligible` (naming
    /// `position_id` or `location_id`), the shift does not fit the bidder, or
    /// `shift_overlap`, `shift_over_leave`, `business_closed`, `outside_availability`,
    /// the bidder's calendar is in the way (unless the company lets it through as a
    /// warning).
    #[response(status = 409)]
    Conflict(ErrorBody),
    /// `validation_failed` on `user_id`: not one of the request's standing bidders.
    #[response(status = 422)]
    Invalid(ErrorBody),
}

/// Deciding or cancelling a leave request.
#[derive(IntoResponses)]
pub enum LeaveDecisionRefusals {
    /// `already_decided`: approved, declined or cancelled already;
    /// `insufficient_allowance`: approving would take the balance below zero (unless the
    /// company allows it); `understaffed`: approving would leave the department below its
    /// `min_user` (a super user may send `override_staffing`).
    #[response(status = 409)]
    Conflict(ErrorBody),
    /// `validation_failed`: a decline needs a `reason`; nobody decides their own request.
    #[response(status = 422)]
    Invalid(ErrorBody),
}

/// Deleting an item others refer to.
#[derive(IntoResponses)]
pub enum InUseRefusals {
    /// `in_use`: something still refers to the item; `force=true` detaches it first where
    /// that is possible (a leave type with requests is switched off instead; a location,
    /// position or site that time entries name stays).
    #[response(status = 409)]
    Conflict(ErrorBody),
}

/// Setting a password.
#[derive(IntoResponses)]
pub enum PasswordRefusals {
    /// `weak_password`: shorter than the company's `password_min_length` (12 unless
    /// changed); `wrong_password`: the `current_password` given to change one's own
    /// password is wrong (it counts as a failed sign-in); `validation_failed`, naming the
    /// field, for any other bad value (such as one's own password without
    /// `current_password`).
    #[response(status = 422)]
    Invalid(ErrorBody),
    /// `conflict`: the company's owner stays an active super user; `duplicate`: the
    /// e-mail address is taken.
    #[response(status = 409)]
    Conflict(ErrorBody),
}

/// Using a mailed link (accepting an invitation, resetting a password).
#[derive(IntoResponses)]
pub enum LinkRefusals {
    /// `invalid_link`: not a link Rota sent, or a newer one replaced it; `link_expired`:
    /// ask for a new one; `link_used`: each works once; `weak_password`: shorter than the
    /// company's `password_min_length`. Each names its field (`token` or `password`).
    #[response(status = 422)]
    Invalid(ErrorBody),
}

/// Inviting a user.
#[derive(IntoResponses)]
pub enum InvitationRefusals {
    /// `already_has_password`: they can reset it from the sign-in page instead.
    #[response(status = 409)]
    Conflict(ErrorBody),
}

/// Second-factor operations.
#[derive(IntoResponses)]
pub enum MfaRefusals {
    /// `mfa_already_enabled`, `mfa_not_enabled`, `mfa_required` (demanded MFA cannot be
    /// switched off), `mfa_unavailable` (no secret key on this server).
    #[response(status = 409)]
    Conflict(ErrorBody),
    /// `invalid_mfa_code`: wrong, expired or already used; `validation_failed`: send
    /// exactly one proof.
    #[response(status = 422)]
    Invalid(ErrorBody),
}

/// Saving a webhook subscription.
#[derive(IntoResponses)]
pub enum WebhookRefusals {
    /// `webhook_url_not_allowed`: the URL is, or resolves to, a loopback, private or other
    /// internal address (unless the server allows private webhooks); `validation_failed`
    /// for any other bad value.
    #[response(status = 422)]
    Invalid(ErrorBody),
    /// `conflict`: a disabled subscription is not pinged.
    #[response(status = 409)]
    Conflict(ErrorBody),
}

/// Minting or changing an API client or key.
#[derive(IntoResponses)]
pub enum ApiCredentialRefusals {
    /// `conflict`: API access is not enabled for the company (`POST /api-access/enable`).
    #[response(status = 409)]
    Conflict(ErrorBody),
    /// `validation_failed`, naming the field: a role ceiling above the caller's own role,
    /// `acts_as_user_id` not an active user of the company, an expiry not in the future,
    /// an unknown scope or address. (Only the owner may mint one that acts as the owner:
    /// 403 `forbidden`.)
    #[response(status = 422)]
    Invalid(ErrorBody),
}
