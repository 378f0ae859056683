//! Multi-factor authentication: TOTP (RFC 6238) with single-use recovery codes.
//!
//! The life of a factor: `enrol` makes a seed (sealed at rest, see [`crate::sealing`]) and shows it
//! once as base32, an `otpauth://` URI and a QR code; `confirm` with a first good code
//! switches it on and hands out ten recovery codes, once; from then on a sign-in needs a
//! code (see [`challenge`]). The user may `disable` it with a code or their password, or
//! `regenerate_recovery_codes` with a code; a super user may `reset` someone else's.
//!
//! The rules every proof goes through, in `proof`: a TOTP code is accepted for one
//! step of drift and only for a step later than the last one accepted, so no code works
//! twice; a recovery code works once; five bad proofs within 15 minutes lock the factor
//! for 15 minutes. Every change and every bad proof is in the audit log.

pub mod challenge;
mod proof;
pub mod qr;
pub mod totp;

use serde::{Deserialize, Serialize};
use serde_json::json;
use sqlx::FromRow;
use utoipa::ToSchema;

use crate::access::Origin;
use crate::access::audit::AuditAction;
use crate::access::audit::{self, Event, Who};
use crate::db::{Db, Tx, now};
use crate::error::{Error, Result, code};
use crate::people::record::UserRecord;
use crate::policy::{Action, Actor};
use crate::secret::{self, Secret};

use crate::sealing::SecretKey;
use proof::{Proof, one_of, parse_code, prove};

/// What a sealed TOTP seed is bound to: its user, so it opens on no other.
fn seed_context(company_id: i64, user_id: i64) -> String {
    format!("rota-totp-seed:{company_id}:{user_id}")
}

/// Recovery codes handed out at a time.
const RECOVERY_CODES: usize = 10;

/// Whose factor an operation is about, and where the request came from.
#[derive(Debug, Clone, Copy)]
pub struct Subject {
    pub company_id: i64,
    pub user_id: i64,
    pub origin: Origin,
}

impl From<&Actor> for Subject {
    fn from(actor: &Actor) -> Self {
        Self {
            company_id: actor.company_id,
            user_id: actor.user_id,
            origin: actor.origin,
        }
    }
}

impl Subject {
    fn who(&self) -> Who {
        Who {
            user_id: Some(self.user_id),
            origin: self.origin,
        }
    }
}

/// A user's MFA as `GET /auth/mfa` shows it.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct MfaStatus {
    /// Whether sign-ins need a code.
    pub enabled: bool,
    /// Whether an enrolment waits for its first code.
    pub enrolment_pending: bool,
    /// RFC 3339, when MFA was switched on.
    pub enabled_at: Option<String>,
    /// Unused recovery codes.
    pub recovery_codes_left: i64,
    /// RFC 3339, while bad codes keep verification locked.
    pub locked_until: Option<String>,
    /// Whether MFA is demanded: of everyone by the company (`settings.force_mfa`) or of
    /// this user (the user's `force_mfa`, WhosOff's `forceMFA`). Then it cannot be
    /// switched off, and a sign-in without it enrols first.
    pub required: bool,
}

/// A started enrolment: the seed, shown this once, for the authenticator app.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct MfaEnrolment {
    /// The seed in base32, to type into the app by hand.
    #[schema(value_type = String)]
    pub secret: secret::Issued,
    /// `otpauth://totp/Rota:<e-mail>?secret=…&issuer=Rota`: SHA-1, 6 digits, 30 seconds.
    #[schema(value_type = String)]
    pub otpauth_uri: secret::Issued,
    /// The same URI as a QR code, an SVG document.
    #[schema(value_type = String)]
    pub qr_code_svg: secret::Issued,
}

/// Fresh recovery codes, shown this once; each works once in place of a code.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct RecoveryCodes {
    #[schema(value_type = Vec<String>)]
    pub recovery_codes: Vec<secret::Issued>,
}

