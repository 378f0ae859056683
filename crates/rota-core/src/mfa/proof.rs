//! Checking a second factor: the one path every code, recovery code and password takes.
//! A TOTP code counts for one step of drift and only for a step later than the last one
//! accepted, so no code works twice; a recovery code works once; five bad proofs within
//! 15 minutes lock the factor for 15 minutes. Bad proofs are counted in the database, so
//! every process shares the count, and each is in the audit log.

use serde_json::json;

use super::{Factor, Subject, seed_context, totp, unavailable};
use crate::access::audit::AuditAction;
use crate::access::audit::{self, Event};
use crate::db::{Tx, now};
use crate::error::{Error, Result, code};
use crate::sealing::SecretKey;
use crate::secret;

/// Bad proofs within [`FAILURE_WINDOW_SECONDS`] that lock the factor.
const LOCK_THRESHOLD: i64 = 5;
const FAILURE_WINDOW_SECONDS: i64 = 15 * 60;
const LOCK_SECONDS: i64 = 15 * 60;

/// What a user offers as a second factor.
#[derive(Debug, Clone, Copy)]
pub(super) enum Proof<'a> {
    Code(&'a str),
    RecoveryCode(&'a str),
    Password(&'a str),
}

impl Proof<'_> {
    /// The request field it came in, named in errors and the audit log.
    fn field(&self) -> &'static str {
        match self {
            Proof::Code(_) => "code",
            Proof::RecoveryCode(_) => "recovery_code",
            Proof::Password(_) => "password",
        }
    }
}

/// A six-digit code, or a 422 naming `field`.
pub(super) fn parse_code<'a>(field: &'static str, code: &'a str) -> Result<&'a str> {
    if totp::well_formed(code) {
        Ok(code)
    } else {
        Err(Error::invalid(field, format!("{field} must be six digits")))
    }
}

/// Exactly one of two optional fields, or a 422 naming the first.
pub(super) fn one_of<'a>(
    (first, a): (&'static str, Option<&'a str>),
    (second, b): (&'static str, Option<&'a str>),
) -> Result<(&'static str, &'a str)> {
    match (a, b) {
        (Some(value), None) => Ok((first, value)),
        (None, Some(value)) => Ok((second, value)),
        _ => Err(Error::invalid(
            first,
            format!("send exactly one of {first} and {second}"),
        )),
    }
}

/// Checks `proof` against `factor` inside `tx`. A good proof is spent (its step recorded,
/// or its recovery code used up), the bad-proof count cleared, and `tx` handed back for
/// the caller's change, with how the user proved it. A bad proof is counted and audited,
/// locking the factor at the threshold, committed, and answered with `wrong(field)`.
pub(super) async fn prove(
    mut tx: Tx,
    key: Option<&SecretKey>,
    subject: &Subject,
    factor: &Factor,
    proof: Proof<'_>,
    wrong: fn(&'static str) -> Error,
) -> Result<(Tx, &'static str)> {
    let stamp = now();
    if let Some(until) = factor.locked_until.filter(|until| stamp < *until) {
        return Err(Error::Forbidden {
            code: code::MFA_LOCKED,
            message: format!(
                "too many bad codes: MFA verification is locked until {}",
                crate::time::rfc3339(until)
            )
            .into(),
        });
    }
    let outcome = match proof {
        Proof::Code(code) => {
            let seed = key.ok_or_else(unavailable)?.open(
                &seed_context(subject.company_id, subject.user_id),
                &factor.sealed_seed,
            )?;
            spend_step(
                &mut tx,
                subject,
                totp::accepted_step(&seed, code, stamp, factor.last_used_step)?,
            )
            .await?
        }
        Proof::RecoveryCode(presented) => spend_recovery_code(&mut tx, subject, presented).await?,
        Proof::Password(password) => {
            let hash: Option<String> = sqlx::query_scalar(
                "SELECT password_hash FROM users WHERE company_id = $1 AND id = $2",
            )
            .bind(subject.company_id)
            .bind(subject.user_id)
            .fetch_one(&mut *tx)
            .await?;
            let hash = hash.unwrap_or_else(|| secret::DECOY_HASH.clone());
            if secret::verify_password(password, &hash).await? {
                Ok(())
            } else {
                Err("wrong_password")
            }
        }
    };
    match outcome {
        Ok(()) => {
            sqlx::query(
                "UPDATE mfa_factors SET failures = 0, first_failure_at = NULL \
                 WHERE company_id = $1 AND user_id = $2",
            )
            .bind(subject.company_id)
            .bind(subject.user_id)
            .execute(&mut *tx)
            .await?;
            Ok((tx, proof.field()))
        }
        Err(reason) => {
            record_failure(&mut tx, subject, proof.field(), reason, stamp).await?;
            tx.commit().await?;
            Err(wrong(proof.field()))
        }
    }
}

/// Records `step` as the last one used, unless it is not later than the one stored (a
/// code replayed, perhaps by a concurrent request): the update itself decides.
async fn spend_step(
    tx: &mut Tx,
    subject: &Subject,
    step: Option<i64>,
) -> Result<Result<(), &'static str>> {
    let Some(step) = step else {
        return Ok(Err("wrong_or_used_code"));
    };
    let spent = sqlx::query(
        "UPDATE mfa_factors SET last_used_step = $1 \
         WHERE company_id = $2 AND user_id = $3 AND last_used_step < $1",
    )
    .bind(step)
    .bind(subject.company_id)
    .bind(subject.user_id)
    .execute(&mut **tx)
    .await?
    .rows_affected();
    Ok(if spent == 1 {
        Ok(())
    } else {
        Err("wrong_or_used_code")
    })
}

