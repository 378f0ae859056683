//! Scoped API keys (Offly style): long-lived bearer keys with scopes, a role ceiling, an
//! optional expiry and an IP allow-list. A key reads `rota_k_` + 256 random bits +
//! a CRC-32 checksum, so a leaked key is recognisable by scanners and a mistyped one is
//! refused without a database look-up. Kept only as a SHA-256 digest.

use serde::{Deserialize, Serialize};
use serde_json::json;
use sqlx::FromRow;
use utoipa::ToSchema;

use crate::access::audit;
use crate::access::audit::AuditAction;
use crate::access::clients::check_identity;
use crate::access::limits::Quota;
use crate::access::principal::{ApiPrincipal, Credential};
use crate::access::settings::{authorise, require_enabled};
use crate::access::{IpAllowList, Origin, ScopeSet};
use crate::db::{Db, flag, now};
use crate::error::{Error, Result};
use crate::paging::Page;
use crate::people::types::UserType;
use crate::policy::Actor;
use crate::{secret, validate};

/// Characters of the random part (43: 32 bytes in unpadded base64url).
const RANDOM_LEN: usize = 43;

/// A fresh key with its checksum.
fn new_key() -> String {
    let body = secret::new_token(secret::API_KEY_PREFIX);
    let checksum = crc32fast::hash(body.as_bytes());
    format!("{body}{checksum:08x}")
}

/// Whether `key` is shaped like a key this server issues, checksum included.
pub fn well_formed(key: &str) -> bool {
    let Some(rest) = key.strip_prefix(secret::API_KEY_PREFIX) else {
        return false;
    };
    if rest.len() != RANDOM_LEN + 8 || !rest.is_ascii() {
        return false;
    }
    let (random, checksum) = rest.split_at(RANDOM_LEN);
    let body = format!("{}{random}", secret::API_KEY_PREFIX);
    format!("{:08x}", crc32fast::hash(body.as_bytes())) == checksum
}

/// A new API key. Absent scopes grant nothing; an absent ceiling is the creator's role;
/// an absent `acts_as_user_id` is the creator.
#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ApiKeyForCreate {
    #[schema(value_type = crate::openapi::Text100)]
    pub name: String,
    #[serde(default)]
    #[schema(value_type = Vec<crate::openapi::Scope>)]
    pub scopes: Vec<String>,
    pub role_ceiling: Option<UserType>,
    pub acts_as_user_id: Option<i64>,
    #[serde(default)]
    #[schema(value_type = crate::openapi::IpAllowList)]
    pub ip_allow_list: Vec<String>,
    /// RFC 3339; absent: the key does not expire.
    #[schema(value_type = Option<crate::openapi::Instant>)]
    pub expires_at: Option<String>,
    /// The key may act as another user of the company with `X-Act-As-User`, never above
    /// its ceiling.
    #[serde(default)]
    pub may_act_as_users: bool,
    /// The key's own rate limit; absent: the server's (600 a minute, bursts of 100).
    pub rate_limit: Option<Quota>,
}

#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct ApiKey {
    pub id: i64,
    pub company_id: i64,
    pub name: String,
    /// The key's first characters, to tell keys apart; never enough to use.
    pub key_hint: String,
    pub scopes: Vec<String>,
    pub role_ceiling: UserType,
    pub acts_as_user_id: i64,
    pub ip_allow_list: Vec<String>,
    pub may_act_as_users: bool,
    /// The key's own rate limit; absent: the server's.
    pub rate_limit: Option<Quota>,
    pub expires_at: Option<String>,
    pub enabled: bool,
    pub created_by: Option<i64>,
    pub created_at: String,
    pub last_used_at: Option<String>,
}

/// A key with its secret value: the one time it is shown.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct ApiKeyWithSecret {
    #[serde(flatten)]
    pub key: ApiKey,
    /// `rota_k_…`; send as `Authorization: Bearer <key>`. Shown once.
    #[schema(value_type = String)]
    pub api_key: crate::secret::Issued,
}

#[derive(FromRow)]
struct KeyRow {
    id: i64,
    company_id: i64,
    name: String,
    key_hint: String,
    scopes: String,
    role_ceiling: i64,
    acts_as_user_id: i64,
    ip_allow_list: String,
    may_act_as_users: i64,
    rate_limit_per_minute: Option<i64>,
    rate_limit_burst: Option<i64>,
    expires_at: Option<i64>,
    enabled: i64,
    created_by: Option<i64>,
    created_at: i64,
    last_used_at: Option<i64>,
}

