//! The second step of a sign-in. A correct password for a user with MFA opens no
//! session: it opens a challenge, a `rota_mfa_…` token that lives five minutes (stored as
//! a digest, in the database so every process sees it) and that a current code or a
//! recovery code turns into the session (`verify`). Where MFA is demanded (the company's
//! or the user's `force_mfa`) and the user has none, the challenge is an enrolment one instead: it admits only
//! `POST /auth/mfa/enrol` and `POST /auth/mfa/confirm` (as the bearer token), and the
//! confirmation answers with the session beside the recovery codes.

use serde::{Deserialize, Serialize};
use serde_json::json;
use utoipa::ToSchema;

use super::{CodeRequest, Proof, Subject, confirm_in, confirmed_factor, one_of, prove};
use crate::access::Origin;
use crate::access::audit::AuditAction;
use crate::access::audit::{self, Event, Who};
use crate::auth::{Session, ensure_active, open_session};
use crate::company::Company;
use crate::db::{Db, Tx, now};
use crate::error::{Error, Result, code};
use crate::people::record::UserRecord;
use crate::sealing::SecretKey;
use crate::secret::{self, Secret};

/// How long a challenge waits for its second factor.
const LIFETIME_SECONDS: i64 = 5 * 60;

/// What a challenge leads to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Purpose {
    /// A code (or recovery code) from the user's enrolled device.
    Verify,
    /// A first enrolment, because MFA is demanded of the user.
    Enrol,
}

impl Purpose {
    fn as_str(self) -> &'static str {
        match self {
            Purpose::Verify => "verify",
            Purpose::Enrol => "enrol",
        }
    }
}

/// The answer to a correct password when a second factor is still needed. No session yet.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct MfaChallenge {
    /// Always true: sign-in is not complete.
    pub mfa_required: bool,
    /// False: send `mfa_token` with a code to `POST /auth/mfa/verify`. True: MFA is
    /// demanded (the company's or the user's `force_mfa`) and the user has none; send `mfa_token` as the bearer token to
    /// `POST /auth/mfa/enrol` and then `POST /auth/mfa/confirm`, which opens the session.
    pub mfa_enrolment_required: bool,
    /// `rota_mfa_…`, good for one sign-in within five minutes.
    #[schema(value_type = String)]
    pub mfa_token: secret::Issued,
    /// RFC 3339.
    pub expires_at: String,
}

/// The second step: the challenge token and exactly one of a code and a recovery code.
#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct VerifyRequest {
    #[schema(value_type = String)]
    pub mfa_token: crate::secret::Secret,
    /// Six digits from the authenticator app.
    #[schema(value_type = Option<crate::openapi::MfaCode>)]
    pub code: Option<String>,
    /// One of the recovery codes (`rota_rc_…`); each works once.
    #[schema(value_type = Option<String>)]
    pub recovery_code: Option<crate::secret::Secret>,
}

/// A confirmed enrolment: the recovery codes, shown once, and, when it completed a sign-in
/// (an enrolment challenge), the session.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct MfaConfirmed {
    #[schema(value_type = Vec<String>)]
    pub recovery_codes: Vec<secret::Issued>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub session: Option<Session>,
}

/// Opens a challenge for `user`, whose password was right, inside `tx`.
pub(crate) async fn issue(
    tx: &mut Tx,
    user: &UserRecord,
    purpose: Purpose,
    stamp: i64,
    origin: Origin,
) -> Result<MfaChallenge> {
    // Lapsed challenges of this user are of no further use.
    sqlx::query(
        "DELETE FROM mfa_challenges WHERE company_id = $1 AND user_id = $2 AND expires_at <= $3",
    )
    .bind(user.company_id)
    .bind(user.id)
    .bind(stamp)
    .execute(&mut **tx)
    .await?;
    let token = secret::new_token(secret::MFA_TOKEN_PREFIX);
    let expires_at = stamp + LIFETIME_SECONDS;
    sqlx::query(
        "INSERT INTO mfa_challenges (company_id, user_id, token_hash, purpose, created_at, expires_at) \
         VALUES ($1, $2, $3, $4, $5, $6)",
    )
    .bind(user.company_id)
    .bind(user.id)
    .bind(secret::token_digest(&token))
    .bind(purpose.as_str())
    .bind(stamp)
    .bind(expires_at)
    .execute(&mut **tx)
    .await?;
    audit::record(
        tx,
        Who {
            user_id: Some(user.id),
            origin,
        },
        Event {
            company_id: user.company_id,
            action: AuditAction::LoginMfaChallenged,
            target: Some(("user", user.id)),
            details: json!({"purpose": purpose.as_str()}),
        },
    )
    .await?;
    Ok(MfaChallenge {
        mfa_required: true,
        mfa_enrolment_required: purpose == Purpose::Enrol,
        mfa_token: token.into(),
        expires_at: crate::time::rfc3339(expires_at),
    })
}

/// The user and company behind a live challenge of `purpose`.
async fn open(tx: &mut Tx, token: &str, purpose: Purpose) -> Result<(UserRecord, Company)> {
    let invalid = || Error::Unauthenticated {
        code: code::INVALID_MFA_TOKEN,
        message: "the MFA token is wrong, expired or already used; sign in again".into(),
    };
    if !token.starts_with(secret::MFA_TOKEN_PREFIX) {
        return Err(invalid());
    }
    let owner: Option<(i64, i64)> = sqlx::query_as(
        "SELECT company_id, user_id FROM mfa_challenges \
         WHERE token_hash = $1 AND purpose = $2 AND expires_at > $3",
    )
    .bind(secret::token_digest(token))
    .bind(purpose.as_str())
    .bind(now())
    .fetch_optional(&mut **tx)
    .await?;
    let (company_id, user_id) = owner.ok_or_else(invalid)?;
    let user = crate::people::service::load(tx, company_id, user_id)
        .await?
        .ok_or_else(invalid)?;
    ensure_active(&user)?;
    let company = crate::company::load(&mut **tx, company_id).await?;
    Ok((user, company))
}