/// A current code from the authenticator app.
#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CodeRequest {
    /// Six digits.
    #[schema(value_type = crate::openapi::MfaCode)]
    pub code: String,
}

/// Proof for switching MFA off: a current code or the password, exactly one.
#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct DisableRequest {
    #[schema(value_type = Option<crate::openapi::MfaCode>)]
    pub code: Option<String>,
    #[schema(value_type = Option<String>, format = Password)]
    pub password: Option<crate::secret::Secret>,
}

fn unavailable() -> Error {
    Error::conflict(
        code::MFA_UNAVAILABLE,
        None,
        "MFA needs a secret key in the server's configuration (--secret-key or ROTA_SECRET_KEY)",
    )
}

fn not_enabled() -> Error {
    Error::conflict(code::MFA_NOT_ENABLED, None, "MFA is not switched on")
}

#[derive(FromRow)]
struct Factor {
    sealed_seed: String,
    confirmed_at: Option<i64>,
    last_used_step: i64,
    locked_until: Option<i64>,
}

async fn load_factor(tx: &mut Tx, company_id: i64, user_id: i64) -> Result<Option<Factor>> {
    Ok(sqlx::query_as(
        "SELECT sealed_seed, confirmed_at, last_used_step, locked_until FROM mfa_factors \
         WHERE company_id = $1 AND user_id = $2",
    )
    .bind(company_id)
    .bind(user_id)
    .fetch_optional(&mut **tx)
    .await?)
}

/// The confirmed factor of the subject, or `mfa_not_enabled`.
async fn confirmed_factor(tx: &mut Tx, subject: &Subject) -> Result<Factor> {
    load_factor(tx, subject.company_id, subject.user_id)
        .await?
        .filter(|factor| factor.confirmed_at.is_some())
        .ok_or_else(not_enabled)
}

/// Whether MFA is demanded of a user: by the company's setting or the user's own flag.
fn demanded(settings: &crate::company::CompanySettings, user_force_mfa: i64) -> bool {
    settings.force_mfa || crate::db::flag(user_force_mfa)
}

/// Whether MFA is demanded of the subject, read inside `tx`.
async fn demanded_of(tx: &mut Tx, company_id: i64, user_id: i64) -> Result<bool> {
    let company = crate::company::load(&mut **tx, company_id).await?;
    let user_force_mfa: i64 =
        sqlx::query_scalar("SELECT force_mfa FROM users WHERE company_id = $1 AND id = $2")
            .bind(company_id)
            .bind(user_id)
            .fetch_one(&mut **tx)
            .await?;
    Ok(demanded(&company.settings, user_force_mfa))
}

/// What a correct password still needs before a session: a code (`Verify`), a first
/// enrolment because MFA is demanded of the user (`Enrol`), or nothing. Where enrolment
/// is unavailable (no secret key), demanded MFA is waived, with a warning, rather than
/// locking out everyone who has none.
pub(crate) async fn sign_in_requirement(
    tx: &mut Tx,
    user: &UserRecord,
    settings: &crate::company::CompanySettings,
    enrolment_available: bool,
) -> Result<Option<challenge::Purpose>> {
    let factor = load_factor(tx, user.company_id, user.id).await?;
    if factor.is_some_and(|f| f.confirmed_at.is_some()) {
        return Ok(Some(challenge::Purpose::Verify));
    }
    if !demanded(settings, user.force_mfa) {
        return Ok(None);
    }
    if !enrolment_available {
        tracing::warn!(
            company.id = user.company_id,
            user.id = user.id,
            "MFA is demanded but the server has no secret key to enrol with: signing in without it"
        );
        return Ok(None);
    }
    Ok(Some(challenge::Purpose::Enrol))
}

