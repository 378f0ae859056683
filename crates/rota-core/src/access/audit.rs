//! The audit log: an append-only record of every write and security event — when, who,
//! through which API client or key, from which address, what, and what changed. Events
//! are written inside the caller's transaction, so a change and its record stand or fall
//! together. Nothing here updates or deletes an event, and no route offers to.

use serde::{Deserialize, Serialize};
use serde_json::Value;
use sqlx::FromRow;
use utoipa::ToSchema;

use crate::access::Origin;
use crate::db::{Db, Tx, now};
use crate::error::{Error, Result};
use crate::org::Kind;
use crate::paging::Page;
use crate::policy::{Action, Actor, Target, may};

/// Who caused an event: a user (absent for a failed sign-in to an unknown account or the
/// CLI) and where the request came from.
#[derive(Debug, Clone, Copy, Default)]
pub struct Who {
    pub user_id: Option<i64>,
    pub origin: Origin,
}

impl From<&Actor> for Who {
    fn from(actor: &Actor) -> Self {
        Self {
            user_id: Some(actor.user_id),
            origin: actor.origin,
        }
    }
}

/// What an audit event records: one name per event, stored and shown as [`Self::as_str`]
/// (`leave.approved`, `login.failed`, …). The names are the stored data's: never rename one.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AuditAction {
    AvailabilityCreated,
    AvailabilityDeleted,
    AccountLocked,
    AllowanceAdjusted,
    AllowanceOpeningSet,
    AllowanceRemoved,
    ApiActedAsUser,
    ApiAccessEnabled,
    ApiAccessIpAllowListChanged,
    ApiAccessRevoked,
    ClientCreated,
    ClientDeleted,
    ClientRevoked,
    ClientSecretRegenerated,
    ClientUpdated,
    CompanyCreated,
    CompanyUpdated,
    IcalFeedCreated,
    IcalFeedRegenerated,
    IcalFeedRevoked,
    KeyCreated,
    KeyRevoked,
    LeaveApproved,
    LeaveCancelled,
    LeaveCommented,
    LeaveDeclined,
    LeaveEdited,
    LeaveRequested,
    LeaveYearRolled,
    LoginFailed,
    LoginMfaChallenged,
    LoginSucceeded,
    MfaDisabled,
    MfaEnabled,
    MfaEnrolmentStarted,
    MfaFailed,
    MfaLocked,
    MfaRecoveryCodesRegenerated,
    MfaReset,
    OpenShiftBid,
    OpenShiftBidWithdrawn,
    OpenShiftRequestApproved,
    OpenShiftRequestDenied,
    PayrollPeriodClosed,
    PayrollPeriodFinalised,
    PayrollPeriodReopened,
    PayrollSettingsChanged,
    ScheduleSettingsChanged,
    ShiftAcknowledged,
    ShiftChainCreated,
    ShiftChainDeleted,
    ShiftChainUpdated,
    ShiftCreated,
    ShiftDeleted,
    ShiftTemplateCreated,
    ShiftTemplateDeleted,
    ShiftTemplateUpdated,
    ShiftUpdated,
    ShiftsCopied,
    ShiftsPublished,
    ShiftsUnpublished,
    SwapCreated,
    SwapUpdated,
    MessagePosted,
    TimeClockSettingsChanged,
    TimeEntryApproved,
    TimeEntryCreated,
    TimeEntryDeleted,
    TimeEntryUnapproved,
    TimeEntryUpdated,
    TokenIssued,
    TokenRefused,
    UserArchived,
    UserCreated,
    UserInvitationAccepted,
    UserInvited,
    UserNoteAdded,
    UserNoteChanged,
    UserPasswordReset,
    UserPasswordResetRequested,
    UserRestored,
    UserRestrictionAdded,
    UserRestrictionRemoved,
    UserStatusChanged,
    UserUnlocked,
    UserUpdated,
    WebhookCreated,
    WebhookDeleted,
    WebhookPinged,
    WebhookSecretRotated,
    WebhookUpdated,
    WorkPatternAdded,
    WorkPatternRemoved,
    /// An organisation item (department, region, leave type, …) created, changed or deleted.
    Item(Kind, ItemChange),
}

/// What happened to an organisation item.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ItemChange {
    Created,
    Updated,
    Deleted,
}