/// Ends a challenge once it has opened its session.
async fn close(tx: &mut Tx, token: &str) -> Result<()> {
    sqlx::query("DELETE FROM mfa_challenges WHERE token_hash = $1")
        .bind(secret::token_digest(token))
        .execute(&mut **tx)
        .await?;
    Ok(())
}

fn subject_of(user: &UserRecord, origin: Origin) -> Subject {
    Subject {
        company_id: user.company_id,
        user_id: user.id,
        origin,
    }
}

/// A bad second factor at sign-in: a 401, like a wrong password.
fn wrong_at_sign_in(field: &'static str) -> Error {
    Error::Unauthenticated {
        code: code::INVALID_MFA_CODE,
        message: format!("the {field} is wrong, expired or already used").into(),
    }
}

/// The second factor sent beside the password, for a sign-in that has no second step
/// (WhosOff's authenticate): nothing when the user needs none; a current code or a
/// recovery code (`given`) when the user has MFA, refused with `mfa_required` without one;
/// and `mfa_enrolment_required` when MFA is demanded of a user who has none yet (they
/// enrol by signing in to Rota). A good proof is spent inside `tx`, which is handed back
/// with how the user proved it; a bad one is counted, as at every sign-in.
pub(crate) async fn prove_inline(
    mut tx: Tx,
    key: Option<&SecretKey>,
    user: &UserRecord,
    settings: &crate::company::CompanySettings,
    origin: Origin,
    given: Option<&Secret>,
) -> Result<(Tx, Option<&'static str>)> {
    match super::sign_in_requirement(&mut tx, user, settings, key.is_some()).await? {
        None => Ok((tx, None)),
        Some(Purpose::Enrol) => Err(Error::Unauthenticated {
            code: code::MFA_ENROLMENT_REQUIRED,
            message: "MFA is demanded of this user, who has not enrolled yet: sign in to Rota once to enrol".into(),
        }),
        Some(Purpose::Verify) => {
            let Some(given) = given.map(|g| g.expose().trim()) else {
                return Err(Error::Unauthenticated {
                    code: code::MFA_REQUIRED,
                    message: "this user signs in with a second factor: send the current code from the authenticator app, or a recovery code, with the password".into(),
                });
            };
            let proof = if super::totp::well_formed(given) {
                Proof::Code(given)
            } else {
                Proof::RecoveryCode(given)
            };
            let subject = subject_of(user, origin);
            let factor = confirmed_factor(&mut tx, &subject).await?;
            let (tx, proved_by) = prove(tx, key, &subject, &factor, proof, wrong_at_sign_in).await?;
            Ok((tx, Some(proved_by)))
        }
    }
}

/// Completes a sign-in with a code or a recovery code, and opens the session.
pub async fn verify(
    db: &Db,
    key: Option<&SecretKey>,
    request: &VerifyRequest,
    device: Option<&str>,
    origin: Origin,
) -> Result<Session> {
    let proof = match one_of(
        ("code", request.code.as_deref()),
        (
            "recovery_code",
            request.recovery_code.as_ref().map(Secret::expose),
        ),
    )? {
        ("code", code) => Proof::Code(super::parse_code("code", code)?),
        (_, recovery_code) => Proof::RecoveryCode(recovery_code),
    };
    let mut tx = db.begin_write().await?;
    let (user, company) = open(&mut tx, request.mfa_token.expose(), Purpose::Verify).await?;
    let subject = subject_of(&user, origin);
    let factor = confirmed_factor(&mut tx, &subject).await?;
    let (mut tx, proved_by) = prove(tx, key, &subject, &factor, proof, wrong_at_sign_in).await?;
    close(&mut tx, request.mfa_token.expose()).await?;
    let session = open_session(
        &mut tx,
        &user,
        &company.settings,
        now(),
        device,
        origin,
        json!({"mfa": proved_by}),
    )
    .await?;
    tx.commit().await?;
    Ok(session)
}

/// Whose enrolment an enrolment challenge's token stands for.
pub async fn enrolling(db: &Db, token: &str, origin: Origin) -> Result<Subject> {
    let mut tx = db.pool().begin().await?;
    let (user, _) = open(&mut tx, token, Purpose::Enrol).await?;
    tx.commit().await?;
    Ok(subject_of(&user, origin))
}

/// Confirms the enrolment an enrolment challenge demanded and opens the session.
pub async fn confirm_enrolment(
    db: &Db,
    key: Option<&SecretKey>,
    token: &str,
    request: &CodeRequest,
    device: Option<&str>,
    origin: Origin,
) -> Result<MfaConfirmed> {
    let mut tx = db.begin_write().await?;
    let (user, company) = open(&mut tx, token, Purpose::Enrol).await?;
    let subject = subject_of(&user, origin);
    let (mut tx, codes) = confirm_in(tx, key, &subject, request).await?;
    close(&mut tx, token).await?;
    let session = open_session(
        &mut tx,
        &user,
        &company.settings,
        now(),
        device,
        origin,
        json!({"mfa": "enrolled"}),
    )
    .await?;
    tx.commit().await?;
    Ok(MfaConfirmed {
        recovery_codes: codes.recovery_codes,
        session: Some(session),
    })
}
