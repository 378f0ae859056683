//! Links mailed to a person to set their own password, each a single-use token stored as
//! its digest (as sessions are) in `password_links`:
//!
//! - an **invitation**, for someone created without a password (who waits, `pending`, until
//!   then): sent when they are created and again on request, good for seven days;
//!   accepting it sets the password, makes the account active and signs them in;
//! - a **reset**, asked for by e-mail address on the sign-in page: good for one hour;
//!   using it sets a new password, lifts any lock and ends every session. Asking answers
//!   the same whether the address is known or not, so nobody learns who has an account.
//!
//! Asking again replaces the unused link of the same purpose. A link is spent by one
//! `UPDATE … WHERE used_at IS NULL`, so two uses racing each other find one winner. The
//! messages link to the web app's pages (`/invitation/{token}`, `/reset-password/{token}`)
//! through [`crate::mail::link`].

use serde::{Deserialize, Serialize};
use serde_json::json;
use sqlx::{AssertSqlSafe, FromRow};
use utoipa::ToSchema;

use super::{Session, clear_lock, end_sessions, open_session};
use crate::access::Origin;
use crate::access::audit::{self, AuditAction, Event, Who};
use crate::company::{self, Company};
use crate::db::{Db, Tx, now};
use crate::error::{Error, Result, code};
use crate::locks::{self, Owner};
use crate::mail;
use crate::people::record::{SELECT, UserRecord};
use crate::people::types::UserStatus;
use crate::policy::{Action, Actor};
use crate::secret::{self, Secret};

/// What a link is for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Purpose {
    Invitation,
    Reset,
}

impl Purpose {
    fn as_str(self) -> &'static str {
        match self {
            Purpose::Invitation => "invitation",
            Purpose::Reset => "reset",
        }
    }

    /// How long a link of this purpose works.
    pub const fn lifetime_seconds(self) -> i64 {
        match self {
            Purpose::Invitation => 7 * 24 * 3600,
            Purpose::Reset => 3600,
        }
    }

    fn prefix(self) -> &'static str {
        match self {
            Purpose::Invitation => secret::INVITATION_PREFIX,
            Purpose::Reset => secret::RESET_PREFIX,
        }
    }

    /// The web app's page a link of this purpose opens.
    fn page(self) -> &'static str {
        match self {
            Purpose::Invitation => "/invitation/",
            Purpose::Reset => "/reset-password/",
        }
    }
}

/// Whether a stored link may still be used at `stamp`: not used, not expired.
fn usable(expires_at: i64, used_at: Option<i64>, stamp: i64) -> Result<()> {
    if used_at.is_some() {
        return Err(Error::Invalid {
            code: code::LINK_USED,
            message: "this link was used already: each works once".into(),
            field: Some("token".into()),
        });
    }
    if stamp >= expires_at {
        return Err(Error::Invalid {
            code: code::LINK_EXPIRED,
            message: "this link has expired: ask for a new one".into(),
            field: Some("token".into()),
        });
    }
    Ok(())
}

fn unknown() -> Error {
    Error::Invalid {
        code: code::INVALID_LINK,
        message: "this link is not one Rota sent, or a newer one replaced it".into(),
        field: Some("token".into()),
    }
}

/// An invitation sent.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct InvitationSent {
    pub user_id: i64,
    /// RFC 3339: the link works until then, once.
    pub expires_at: String,
}

/// A token from a mailed link and the password it sets.
#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct SetPassword {
    /// The token at the end of the mailed link (`rota_inv_…` or `rota_pw_…`).
    #[schema(value_type = String)]
    pub token: Secret,
    /// The new password, within the company's password rules.
    #[schema(value_type = String, format = Password)]
    pub password: Secret,
}

/// An address to mail a password-reset link to.
#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ForgotPassword {
    #[schema(value_type = crate::openapi::Email)]
    pub email: String,
}

/// Whom a live link is for, as its page greets them.
#[derive(Debug, Clone)]
pub struct LinkHolder {
    pub first_name: String,
    pub email: String,
    pub company_name: String,
}

/// Makes a link of `purpose` for `user` inside `tx`, replacing an unused one, and queues
/// its message; returns when it expires. The user is locked first, so that of two links
/// made at once the later replaces the earlier: one works.
async fn issue(
    tx: &mut Tx,
    company: &Company,
    user: &UserRecord,
    purpose: Purpose,
    stamp: i64,
) -> Result<i64> {
    locks::lock(tx, user.company_id, [Owner::User(user.id)]).await?;
    sqlx::query(
        "DELETE FROM password_links WHERE company_id = $1 AND user_id = $2 AND purpose = $3 AND used_at IS NULL",
    )
    .bind(user.company_id)
    .bind(user.id)
    .bind(purpose.as_str())
    .execute(&mut **tx)
    .await?;
    let token = secret::new_token(purpose.prefix());
    let expires_at = stamp + purpose.lifetime_seconds();
    sqlx::query(
        "INSERT INTO password_links (company_id, user_id, purpose, token_hash, created_at, expires_at) \
         VALUES ($1, $2, $3, $4, $5, $6)",
    )
    .bind(user.company_id)
    .bind(user.id)
    .bind(purpose.as_str())
    .bind(secret::token_digest(&token))
    .bind(stamp)
    .bind(expires_at)
    .execute(&mut **tx)
    .await?;
    let link = mail::link(&format!("{}{token}", purpose.page()));
    let message = mail::account::message(purpose, &company.name, user, &link, expires_at);
    mail::enqueue_secret(tx, user.company_id, &message).await?;
    Ok(expires_at)
}