const SELECT: &str = "SELECT id, company_id, name, key_hint, scopes, role_ceiling, acts_as_user_id, ip_allow_list, \
    may_act_as_users, rate_limit_per_minute, rate_limit_burst, expires_at, enabled, created_by, created_at, \
    last_used_at FROM api_keys";

impl KeyRow {
    fn render(self) -> Result<ApiKey> {
        Ok(ApiKey {
            id: self.id,
            company_id: self.company_id,
            name: self.name,
            key_hint: self.key_hint,
            scopes: ScopeSet::from_stored(&self.scopes).names(),
            role_ceiling: UserType::try_from(self.role_ceiling)
                .map_err(|e| Error::Internal(e.into()))?,
            acts_as_user_id: self.acts_as_user_id,
            ip_allow_list: IpAllowList::from_stored(&self.ip_allow_list).names(),
            may_act_as_users: flag(self.may_act_as_users),
            rate_limit: Quota::from_columns(self.rate_limit_per_minute, self.rate_limit_burst),
            expires_at: self.expires_at.map(crate::time::rfc3339),
            enabled: flag(self.enabled),
            created_by: self.created_by,
            created_at: crate::time::rfc3339(self.created_at),
            last_used_at: self.last_used_at.map(crate::time::rfc3339),
        })
    }
}

pub async fn create(db: &Db, actor: &Actor, input: ApiKeyForCreate) -> Result<ApiKeyWithSecret> {
    let company = authorise(db, actor).await?;
    let name = validate::required_text("name", &input.name, 100)?;
    let scopes = ScopeSet::parse("scopes", &input.scopes)?;
    let allow = IpAllowList::parse("ip_allow_list", &input.ip_allow_list)?;
    let rate_limit = Quota::checked_input(input.rate_limit)?;
    let (per_minute, burst) = Quota::to_columns(rate_limit);
    let expires_at = input
        .expires_at
        .as_deref()
        .map(|text| validate::instant("expires_at", text))
        .transpose()?;
    if expires_at.is_some_and(|at| at <= now()) {
        return Err(Error::invalid(
            "expires_at",
            "expires_at must be in the future",
        ));
    }
    let ceiling = input.role_ceiling.unwrap_or(actor.role);
    let acts_as = input.acts_as_user_id.unwrap_or(actor.user_id);
    let mut tx = db.begin_write().await?;
    require_enabled(&mut tx, company.id).await?;
    check_identity(&mut tx, actor, &company, ceiling, acts_as).await?;
    let api_key = new_key();
    let hint: String = api_key
        .chars()
        .take(secret::API_KEY_PREFIX.len() + 4)
        .collect();
    let id: i64 = sqlx::query_scalar(
        "INSERT INTO api_keys (company_id, name, key_hash, key_hint, scopes, role_ceiling, acts_as_user_id, ip_allow_list, \
         may_act_as_users, rate_limit_per_minute, rate_limit_burst, expires_at, enabled, created_by, created_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, 1, $13, $14) RETURNING id",
    )
    .bind(company.id)
    .bind(&name)
    .bind(secret::token_digest(&api_key))
    .bind(&hint)
    .bind(scopes.to_stored())
    .bind(ceiling.code())
    .bind(acts_as)
    .bind(allow.to_stored())
    .bind(i64::from(input.may_act_as_users))
    .bind(per_minute)
    .bind(burst)
    .bind(expires_at)
    .bind(actor.user_id)
    .bind(now())
    .fetch_one(&mut *tx)
    .await?;
    audit::record_by(
        &mut tx,
        actor,
        AuditAction::KeyCreated,
        Some(("api_key", id)),
        json!({"name": name, "scopes": scopes.names(), "role_ceiling": ceiling.code(), "acts_as_user_id": acts_as,
               "ip_allow_list": allow.names(), "may_act_as_users": input.may_act_as_users,
               "rate_limit": rate_limit, "expires_at": expires_at.map(crate::time::rfc3339)}),
    )
    .await?;
    let row: KeyRow = sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "{SELECT} WHERE company_id = $1 AND id = $2"
    )))
    .bind(company.id)
    .bind(id)
    .fetch_one(&mut *tx)
    .await?;
    tx.commit().await?;
    Ok(ApiKeyWithSecret {
        key: row.render()?,
        api_key: api_key.into(),
    })
}