impl AuditAction {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::AccountLocked => "account.locked",
            Self::AllowanceAdjusted => "allowance.adjusted",
            Self::AllowanceOpeningSet => "allowance.opening_set",
            Self::AllowanceRemoved => "allowance.removed",
            Self::ApiActedAsUser => "api.acted_as_user",
            Self::ApiAccessEnabled => "api_access.enabled",
            Self::ApiAccessIpAllowListChanged => "api_access.ip_allow_list_changed",
            Self::ApiAccessRevoked => "api_access.revoked",
            Self::ClientCreated => "client.created",
            Self::ClientDeleted => "client.deleted",
            Self::ClientRevoked => "client.revoked",
            Self::ClientSecretRegenerated => "client.secret_regenerated",
            Self::ClientUpdated => "client.updated",
            Self::CompanyCreated => "company.created",
            Self::CompanyUpdated => "company.updated",
            Self::IcalFeedCreated => "ical_feed.created",
            Self::IcalFeedRegenerated => "ical_feed.regenerated",
            Self::IcalFeedRevoked => "ical_feed.revoked",
            Self::KeyCreated => "key.created",
            Self::KeyRevoked => "key.revoked",
            Self::LeaveApproved => "leave.approved",
            Self::LeaveCancelled => "leave.cancelled",
            Self::LeaveCommented => "leave.commented",
            Self::LeaveDeclined => "leave.declined",
            Self::LeaveEdited => "leave.edited",
            Self::LeaveRequested => "leave.requested",
            Self::LeaveYearRolled => "leave_year.rolled",
            Self::LoginFailed => "login.failed",
            Self::LoginMfaChallenged => "login.mfa_challenged",
            Self::LoginSucceeded => "login.succeeded",
            Self::MfaDisabled => "mfa.disabled",
            Self::MfaEnabled => "mfa.enabled",
            Self::MfaEnrolmentStarted => "mfa.enrolment_started",
            Self::MfaFailed => "mfa.failed",
            Self::MfaLocked => "mfa.locked",
            Self::MfaRecoveryCodesRegenerated => "mfa.recovery_codes_regenerated",
            Self::MfaReset => "mfa.reset",
            Self::AvailabilityCreated => "availability_event.created",
            Self::AvailabilityDeleted => "availability_event.deleted",
            Self::OpenShiftBid => "open_shift_request.bid",
            Self::OpenShiftBidWithdrawn => "open_shift_request.withdrawn",
            Self::OpenShiftRequestApproved => "open_shift_request.approved",
            Self::OpenShiftRequestDenied => "open_shift_request.denied",
            Self::PayrollPeriodClosed => "payroll_period.closed",
            Self::PayrollPeriodFinalised => "payroll_period.finalised",
            Self::PayrollPeriodReopened => "payroll_period.reopened",
            Self::PayrollSettingsChanged => "payroll.settings_changed",
            Self::ScheduleSettingsChanged => "schedule.settings_changed",
            Self::ShiftAcknowledged => "shift.acknowledged",
            Self::ShiftChainCreated => "shift_chain.created",
            Self::ShiftChainDeleted => "shift_chain.deleted",
            Self::ShiftChainUpdated => "shift_chain.updated",
            Self::ShiftCreated => "shift.created",
            Self::ShiftDeleted => "shift.deleted",
            Self::ShiftTemplateCreated => "shift_template.created",
            Self::ShiftTemplateDeleted => "shift_template.deleted",
            Self::ShiftTemplateUpdated => "shift_template.updated",
            Self::ShiftUpdated => "shift.updated",
            Self::ShiftsCopied => "shift.copied",
            Self::ShiftsPublished => "shift.published",
            Self::SwapCreated => "swap.created",
            Self::SwapUpdated => "swap.updated",
            Self::MessagePosted => "message.posted",
            Self::ShiftsUnpublished => "shift.unpublished",
            Self::TimeClockSettingsChanged => "time_clock.settings_changed",
            Self::TimeEntryApproved => "time_entry.approved",
            Self::TimeEntryCreated => "time_entry.created",
            Self::TimeEntryDeleted => "time_entry.deleted",
            Self::TimeEntryUnapproved => "time_entry.unapproved",
            Self::TimeEntryUpdated => "time_entry.updated",
            Self::TokenIssued => "token.issued",
            Self::TokenRefused => "token.refused",
            Self::UserArchived => "user.archived",
            Self::UserCreated => "user.created",
            Self::UserInvitationAccepted => "user.invitation_accepted",
            Self::UserInvited => "user.invited",
            Self::UserNoteAdded => "user.note_added",
            Self::UserNoteChanged => "user.note_changed",
            Self::UserPasswordReset => "user.password_reset",
            Self::UserPasswordResetRequested => "user.password_reset_requested",
            Self::UserRestored => "user.restored",
            Self::UserRestrictionAdded => "user.restriction_added",
            Self::UserRestrictionRemoved => "user.restriction_removed",
            Self::UserStatusChanged => "user.status_changed",
            Self::UserUnlocked => "user.unlocked",
            Self::UserUpdated => "user.updated",
            Self::WebhookCreated => "webhook.created",
            Self::WebhookDeleted => "webhook.deleted",
            Self::WebhookPinged => "webhook.pinged",
            Self::WebhookSecretRotated => "webhook.secret_rotated",
            Self::WebhookUpdated => "webhook.updated",
            Self::WorkPatternAdded => "work_pattern.added",
            Self::WorkPatternRemoved => "work_pattern.removed",
            Self::Item(kind, change) => {
                let [created, updated, deleted] = item_names(kind);
                match change {
                    ItemChange::Created => created,
                    ItemChange::Updated => updated,
                    ItemChange::Deleted => deleted,
                }
            }
        }
    }
}

