//! Signing in: password check, lockout after repeated failures, and session tokens that
//! are stored only as digests and live in the database (so every process sees them).
//!
//! `sign_in` holds the steps every way of signing in shares (the password here, the MFA
//! code and enrolment in `crate::mfa`): the active and lock checks, failures and the
//! lockout, and opening the session. `session` reads a session token back into an actor;
//! `operator` is what `rota admin` does to people; `link` the links mailed to set one's
//! own password (invitations, resets).

pub mod link;
mod operator;
mod session;
mod sign_in;

use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use serde_json::json;

use crate::access::Origin;
use crate::company;
use crate::db::{Db, now};
use crate::error::{Error, Result, code};
use crate::people::record::UserRecord;
use crate::secret;

pub(crate) use operator::{operator_event, user_id_by_email};
pub use operator::{reset_password, unlock_by_email};
pub use session::{authenticate, logout};
pub(crate) use sign_in::{
    check_current_password, clear_lock, end_sessions, ensure_active, open_session, record_sign_in,
};
use sign_in::{ensure_unlocked, record_failure};

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
    let (user, company) = check_password(
        db,
        &request.email,
        &request.password,
        request.company_id,
        origin,
    )
    .await?;
    let settings = &company.settings;
    let stamp = now();
    let mut tx = db.begin_write().await?;
    let requirement =
        crate::mfa::sign_in_requirement(&mut tx, &user, settings, mfa_enrolment_available).await?;
    let outcome = match requirement {
        Some(purpose) => SignIn::Challenge(
            crate::mfa::challenge::issue(&mut tx, &user, purpose, stamp, origin).await?,
        ),
        None => SignIn::Session(
            open_session(&mut tx, &user, settings, stamp, device, origin, json!({})).await?,
        ),
    };
    tx.commit().await?;
    Ok(outcome)
}

/// The first step every sign-in by e-mail and password shares: the user these belong to
/// (in `company_id` when given), with their company, once the account is found unlocked,
/// the password right and the account active. A wrong password counts towards the
/// lockout and is in the audit log; an unknown address takes as long as a wrong password.
pub(crate) async fn check_password(
    db: &Db,
    email: &str,
    password: &secret::Secret,
    company_id: Option<i64>,
    origin: Origin,
) -> Result<(UserRecord, company::Company)> {
    let invalid = || Error::Unauthenticated {
        code: code::INVALID_CREDENTIALS,
        message: "e-mail or password is wrong".into(),
    };
    let email = email.trim().to_lowercase();
    let candidates: Vec<UserRecord> = sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "{} WHERE email = $1 AND ($2 = 0 OR company_id = $2) ORDER BY id",
        crate::people::record::SELECT
    )))
    .bind(&email)
    .bind(company_id.unwrap_or(0))
    .fetch_all(db.pool())
    .await?;
    if candidates.is_empty() {
        // Spend the same time as a real check, so absent addresses are not revealed by timing.
        secret::verify_password(password.expose(), &secret::DECOY_HASH).await?;
        return Err(invalid());
    }
    let stamp = now();
    for user in candidates {
        let company = company::load(db.pool(), user.company_id).await?;
        ensure_unlocked(&user, &company.settings, stamp)?;
        let Some(hash) = user.password_hash.as_deref() else {
            continue;
        };
        if !secret::verify_password(password.expose(), hash).await? {
            record_failure(
                db,
                &user,
                &company.settings,
                stamp,
                origin,
                "wrong_password",
            )
            .await?;
            continue;
        }
        ensure_active(&user)?;
        return Ok((user, company));
    }
    Err(invalid())
}
