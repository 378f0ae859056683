//! Signing in: password check, lockout after repeated failures, and session tokens that
//! are stored only as digests and live in the database (so every process sees them).

use serde::{Deserialize, Serialize};
use sqlx::FromRow;
use utoipa::ToSchema;

use serde_json::json;

use crate::access::Origin;
use crate::access::audit::AuditAction;
use crate::access::audit::{self, Event, Who};
use crate::company;
use crate::db::{Db, Tx, now};
use crate::error::{Error, Result, code};
use crate::people::record::UserRecord;
use crate::people::types::{UserStatus, UserType};
use crate::policy::Actor;
use crate::secret;

/// What a client sends to sign in.
#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct LoginRequest {
    pub email: String,
    #[schema(value_type = String, format = Password)]
    pub password: crate::secret::Secret,
    /// Only needed when the same e-mail belongs to people in several companies.
    pub company_id: Option<i64>,
}

/// A new session.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct Session {
    /// Send as `Authorization: Bearer <token>`. Shown once; the server keeps only a digest.
    #[schema(value_type = String)]
    pub token: secret::Issued,
    /// RFC 3339.
    pub expires_at: String,
    pub user_id: i64,
    pub company_id: i64,
}

/// What a correct password leads to: a session, or, for a user with MFA (or whose
/// company demands it), the second step of the sign-in. The session keeps the shape it
/// had before MFA existed, so clients of users without MFA see no change.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[serde(untagged)]
pub enum SignIn {
    Session(Session),
    Challenge(crate::mfa::challenge::MfaChallenge),
}

/// Checks the credentials and opens a session (or an MFA challenge). `device` (the User-Agent) is recorded with
/// the sign-in for the user's last-logins list.
pub async fn login(db: &Db, request: &LoginRequest, device: Option<&str>) -> Result<SignIn> {
    login_from(db, request, device, Origin::default(), true).await
}

/// [`login`] from a known address, which the audit log records with success and failure.
/// `mfa_enrolment_available` is false on a server without a secret key: demanded MFA then
/// cannot be enrolled, and the sign-in goes ahead without it rather than lock everyone out.
pub async fn login_from(
    db: &Db,
    request: &LoginRequest,
    device: Option<&str>,
    origin: Origin,
    mfa_enrolment_available: bool,
) -> Result<SignIn> {
    let invalid = || Error::Unauthenticated {
        code: code::INVALID_CREDENTIALS,
        message: "e-mail or password is wrong".into(),
    };
    let email = request.email.trim().to_lowercase();
    let candidates: Vec<UserRecord> = sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "{} WHERE email = $1 AND ($2 = 0 OR company_id = $2) ORDER BY id",
        crate::people::record::SELECT
    )))
    .bind(&email)
    .bind(request.company_id.unwrap_or(0))
    .fetch_all(db.pool())
    .await?;
    if candidates.is_empty() {
        // Spend the same time as a real check, so absent addresses are not revealed by timing.
        secret::verify_password(request.password.expose(), &secret::DECOY_HASH).await?;
        return Err(invalid());
    }
    let stamp = now();
    for user in candidates {
        let company = company::load(db.pool(), user.company_id).await?;
        let settings = &company.settings;
        ensure_unlocked(&user, settings, stamp)?;
        let Some(hash) = user.password_hash.as_deref() else {
            continue;
        };
        if !secret::verify_password(request.password.expose(), hash).await? {
            record_failure(db, &user, settings, stamp, origin, "wrong_password").await?;
            continue;
        }
        ensure_active(&user)?;
        let mut tx = db.begin_write().await?;
        let requirement =
            crate::mfa::sign_in_requirement(&mut tx, &user, settings, mfa_enrolment_available)
                .await?;
        let outcome = match requirement {
            Some(purpose) => SignIn::Challenge(
                crate::mfa::challenge::issue(&mut tx, &user, purpose, stamp, origin).await?,
            ),
            None => SignIn::Session(
                open_session(&mut tx, &user, settings, stamp, device, origin, json!({})).await?,
            ),
        };
        tx.commit().await?;
        return Ok(outcome);
    }
    Err(invalid())
}