/// The created, updated and deleted names of an organisation item's events.
fn item_names(kind: Kind) -> [&'static str; 3] {
    match kind {
        Kind::Department => [
            "department.created",
            "department.updated",
            "department.deleted",
        ],
        Kind::Region => ["region.created", "region.updated", "region.deleted"],
        Kind::Location => ["location.created", "location.updated", "location.deleted"],
        Kind::Site => ["site.created", "site.updated", "site.deleted"],
        Kind::Position => ["position.created", "position.updated", "position.deleted"],
        Kind::Tag => ["tag.created", "tag.updated", "tag.deleted"],
        Kind::LeaveType => [
            "leave_type.created",
            "leave_type.updated",
            "leave_type.deleted",
        ],
        Kind::Annotation => [
            "annotation.created",
            "annotation.updated",
            "annotation.deleted",
        ],
        Kind::CompanyHoliday => [
            "company_holiday.created",
            "company_holiday.updated",
            "company_holiday.deleted",
        ],
    }
}

/// One event to record.
pub struct Event<'a> {
    pub company_id: i64,
    pub action: AuditAction,
    pub target: Option<(&'a str, i64)>,
    /// What changed. Never a secret, a token or a password.
    pub details: Value,
}

/// Appends `event` inside `tx`.
pub(crate) async fn record(tx: &mut Tx, who: Who, event: Event<'_>) -> Result<()> {
    sqlx::query(
        "INSERT INTO audit_events (company_id, at, actor_user_id, api_client_id, api_key_id, source_ip, \
         action, target_type, target_id, details) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)",
    )
    .bind(event.company_id)
    .bind(now())
    .bind(who.user_id)
    .bind(who.origin.api_client_id)
    .bind(who.origin.api_key_id)
    .bind(who.origin.ip.map(|ip| ip.to_string()))
    .bind(event.action.as_str())
    .bind(event.target.map(|(kind, _)| kind))
    .bind(event.target.map(|(_, id)| id))
    .bind(event.details.to_string())
    .execute(&mut **tx)
    .await?;
    Ok(())
}

/// Shorthand for an actor's event on one target.
pub(crate) async fn record_by(
    tx: &mut Tx,
    actor: &Actor,
    action: AuditAction,
    target: Option<(&str, i64)>,
    details: Value,
) -> Result<()> {
    record(
        tx,
        Who::from(actor),
        Event {
            company_id: actor.company_id,
            action,
            target,
            details,
        },
    )
    .await
}

/// An event as `GET /audit` shows it.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct AuditEvent {
    pub id: i64,
    /// RFC 3339.
    pub at: String,
    pub actor_user_id: Option<i64>,
    pub api_client_id: Option<i64>,
    pub api_key_id: Option<i64>,
    pub source_ip: Option<String>,
    pub action: String,
    pub target_type: Option<String>,
    pub target_id: Option<i64>,
    /// What changed, as recorded.
    #[schema(value_type = Object)]
    pub details: Value,
}