/// Sends `user`, just created without a password inside `tx`, their invitation.
pub(crate) async fn invite_new(
    tx: &mut Tx,
    actor: &Actor,
    company: &Company,
    user: &UserRecord,
) -> Result<()> {
    let expires_at = issue(tx, company, user, Purpose::Invitation, now()).await?;
    audit::record_by(
        tx,
        actor,
        AuditAction::UserInvited,
        Some(("user", user.id)),
        json!({"expires_at": crate::time::rfc3339(expires_at)}),
    )
    .await
}

/// Sends (again) the invitation of a user who has no password yet; a newer one replaces
/// the last.
pub async fn invite(db: &Db, actor: &Actor, user_id: i64) -> Result<InvitationSent> {
    let company = company::load(db.pool(), actor.company_id).await?;
    let mut tx = db.begin_write().await?;
    let user =
        crate::people::service::load_for(&mut tx, actor, &company, user_id, Action::InviteUser)
            .await?;
    if user.password_hash.is_some() {
        return Err(Error::conflict(
            code::ALREADY_HAS_PASSWORD,
            None,
            "this user has a password already: they can reset it from the sign-in page",
        ));
    }
    if user.status()? == UserStatus::Archived {
        return Err(Error::Forbidden {
            code: code::ACCOUNT_ARCHIVED,
            message: "this account is archived: restore it first".into(),
        });
    }
    let expires_at = issue(&mut tx, &company, &user, Purpose::Invitation, now()).await?;
    audit::record_by(
        &mut tx,
        actor,
        AuditAction::UserInvited,
        Some(("user", user.id)),
        json!({"expires_at": crate::time::rfc3339(expires_at), "again": true}),
    )
    .await?;
    tx.commit().await?;
    Ok(InvitationSent {
        user_id: user.id,
        expires_at: crate::time::rfc3339(expires_at),
    })
}

#[derive(FromRow)]
struct LinkRow {
    id: i64,
    company_id: i64,
    user_id: i64,
    expires_at: i64,
    used_at: Option<i64>,
}

/// The live link of `purpose` whose token is `token`, with its user and company.
async fn find(
    conn: &mut sqlx::AnyConnection,
    token: &str,
    purpose: Purpose,
    stamp: i64,
) -> Result<(LinkRow, UserRecord, Company)> {
    if !token.starts_with(purpose.prefix()) {
        return Err(unknown());
    }
    let row: LinkRow = sqlx::query_as(
        "SELECT id, company_id, user_id, expires_at, used_at FROM password_links \
         WHERE token_hash = $1 AND purpose = $2",
    )
    .bind(secret::token_digest(token))
    .bind(purpose.as_str())
    .fetch_optional(&mut *conn)
    .await?
    .ok_or_else(unknown)?;
    usable(row.expires_at, row.used_at, stamp)?;
    let user: UserRecord = sqlx::query_as(AssertSqlSafe(format!(
        "{SELECT} WHERE company_id = $1 AND id = $2"
    )))
    .bind(row.company_id)
    .bind(row.user_id)
    .fetch_optional(&mut *conn)
    .await?
    .ok_or_else(unknown)?;
    if user.status()? == UserStatus::Archived {
        return Err(unknown());
    }
    let company = company::load(&mut *conn, row.company_id).await?;
    Ok((row, user, company))
}

/// Whom the link `token` of `purpose` is for, while it works: for its page to greet them;
/// refused as using it would be.
pub async fn holder(db: &Db, token: &str, purpose: Purpose) -> Result<LinkHolder> {
    let mut conn = db.pool().acquire().await?;
    let (_, user, company) = find(&mut conn, token, purpose, now()).await?;
    Ok(LinkHolder {
        first_name: user.first_name,
        email: user.email,
        company_name: company.name,
    })
}

/// The new password's hash, once the link is found live and the password within its
/// company's rules: worked out before the writing transaction, as hashing takes a while.
async fn new_hash(db: &Db, request: &SetPassword, purpose: Purpose) -> Result<String> {
    let mut conn = db.pool().acquire().await?;
    let (_, _, company) = find(&mut conn, request.token.expose(), purpose, now()).await?;
    drop(conn);
    company
        .settings
        .check_password("password", request.password.expose())?;
    secret::hash_password(request.password.expose()).await
}