/// Opens a session for `user` inside `tx`, once every factor the sign-in needs is proven:
/// clears the failed-sign-in lock and records the sign-in (with `details`, such as the
/// second factor used) in the audit log and the user's last-logins list.
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
    Ok(Session {
        token: token.into(),
        expires_at: crate::time::rfc3339(expires_at),
        user_id: user.id,
        company_id: user.company_id,
    })
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
fn ensure_unlocked(
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
async fn record_failure(
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

#[derive(FromRow)]
struct SessionActor {
    id: i64,
    user_id: i64,
    company_id: i64,
    user_type_id: i64,
    status: String,
    department_id: Option<i64>,
    owner_id: Option<i64>,
    settings: String,
    expires_at: i64,
}

/// The actor behind a session token, if the token is live and its user active.
pub async fn authenticate(db: &Db, token: &str) -> Result<Actor> {
    let unauthenticated =
        || Error::unauthenticated("the session token is missing, expired or revoked");
    if !token.starts_with(secret::SESSION_PREFIX) {
        return Err(unauthenticated());
    }
    let row: Option<SessionActor> = sqlx::query_as(
        "SELECT s.id, s.user_id, s.company_id, u.user_type_id, u.status, u.department_id, c.owner_id, c.settings, s.expires_at \
         FROM sessions s JOIN users u ON u.company_id = s.company_id AND u.id = s.user_id \
         JOIN companies c ON c.id = s.company_id WHERE s.token_hash = $1",
    )
    .bind(secret::token_digest(token))
    .fetch_optional(db.pool())
    .await?;
    let row = row.ok_or_else(unauthenticated)?;
    if row.expires_at <= now() || row.status != UserStatus::Active.as_str() {
        return Err(unauthenticated());
    }
    Ok(Actor {
        user_id: row.user_id,
        company_id: row.company_id,
        role: UserType::try_from(row.user_type_id).map_err(|e| Error::Internal(e.into()))?,
        is_owner: row.owner_id == Some(row.user_id),
        department_id: row.department_id,
        origin: Origin {
            session_id: Some(row.id),
            ..Origin::default()
        },
        policy: company::CompanySettings::stored_policy(&row.settings)?,
    })
}

/// Ends the session the token belongs to.
pub async fn logout(db: &Db, token: &str) -> Result<()> {
    sqlx::query("DELETE FROM sessions WHERE token_hash = $1")
        .bind(secret::token_digest(token))
        .execute(db.pool())
        .await?;
    Ok(())
}

/// Sets a new password for a user by e-mail, for operators (`rota admin reset-password`).
pub async fn reset_password(db: &Db, company_id: i64, email: &str, password: &str) -> Result<i64> {
    let company = company::load(db.pool(), company_id).await?;
    company.settings.check_password("password", password)?;
    let hash = secret::hash_password(password).await?;
    let mut tx = db.begin_write().await?;
    let user_id: i64 = sqlx::query_scalar("UPDATE users SET password_hash = $1, updated_at = $2 WHERE company_id = $3 AND email = $4 RETURNING id")
        .bind(hash)
        .bind(now())
        .bind(company_id)
        .bind(email.trim().to_lowercase())
        .fetch_optional(&mut *tx)
        .await?
        .ok_or(Error::not_found("user"))?;
    // A reset ends every session the old password opened.
    end_sessions(&mut tx, company_id, user_id, None).await?;
    clear_lock(&mut tx, company_id, user_id).await?;
    operator_event(&mut tx, company_id, user_id, AuditAction::UserPasswordReset).await?;
    tx.commit().await?;
    Ok(user_id)
}

/// Records an operator's (CLI) action on a user: no user, no address.
pub(crate) async fn operator_event(
    tx: &mut Tx,
    company_id: i64,
    user_id: i64,
    action: AuditAction,
) -> Result<()> {
    audit::record(
        tx,
        Who::default(),
        Event {
            company_id,
            action,
            target: Some(("user", user_id)),
            details: json!({"via": "cli"}),
        },
    )
    .await
}

/// Lifts a lock by e-mail, for operators (`rota admin unlock-user`).
pub async fn unlock_by_email(db: &Db, company_id: i64, email: &str) -> Result<i64> {
    let mut tx = db.begin_write().await?;
    let user_id = user_id_by_email(&mut tx, company_id, email).await?;
    clear_lock(&mut tx, company_id, user_id).await?;
    operator_event(&mut tx, company_id, user_id, AuditAction::UserUnlocked).await?;
    tx.commit().await?;
    Ok(user_id)
}

/// The id of the company's user with this e-mail, for operators who name people by it.
pub(crate) async fn user_id_by_email(tx: &mut Tx, company_id: i64, email: &str) -> Result<i64> {
    sqlx::query_scalar("SELECT id FROM users WHERE company_id = $1 AND email = $2")
        .bind(company_id)
        .bind(email.trim().to_lowercase())
        .fetch_optional(&mut **tx)
        .await?
        .ok_or(Error::not_found("user"))
}