#[derive(FromRow)]
struct AuditRow {
    id: i64,
    at: i64,
    actor_user_id: Option<i64>,
    api_client_id: Option<i64>,
    api_key_id: Option<i64>,
    source_ip: Option<String>,
    action: String,
    target_type: Option<String>,
    target_id: Option<i64>,
    details: String,
}

/// Filters for reading the log.
#[derive(Debug, Clone, Default)]
pub struct AuditFilter {
    pub action: Option<String>,
    pub actor_user_id: Option<i64>,
    /// Unix seconds, inclusive.
    pub from: Option<i64>,
    /// Unix seconds, exclusive.
    pub to: Option<i64>,
    /// Only events about this kind of subject (`api_client`, `user`, `leave_request`, …).
    pub target_type: Option<String>,
    /// Only events about the subject with this id.
    pub target_id: Option<i64>,
}

/// The company's events, newest first, in pages. Super users only.
pub async fn list(
    db: &Db,
    actor: &Actor,
    filter: AuditFilter,
    limit: Option<i64>,
    cursor: Option<&str>,
) -> Result<Page<AuditEvent>> {
    if !may(actor, Action::ViewAudit, Target::Company(actor.company_id)) {
        return Err(Error::forbidden("only a super user may read the audit log"));
    }
    let page = db.page("audit", limit, cursor).await?;
    let before = if page.after_id == 0 {
        i64::MAX
    } else {
        page.after_id
    };
    let rows: Vec<AuditRow> = sqlx::query_as(
        "SELECT id, at, actor_user_id, api_client_id, api_key_id, source_ip, action, target_type, target_id, details \
         FROM audit_events WHERE company_id = $1 AND id < $2 \
         AND ($3 = '' OR action = $3) AND ($4 = 0 OR actor_user_id = $4) \
         AND at >= $5 AND at < $6 AND ($8 = '' OR target_type = $8) AND ($9 = 0 OR target_id = $9) \
         ORDER BY id DESC LIMIT $7",
    )
    .bind(actor.company_id)
    .bind(before)
    .bind(filter.action.unwrap_or_default())
    .bind(filter.actor_user_id.unwrap_or(0))
    .bind(filter.from.unwrap_or(i64::MIN))
    .bind(filter.to.unwrap_or(i64::MAX))
    .bind(page.limit + 1)
    .bind(filter.target_type.unwrap_or_default())
    .bind(filter.target_id.unwrap_or(0))
    .fetch_all(db.pool())
    .await?;
    let events = rows
        .into_iter()
        .map(|row| AuditEvent {
            id: row.id,
            at: crate::time::rfc3339(row.at),
            actor_user_id: row.actor_user_id,
            api_client_id: row.api_client_id,
            api_key_id: row.api_key_id,
            source_ip: row.source_ip,
            action: row.action,
            target_type: row.target_type,
            target_id: row.target_id,
            details: serde_json::from_str(&row.details).unwrap_or(Value::Null),
        })
        .collect();
    Ok(page.finish(events, |e| e.id))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_items_events_are_named_by_its_noun() {
        let kinds = [
            Kind::Department,
            Kind::Region,
            Kind::Location,
            Kind::Site,
            Kind::Position,
            Kind::Tag,
            Kind::LeaveType,
            Kind::Annotation,
            Kind::CompanyHoliday,
        ];
        for kind in kinds {
            let noun = kind.noun().replace(' ', "_");
            for (change, verb) in [
                (ItemChange::Created, "created"),
                (ItemChange::Updated, "updated"),
                (ItemChange::Deleted, "deleted"),
            ] {
                assert_eq!(
                    AuditAction::Item(kind, change).as_str(),
                    format!("{noun}.{verb}")
                );
            }
        }
    }

    #[test]
    fn stored_names_are_unchanged() {
        assert_eq!(AuditAction::LeaveApproved.as_str(), "leave.approved");
        assert_eq!(AuditAction::ApiActedAsUser.as_str(), "api.acted_as_user");
        assert_eq!(
            AuditAction::ApiAccessIpAllowListChanged.as_str(),
            "api_access.ip_allow_list_changed"
        );
        assert_eq!(
            AuditAction::LoginMfaChallenged.as_str(),
            "login.mfa_challenged"
        );
    }
}
