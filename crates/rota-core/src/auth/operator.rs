//! What operators do to people from the command line (`rota admin`), recorded without a
//! user or an address.

use serde_json::json;

use crate::access::audit::AuditAction;
use crate::access::audit::{self, Event, Who};
use crate::company;
use crate::db::{Db, Tx, now};
use crate::error::{Error, Result};
use crate::secret;

use super::sign_in::{clear_lock, end_sessions};

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
