//! The steps every sign-in shares, by password or by a second factor: whether the user may
//! sign in at all, failures and the lockout they lead to, and opening the session.

use serde_json::json;

use crate::access::Origin;
use crate::access::audit::AuditAction;
use crate::access::audit::{self, Event, Who};
use crate::company;
use crate::db::{Db, Tx, now};
use crate::error::{Error, Result, code};
use crate::people::record::UserRecord;
use crate::people::types::UserStatus;
use crate::secret;

use super::Session;

/// Opens a session for `user` inside `tx`, once every factor the sign-in needs is proven,
/// and records the sign-in ([`record_sign_in`], with `details` such as the second factor).
pub(crate) async fn open_session(
    tx: &mut Tx,
    user: &UserRecord,
    settings: &company::CompanySettings,
    stamp: i64,
    device: Option<&str>,
    origin: Origin,
    details: serde_json::Value,
) -> Result<Session> {
    let token = secret::new_token(secret::SESSION_PREFIX);
    let expires_at = stamp + settings.session_hours * 3600;
    sqlx::query("INSERT INTO sessions (company_id, user_id, token_hash, created_at, expires_at) VALUES ($1, $2, $3, $4, $5)")
        .bind(user.company_id)
        .bind(user.id)
        .bind(secret::token_digest(&token))
        .bind(stamp)
        .bind(expires_at)
        .execute(&mut **tx)
        .await?;
    record_sign_in(tx, user, stamp, device, origin, details).await?;
    Ok(Session {
        token: token.into(),
        expires_at: crate::time::rfc3339(expires_at),
        user_id: user.id,
        company_id: user.company_id,
    })
}

/// What every completed sign-in records inside `tx`, whatever it opens (a session, an API
/// client's token bound to the user): clears the failed-sign-in lock and records the
/// sign-in (with `details`) in the audit log and the user's last-logins list.
pub(crate) async fn record_sign_in(
    tx: &mut Tx,
    user: &UserRecord,
    stamp: i64,
    device: Option<&str>,
    origin: Origin,
    details: serde_json::Value,
) -> Result<()> {
    clear_lock(tx, user.company_id, user.id).await?;
    audit::record(
        tx,
        Who {
            user_id: Some(user.id),
            origin,
        },
        Event {
            company_id: user.company_id,
            action: AuditAction::LoginSucceeded,
            target: Some(("user", user.id)),
            details,
        },
    )
    .await?;
    sqlx::query("INSERT INTO login_attempts (company_id, user_id, succeeded, device, at) VALUES ($1, $2, 1, $3, $4)")
        .bind(user.company_id)
        .bind(user.id)
        .bind(device.map(|d| d.chars().take(200).collect::<String>()))
        .bind(stamp)
        .execute(&mut **tx)
        .await?;
    tracing::info!(company.id = user.company_id, user.id = user.id, "signed in");
    Ok(())
}

/// Whether `user` may sign in at all: active, not archived or pending.
pub(crate) fn ensure_active(user: &UserRecord) -> Result<()> {
    match user.status()? {
        UserStatus::Active => {}
        UserStatus::Archived => {
            return Err(Error::Forbidden {
                code: code::ACCOUNT_ARCHIVED,
                message: "this account is archived".into(),
            });
        }
        UserStatus::Pending => {
            return Err(Error::Forbidden {
                code: code::ACCOUNT_ARCHIVED,
                message: "this account is not active yet".into(),
            });
        }
    }
    Ok(())
}

/// A 403 while the account is locked after failed sign-ins.
pub(super) fn ensure_unlocked(
    user: &UserRecord,
    settings: &company::CompanySettings,
    stamp: i64,
) -> Result<()> {
    match user.lockout_date {
        Some(locked_at) if stamp < locked_at + settings.lockout_minutes * 60 => {
            Err(Error::Forbidden {
                code: code::ACCOUNT_LOCKED,
                message: "this account is locked after too many failed sign-ins; a super user can unlock it".into(),
            })
        }
        _ => Ok(()),
    }
}