/// Replaces the subject's recovery codes with ten fresh ones, returned in clear once.
async fn new_recovery_codes(tx: &mut Tx, subject: &Subject) -> Result<RecoveryCodes> {
    sqlx::query("DELETE FROM mfa_recovery_codes WHERE company_id = $1 AND user_id = $2")
        .bind(subject.company_id)
        .bind(subject.user_id)
        .execute(&mut **tx)
        .await?;
    let mut codes = Vec::with_capacity(RECOVERY_CODES);
    for _ in 0..RECOVERY_CODES {
        let code = secret::new_token(secret::RECOVERY_CODE_PREFIX);
        sqlx::query(
            "INSERT INTO mfa_recovery_codes (company_id, user_id, code_hash) VALUES ($1, $2, $3)",
        )
        .bind(subject.company_id)
        .bind(subject.user_id)
        .bind(secret::token_digest(&code))
        .execute(&mut **tx)
        .await?;
        codes.push(code);
    }
    Ok(RecoveryCodes {
        recovery_codes: codes.into_iter().map(secret::Issued::from).collect(),
    })
}

/// Removes a user's factor, recovery codes and open sign-in challenges.
async fn remove(tx: &mut Tx, company_id: i64, user_id: i64) -> Result<bool> {
    for table in ["mfa_recovery_codes", "mfa_challenges"] {
        sqlx::query(sqlx::AssertSqlSafe(format!(
            "DELETE FROM {table} WHERE company_id = $1 AND user_id = $2"
        )))
        .bind(company_id)
        .bind(user_id)
        .execute(&mut **tx)
        .await?;
    }
    let removed = sqlx::query("DELETE FROM mfa_factors WHERE company_id = $1 AND user_id = $2")
        .bind(company_id)
        .bind(user_id)
        .execute(&mut **tx)
        .await?
        .rows_affected();
    Ok(removed > 0)
}

/// A user's MFA state.
pub async fn status(db: &Db, subject: &Subject) -> Result<MfaStatus> {
    let mut tx = db.pool().begin().await?;
    let status = status_in(&mut tx, subject.company_id, subject.user_id).await?;
    tx.commit().await?;
    Ok(status)
}

async fn status_in(tx: &mut Tx, company_id: i64, user_id: i64) -> Result<MfaStatus> {
    let factor = load_factor(tx, company_id, user_id).await?;
    let left: i64 = sqlx::query_scalar(
        "SELECT COUNT(*) FROM mfa_recovery_codes WHERE company_id = $1 AND user_id = $2 AND used_at IS NULL",
    )
    .bind(company_id)
    .bind(user_id)
    .fetch_one(&mut **tx)
    .await?;
    let required = demanded_of(tx, company_id, user_id).await?;
    let stamp = now();
    Ok(MfaStatus {
        enabled: factor.as_ref().is_some_and(|f| f.confirmed_at.is_some()),
        enrolment_pending: factor.as_ref().is_some_and(|f| f.confirmed_at.is_none()),
        enabled_at: factor
            .as_ref()
            .and_then(|f| f.confirmed_at)
            .map(crate::time::rfc3339),
        recovery_codes_left: left,
        locked_until: factor
            .as_ref()
            .and_then(|f| f.locked_until)
            .filter(|until| *until > stamp)
            .map(crate::time::rfc3339),
        required,
    })
}

