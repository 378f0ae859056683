//! Session tokens back into actors, and signing out.

use sqlx::FromRow;

use crate::access::Origin;
use crate::company;
use crate::db::{Db, now};
use crate::error::{Error, Result};
use crate::people::types::{UserStatus, UserType};
use crate::policy::Actor;
use crate::secret;

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