/// Checks the password a signed-in user gives as their current one before they change
/// it. Refused while the account is locked; a wrong one counts as a failed sign-in, so a
/// session left open is no place to guess the password from.
pub(crate) async fn check_current_password(
    db: &Db,
    user: &UserRecord,
    settings: &company::CompanySettings,
    origin: Origin,
    presented: &secret::Secret,
) -> Result<()> {
    let stamp = now();
    ensure_unlocked(user, settings, stamp)?;
    // A user without a password (pending) has none to match: the decoy never does.
    let hash = user
        .password_hash
        .as_deref()
        .unwrap_or(secret::DECOY_HASH.as_str());
    if secret::verify_password(presented.expose(), hash).await? {
        return Ok(());
    }
    record_failure(db, user, settings, stamp, origin, "wrong_current_password").await?;
    Err(Error::Invalid {
        code: code::WRONG_PASSWORD,
        message: "current_password is wrong".into(),
        field: Some("current_password".into()),
    })
}

/// Ends every session of a user but `keep` (the one that changed the password).
pub(crate) async fn end_sessions(
    tx: &mut Tx,
    company_id: i64,
    user_id: i64,
    keep: Option<i64>,
) -> Result<()> {
    sqlx::query("DELETE FROM sessions WHERE company_id = $1 AND user_id = $2 AND id <> $3")
        .bind(company_id)
        .bind(user_id)
        // Session ids start at 1: 0 keeps none.
        .bind(keep.unwrap_or(0))
        .execute(&mut **tx)
        .await?;
    Ok(())
}

/// Records a wrong password (`reason` says where it was given) and locks the account
/// at the company's threshold.
pub(super) async fn record_failure(
    db: &Db,
    user: &UserRecord,
    settings: &company::CompanySettings,
    stamp: i64,
    origin: Origin,
    reason: &'static str,
) -> Result<()> {
    let mut tx = db.begin_write().await?;
    // Failures are counted after inserting this one: without the lock, concurrent wrong
    // passwords each count only themselves and the committed ones, and may all pass the
    // threshold unlocked.
    crate::locks::lock(
        &mut tx,
        user.company_id,
        [crate::locks::Owner::User(user.id)],
    )
    .await?;
    let who = Who {
        user_id: None,
        origin,
    };
    audit::record(
        &mut tx,
        who,
        Event {
            company_id: user.company_id,
            action: AuditAction::LoginFailed,
            target: Some(("user", user.id)),
            details: json!({"reason": reason}),
        },
    )
    .await?;
    sqlx::query(
        "INSERT INTO login_attempts (company_id, user_id, succeeded, at) VALUES ($1, $2, 0, $3)",
    )
    .bind(user.company_id)
    .bind(user.id)
    .bind(stamp)
    .execute(&mut *tx)
    .await?;
    let failures: i64 = sqlx::query_scalar(
        "SELECT COUNT(*) FROM login_attempts WHERE company_id = $1 AND user_id = $2 AND succeeded = 0 AND at > $3",
    )
    .bind(user.company_id)
    .bind(user.id)
    .bind(stamp - settings.lockout_window_minutes * 60)
    .fetch_one(&mut *tx)
    .await?;
    if failures >= settings.lockout_threshold {
        let locked = sqlx::query("UPDATE users SET lockout_date = $1 WHERE company_id = $2 AND id = $3 AND lockout_date IS NULL")
            .bind(stamp)
            .bind(user.company_id)
            .bind(user.id)
            .execute(&mut *tx)
            .await?
            .rows_affected();
        if locked > 0 {
            audit::record(
                &mut tx,
                who,
                Event {
                    company_id: user.company_id,
                    action: AuditAction::AccountLocked,
                    target: Some(("user", user.id)),
                    details: json!({"failures": failures}),
                },
            )
            .await?;
        }
        tracing::warn!(
            company.id = user.company_id,
            user.id = user.id,
            "account locked after failed sign-ins"
        );
    }
    tx.commit().await?;
    Ok(())
}

/// Lifts a lock and forgets the failures that led to it.
pub(crate) async fn clear_lock(tx: &mut Tx, company_id: i64, user_id: i64) -> Result<()> {
    sqlx::query("UPDATE users SET lockout_date = NULL WHERE company_id = $1 AND id = $2")
        .bind(company_id)
        .bind(user_id)
        .execute(&mut **tx)
        .await?;
    sqlx::query(
        "DELETE FROM login_attempts WHERE company_id = $1 AND user_id = $2 AND succeeded = 0",
    )
    .bind(company_id)
    .bind(user_id)
    .execute(&mut **tx)
    .await?;
    Ok(())
}