/// Starts (or restarts) an enrolment with a fresh seed. Refused while MFA is on: a
/// stolen session must not be able to move the factor to another phone.
pub async fn enrol(db: &Db, key: Option<&SecretKey>, subject: &Subject) -> Result<MfaEnrolment> {
    let key = key.ok_or_else(unavailable)?;
    let mut tx = db.begin_write().await?;
    if load_factor(&mut tx, subject.company_id, subject.user_id)
        .await?
        .is_some_and(|f| f.confirmed_at.is_some())
    {
        return Err(Error::conflict(
            code::MFA_ALREADY_ENABLED,
            None,
            "MFA is already on; switch it off first to enrol another device",
        ));
    }
    let email: String =
        sqlx::query_scalar("SELECT email FROM users WHERE company_id = $1 AND id = $2")
            .bind(subject.company_id)
            .bind(subject.user_id)
            .fetch_one(&mut *tx)
            .await?;
    let seed = totp::new_seed();
    sqlx::query("DELETE FROM mfa_factors WHERE company_id = $1 AND user_id = $2")
        .bind(subject.company_id)
        .bind(subject.user_id)
        .execute(&mut *tx)
        .await?;
    sqlx::query(
        "INSERT INTO mfa_factors (company_id, user_id, sealed_seed, last_used_step, failures, created_at) \
         VALUES ($1, $2, $3, -1, 0, $4)",
    )
    .bind(subject.company_id)
    .bind(subject.user_id)
    .bind(key.seal(&seed_context(subject.company_id, subject.user_id), &seed)?)
    .bind(now())
    .execute(&mut *tx)
    .await?;
    audit::record(
        &mut tx,
        subject.who(),
        Event {
            company_id: subject.company_id,
            action: AuditAction::MfaEnrolmentStarted,
            target: Some(("user", subject.user_id)),
            details: json!({}),
        },
    )
    .await?;
    let otpauth_uri = totp::otpauth_uri(&seed, &email)?;
    let enrolment = MfaEnrolment {
        secret: totp::base32(&seed).into(),
        qr_code_svg: qr::svg(&otpauth_uri)?.into(),
        otpauth_uri: otpauth_uri.into(),
    };
    tx.commit().await?;
    Ok(enrolment)
}

/// Switches MFA on with the first good code and returns the recovery codes.
pub async fn confirm(
    db: &Db,
    key: Option<&SecretKey>,
    subject: &Subject,
    request: &CodeRequest,
) -> Result<challenge::MfaConfirmed> {
    let (tx, codes) = confirm_in(db.begin_write().await?, key, subject, request).await?;
    tx.commit().await?;
    Ok(challenge::MfaConfirmed {
        recovery_codes: codes.recovery_codes,
        session: None,
    })
}

/// [`confirm`] inside `tx`, which is handed back for the caller to commit.
async fn confirm_in(
    mut tx: Tx,
    key: Option<&SecretKey>,
    subject: &Subject,
    request: &CodeRequest,
) -> Result<(Tx, RecoveryCodes)> {
    let code = parse_code("code", &request.code)?;
    let factor = match load_factor(&mut tx, subject.company_id, subject.user_id).await? {
        None => {
            return Err(Error::conflict(
                code::MFA_NOT_ENABLED,
                None,
                "no enrolment to confirm: start one with POST /auth/mfa/enrol",
            ));
        }
        Some(factor) if factor.confirmed_at.is_some() => {
            return Err(Error::conflict(
                code::MFA_ALREADY_ENABLED,
                None,
                "MFA is already on",
            ));
        }
        Some(factor) => factor,
    };
    let (mut tx, _) = prove(tx, key, subject, &factor, Proof::Code(code), wrong_code).await?;
    sqlx::query("UPDATE mfa_factors SET confirmed_at = $1 WHERE company_id = $2 AND user_id = $3")
        .bind(now())
        .bind(subject.company_id)
        .bind(subject.user_id)
        .execute(&mut *tx)
        .await?;
    let codes = new_recovery_codes(&mut tx, subject).await?;
    audit::record(
        &mut tx,
        subject.who(),
        Event {
            company_id: subject.company_id,
            action: AuditAction::MfaEnabled,
            target: Some(("user", subject.user_id)),
            details: json!({"method": "totp"}),
        },
    )
    .await?;
    Ok((tx, codes))
}

/// A bad proof from a signed-in user: a 422 on the field.
fn wrong_code(field: &'static str) -> Error {
    Error::Invalid {
        code: code::INVALID_MFA_CODE,
        message: format!("the {field} is wrong, expired or already used").into(),
        field: Some(field.into()),
    }
}