/// Spends a link inside `tx`, setting the password whose hash is `hash`.
async fn spend(
    tx: &mut Tx,
    request: &SetPassword,
    purpose: Purpose,
    hash: String,
) -> Result<(UserRecord, Company, i64)> {
    let stamp = now();
    let (row, mut user, company) = find(tx, request.token.expose(), purpose, stamp).await?;
    let spent =
        sqlx::query("UPDATE password_links SET used_at = $1 WHERE id = $2 AND used_at IS NULL")
            .bind(stamp)
            .bind(row.id)
            .execute(&mut **tx)
            .await?
            .rows_affected();
    if spent == 0 {
        // Another use of the same link committed between the read and this update.
        return Err(usable(row.expires_at, Some(stamp), stamp)
            .err()
            .unwrap_or_else(unknown));
    }
    user.password_hash = Some(hash);
    user.updated_at = stamp;
    Ok((user, company, stamp))
}

/// Records `action` about `user`, caused by `user_id` (the person themselves, or nobody
/// signed in) from `origin`: a link is used without a session.
async fn record_about(
    tx: &mut Tx,
    user: &UserRecord,
    user_id: Option<i64>,
    origin: Origin,
    action: AuditAction,
    details: serde_json::Value,
) -> Result<()> {
    let who = Who { user_id, origin };
    let event = Event {
        company_id: user.company_id,
        action,
        target: Some(("user", user.id)),
        details,
    };
    audit::record(tx, who, event).await
}

/// Accepts an invitation: sets the password, makes the account active and opens a session.
pub async fn accept_invitation(
    db: &Db,
    request: &SetPassword,
    device: Option<&str>,
    origin: Origin,
) -> Result<Session> {
    let hash = new_hash(db, request, Purpose::Invitation).await?;
    let mut tx = db.begin_write().await?;
    let (mut user, company, stamp) = spend(&mut tx, request, Purpose::Invitation, hash).await?;
    user.status = UserStatus::Active.as_str().to_owned();
    user.update(&mut tx).await?;
    let who = Some(user.id);
    let action = AuditAction::UserInvitationAccepted;
    record_about(&mut tx, &user, who, origin, action, json!({})).await?;
    let session = open_session(
        &mut tx,
        &user,
        &company.settings,
        stamp,
        device,
        origin,
        json!({"via": "invitation"}),
    )
    .await?;
    tx.commit().await?;
    Ok(session)
}

/// Mails a reset link to every active account of `email` (one per company), and nothing
/// to an address nobody has: the caller answers the same either way.
pub async fn forgot_password(db: &Db, request: &ForgotPassword, origin: Origin) -> Result<()> {
    let email = request.email.trim().to_lowercase();
    crate::validate::email("email", &email)?;
    let mut tx = db.begin_write().await?;
    let users: Vec<UserRecord> = sqlx::query_as(AssertSqlSafe(format!(
        "{SELECT} WHERE email = $1 AND status = $2 ORDER BY id"
    )))
    .bind(&email)
    .bind(UserStatus::Active.as_str())
    .fetch_all(&mut *tx)
    .await?;
    let stamp = now();
    for user in &users {
        let company = company::load(&mut *tx, user.company_id).await?;
        issue(&mut tx, &company, user, Purpose::Reset, stamp).await?;
        let action = AuditAction::UserPasswordResetRequested;
        record_about(&mut tx, user, None, origin, action, json!({})).await?;
    }
    tx.commit().await?;
    Ok(())
}

/// Resets a password with a reset link: the new password set, any lock lifted, every
/// session ended (the person signs in afresh with it).
pub async fn reset_password(db: &Db, request: &SetPassword, origin: Origin) -> Result<()> {
    let hash = new_hash(db, request, Purpose::Reset).await?;
    let mut tx = db.begin_write().await?;
    let (user, _, _) = spend(&mut tx, request, Purpose::Reset, hash).await?;
    user.update(&mut tx).await?;
    end_sessions(&mut tx, user.company_id, user.id, None).await?;
    clear_lock(&mut tx, user.company_id, user.id).await?;
    let (who, action) = (Some(user.id), AuditAction::UserPasswordReset);
    record_about(&mut tx, &user, who, origin, action, json!({"via": "link"})).await?;
    tx.commit().await?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn code_of(result: Result<()>) -> Option<&'static str> {
        result.err().map(|error| error.code())
    }

    #[test]
    fn a_link_works_until_it_expires() {
        assert!(usable(1_000, None, 999).is_ok());
        assert_eq!(
            code_of(usable(1_000, None, 1_000)),
            Some(code::LINK_EXPIRED)
        );
        assert_eq!(
            code_of(usable(1_000, None, 5_000)),
            Some(code::LINK_EXPIRED)
        );
    }

    #[test]
    fn a_link_works_once() {
        assert_eq!(
            code_of(usable(1_000, Some(500), 600)),
            Some(code::LINK_USED)
        );
        // Used and expired: it says it was used, which is what the person needs to know.
        assert_eq!(
            code_of(usable(1_000, Some(500), 2_000)),
            Some(code::LINK_USED)
        );
    }

    #[test]
    fn an_invitation_lasts_a_week_and_a_reset_an_hour() {
        assert_eq!(Purpose::Invitation.lifetime_seconds(), 604_800);
        assert_eq!(Purpose::Reset.lifetime_seconds(), 3_600);
        assert_ne!(Purpose::Invitation.prefix(), Purpose::Reset.prefix());
    }
}