/// Uses up the recovery code `presented` matches, comparing digests in constant time.
async fn spend_recovery_code(
    tx: &mut Tx,
    subject: &Subject,
    presented: &str,
) -> Result<Result<(), &'static str>> {
    let unused: Vec<(i64, String)> = sqlx::query_as(
        "SELECT id, code_hash FROM mfa_recovery_codes \
         WHERE company_id = $1 AND user_id = $2 AND used_at IS NULL",
    )
    .bind(subject.company_id)
    .bind(subject.user_id)
    .fetch_all(&mut **tx)
    .await?;
    let matched = unused.iter().fold(None, |found, (id, digest)| {
        let matches = secret::digest_matches(presented.trim(), digest);
        found.or(matches.then_some(*id))
    });
    let Some(id) = matched else {
        return Ok(Err("wrong_or_used_recovery_code"));
    };
    let spent = sqlx::query(
        "UPDATE mfa_recovery_codes SET used_at = $1 WHERE company_id = $2 AND id = $3 AND used_at IS NULL",
    )
    .bind(now())
    .bind(subject.company_id)
    .bind(id)
    .execute(&mut **tx)
    .await?
    .rows_affected();
    Ok(if spent == 1 {
        Ok(())
    } else {
        Err("wrong_or_used_recovery_code")
    })
}

/// Counts a bad proof (in the database, so every process shares the count), audits it,
/// and locks the factor when the count reaches the threshold within the window.
async fn record_failure(
    tx: &mut Tx,
    subject: &Subject,
    field: &str,
    reason: &str,
    stamp: i64,
) -> Result<()> {
    let window_start = stamp - FAILURE_WINDOW_SECONDS;
    let failures: i64 = sqlx::query_scalar(
        "UPDATE mfa_factors SET \
         failures = CASE WHEN first_failure_at > $1 THEN failures + 1 ELSE 1 END, \
         first_failure_at = CASE WHEN first_failure_at > $1 THEN first_failure_at ELSE $2 END \
         WHERE company_id = $3 AND user_id = $4 RETURNING failures",
    )
    .bind(window_start)
    .bind(stamp)
    .bind(subject.company_id)
    .bind(subject.user_id)
    .fetch_one(&mut **tx)
    .await?;
    let event = |action, details| Event {
        company_id: subject.company_id,
        action,
        target: Some(("user", subject.user_id)),
        details,
    };
    audit::record(
        tx,
        subject.who(),
        event(
            AuditAction::MfaFailed,
            json!({"proof": field, "reason": reason, "failures": failures}),
        ),
    )
    .await?;
    if failures >= LOCK_THRESHOLD {
        let until = stamp + LOCK_SECONDS;
        sqlx::query(
            "UPDATE mfa_factors SET locked_until = $1, failures = 0, first_failure_at = NULL \
             WHERE company_id = $2 AND user_id = $3",
        )
        .bind(until)
        .bind(subject.company_id)
        .bind(subject.user_id)
        .execute(&mut **tx)
        .await?;
        audit::record(
            tx,
            subject.who(),
            event(
                AuditAction::MfaLocked,
                json!({"failures": failures, "until": crate::time::rfc3339(until)}),
            ),
        )
        .await?;
        tracing::warn!(
            company.id = subject.company_id,
            user.id = subject.user_id,
            "MFA locked after bad codes"
        );
    }
    Ok(())
}