/// Switches MFA off with a current code or the password; refused while MFA is demanded.
pub async fn disable(
    db: &Db,
    key: Option<&SecretKey>,
    subject: &Subject,
    request: &DisableRequest,
) -> Result<MfaStatus> {
    let proof = match one_of(
        ("code", request.code.as_deref()),
        ("password", request.password.as_ref().map(Secret::expose)),
    )? {
        ("code", code) => Proof::Code(parse_code("code", code)?),
        (_, password) => Proof::Password(password),
    };
    let mut tx = db.begin_write().await?;
    let factor = confirmed_factor(&mut tx, subject).await?;
    if demanded_of(&mut tx, subject.company_id, subject.user_id).await? {
        return Err(Error::conflict(
            code::MFA_REQUIRED,
            None,
            "MFA is demanded (by the company or for this user); a super user can reset it for a new device",
        ));
    }
    let (mut tx, proved_by) = prove(tx, key, subject, &factor, proof, wrong_code).await?;
    remove(&mut tx, subject.company_id, subject.user_id).await?;
    audit::record(
        &mut tx,
        subject.who(),
        Event {
            company_id: subject.company_id,
            action: AuditAction::MfaDisabled,
            target: Some(("user", subject.user_id)),
            details: json!({"proof": proved_by}),
        },
    )
    .await?;
    let status = status_in(&mut tx, subject.company_id, subject.user_id).await?;
    tx.commit().await?;
    Ok(status)
}

/// Replaces the recovery codes, with a current code as proof.
pub async fn regenerate_recovery_codes(
    db: &Db,
    key: Option<&SecretKey>,
    subject: &Subject,
    request: &CodeRequest,
) -> Result<RecoveryCodes> {
    let code = parse_code("code", &request.code)?;
    let mut tx = db.begin_write().await?;
    let factor = confirmed_factor(&mut tx, subject).await?;
    let (mut tx, _) = prove(tx, key, subject, &factor, Proof::Code(code), wrong_code).await?;
    let codes = new_recovery_codes(&mut tx, subject).await?;
    audit::record(
        &mut tx,
        subject.who(),
        Event {
            company_id: subject.company_id,
            action: AuditAction::MfaRecoveryCodesRegenerated,
            target: Some(("user", subject.user_id)),
            details: json!({}),
        },
    )
    .await?;
    tx.commit().await?;
    Ok(codes)
}

/// A super user switches off another user's MFA (a lost phone); the user signs in with
/// the password alone, or enrols afresh where MFA is demanded of them.
pub async fn reset(db: &Db, actor: &Actor, user_id: i64) -> Result<MfaStatus> {
    let company = crate::company::load(db.pool(), actor.company_id).await?;
    let mut tx = db.begin_write().await?;
    let user =
        crate::people::service::load_for(&mut tx, actor, &company, user_id, Action::ResetMfa)
            .await?;
    let had_factor = remove(&mut tx, user.company_id, user.id).await?;
    audit::record_by(
        &mut tx,
        actor,
        AuditAction::MfaReset,
        Some(("user", user.id)),
        json!({"had_factor": had_factor}),
    )
    .await?;
    let status = status_in(&mut tx, user.company_id, user.id).await?;
    tx.commit().await?;
    Ok(status)
}

/// Switches off a user's MFA by e-mail, for operators (`rota admin reset-mfa`): the way
/// back for an owner who lost both device and recovery codes, whom nobody else may reset.
pub async fn reset_by_email(db: &Db, company_id: i64, email: &str) -> Result<i64> {
    let mut tx = db.begin_write().await?;
    let user_id = crate::auth::user_id_by_email(&mut tx, company_id, email).await?;
    remove(&mut tx, company_id, user_id).await?;
    crate::auth::operator_event(&mut tx, company_id, user_id, AuditAction::MfaReset).await?;
    tx.commit().await?;
    Ok(user_id)
}