/// The company's API keys, in pages.
pub async fn list(
    db: &Db,
    actor: &Actor,
    limit: Option<i64>,
    cursor: Option<&str>,
) -> Result<Page<ApiKey>> {
    authorise(db, actor).await?;
    let page = db.page("api-keys", limit, cursor).await?;
    let rows: Vec<KeyRow> = sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "{SELECT} WHERE company_id = $1 AND id > $2 ORDER BY id LIMIT $3"
    )))
    .bind(actor.company_id)
    .bind(page.after_id)
    .bind(page.limit + 1)
    .fetch_all(db.pool())
    .await?;
    page.finish(rows, |r| r.id).try_map(KeyRow::render)
}

/// Disables a key for good.
pub async fn revoke(db: &Db, actor: &Actor, id: i64) -> Result<ApiKey> {
    let company = authorise(db, actor).await?;
    let mut tx = db.begin_write().await?;
    let changed = sqlx::query("UPDATE api_keys SET enabled = 0 WHERE company_id = $1 AND id = $2")
        .bind(company.id)
        .bind(id)
        .execute(&mut *tx)
        .await?
        .rows_affected();
    if changed == 0 {
        return Err(Error::not_found("API key"));
    }
    audit::record_by(
        &mut tx,
        actor,
        AuditAction::KeyRevoked,
        Some(("api_key", id)),
        json!({}),
    )
    .await?;
    let row: KeyRow = sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "{SELECT} WHERE company_id = $1 AND id = $2"
    )))
    .bind(company.id)
    .bind(id)
    .fetch_one(&mut *tx)
    .await?;
    tx.commit().await?;
    row.render()
}

#[derive(FromRow)]
struct KeyAuthRow {
    id: i64,
    company_id: i64,
    scopes: String,
    role_ceiling: i64,
    acts_as_user_id: i64,
    ip_allow_list: String,
    may_act_as_users: i64,
    rate_limit_per_minute: Option<i64>,
    rate_limit_burst: Option<i64>,
    expires_at: Option<i64>,
    enabled: i64,
    last_used_at: Option<i64>,
    access_enabled: Option<i64>,
    company_allow_list: Option<String>,
}

/// The principal behind an API key, if it is well formed, live, and the company's API
/// access is on.
pub async fn authenticate(db: &Db, key: &str) -> Result<ApiPrincipal> {
    let unauthenticated = || Error::unauthenticated("the API key is unknown, expired or revoked");
    if !well_formed(key) {
        return Err(unauthenticated());
    }
    let row: KeyAuthRow = sqlx::query_as(
        "SELECT k.id, k.company_id, k.scopes, k.role_ceiling, k.acts_as_user_id, k.ip_allow_list, k.may_act_as_users, \
         k.rate_limit_per_minute, k.rate_limit_burst, k.expires_at, \
         k.enabled, k.last_used_at, a.enabled AS access_enabled, a.ip_allow_list AS company_allow_list \
         FROM api_keys k LEFT JOIN api_access a ON a.company_id = k.company_id WHERE k.key_hash = $1",
    )
    .bind(secret::token_digest(key))
    .fetch_optional(db.pool())
    .await?
    .ok_or_else(unauthenticated)?;
    let stamp = now();
    if !flag(row.enabled)
        || !row.access_enabled.is_some_and(flag)
        || row.expires_at.is_some_and(|at| at <= stamp)
    {
        return Err(unauthenticated());
    }
    if row.last_used_at.is_none_or(|at| at < stamp - 60) {
        sqlx::query("UPDATE api_keys SET last_used_at = $1 WHERE company_id = $2 AND id = $3")
            .bind(stamp)
            .bind(row.company_id)
            .bind(row.id)
            .execute(db.pool())
            .await?;
    }
    ApiPrincipal::new(
        db,
        Credential {
            company_id: row.company_id,
            acts_as_user_id: row.acts_as_user_id,
            role_ceiling: row.role_ceiling,
            scopes: row.scopes,
            ip_allow_list: row.ip_allow_list,
            company_allow_list: row.company_allow_list,
            may_act_as_users: flag(row.may_act_as_users),
            rate_limit: Quota::from_columns(row.rate_limit_per_minute, row.rate_limit_burst),
            client: None,
            origin: Origin {
                api_key_id: Some(row.id),
                ..Origin::default()
            },
        },
    )
    .await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_carry_prefix_and_a_checksum_that_catches_a_typo() {
        let key = new_key();
        assert!(key.starts_with("rota_k_"));
        assert!(well_formed(&key));
        let mut typo = key.clone().into_bytes();
        typo[10] = if typo[10] == b'A' { b'B' } else { b'A' };
        assert!(!well_formed(&String::from_utf8(typo).unwrap()));
        assert!(!well_formed("rota_k_short"));
        assert!(!well_formed(&key.replace("rota_k_", "rota_x_")));
    }
}
