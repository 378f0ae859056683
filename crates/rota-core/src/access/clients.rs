//! API clients (WhosOff's App ID and client secret, Workhub's API templates): create,
//! change, regenerate (with an optional overlap window), revoke and delete. A client
//! secret is shown once and kept as a SHA-256 digest, and, with the server's secret key,
//! also sealed (see [`crate::sealing`]) and bound to its client: WhosOff's authenticate
//! proves it as SHA-512(nonce ++ secret), which Rota can check only by reading it back.

use serde::{Deserialize, Serialize};
use serde_json::json;
use sqlx::{AssertSqlSafe, FromRow};
use utoipa::ToSchema;

use crate::access::audit::AuditAction;
use crate::access::limits::Quota;
use crate::access::settings::{authorise, require_enabled};
use crate::access::{IpAllowList, ScopeSet, audit, nonces};
use crate::company::Company;
use crate::db::{Db, Tx, flag, now};
use crate::error::{Error, Result};
use crate::paging::Page;
use crate::people::types::{UserStatus, UserType};
use crate::policy::{Action, Actor, CredentialFacts, Target, may};
use crate::sealing::SecretKey;
use crate::{secret, validate};

/// A new API client. Absent scopes grant nothing; an absent ceiling is the creator's own
/// role; an absent `acts_as_user_id` is the creator.
#[derive(Debug, Clone, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ApiClientForCreate {
    #[schema(value_type = crate::openapi::Text100)]
    pub name: String,
    #[schema(value_type = Option<crate::openapi::OptionalText500>)]
    pub description: Option<String>,
    #[schema(value_type = Option<crate::openapi::OptionalText2000>)]
    pub notes: Option<String>,
    /// `<area>:read` or `<area>:write` (write implies read); areas: people, leave,
    /// schedule, time, payroll, reports, compliance.
    #[serde(default)]
    #[schema(value_type = Vec<crate::openapi::Scope>)]
    pub scopes: Vec<String>,
    /// The highest role the client acts with.
    pub role_ceiling: Option<UserType>,
    /// The user of the company the client acts as.
    pub acts_as_user_id: Option<i64>,
    /// Addresses and CIDR ranges, IPv4 or IPv6; empty admits any address.
    #[serde(default)]
    #[schema(value_type = crate::openapi::IpAllowList)]
    pub ip_allow_list: Vec<String>,
    /// Every call (and token request) must carry a fresh `nonce` and a `timestamp` header.
    #[serde(default)]
    pub requires_nonce: bool,
    /// The client may act as another user of the company with `X-Act-As-User`, never
    /// above its ceiling.
    #[serde(default)]
    pub may_act_as_users: bool,
    /// The client's own rate limit; absent: the server's (600 a minute, bursts of 100).
    pub rate_limit: Option<Quota>,
}

/// Changes to an API client; absent fields stay as they are.
#[derive(Debug, Clone, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ApiClientPatch {
    #[schema(value_type = Option<crate::openapi::Text100>)]
    pub name: Option<String>,
    #[schema(value_type = Option<crate::openapi::OptionalText500>)]
    pub description: Option<String>,
    #[schema(value_type = Option<crate::openapi::OptionalText2000>)]
    pub notes: Option<String>,
    #[schema(value_type = Option<Vec<crate::openapi::Scope>>)]
    pub scopes: Option<Vec<String>>,
    pub role_ceiling: Option<UserType>,
    pub acts_as_user_id: Option<i64>,
    #[schema(value_type = Option<crate::openapi::IpAllowList>)]
    pub ip_allow_list: Option<Vec<String>>,
    pub requires_nonce: Option<bool>,
    pub may_act_as_users: Option<bool>,
    /// `null` returns the client to the server's rate limit.
    #[serde(default, deserialize_with = "crate::validate::nullable")]
    #[schema(value_type = Option<Quota>)]
    pub rate_limit: Option<Option<Quota>>,
}

/// An API client as the API shows it. The secret is never shown again after it is issued.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct ApiClient {
    pub id: i64,
    pub company_id: i64,
    /// The public identifier, sent as `client_id` to the token endpoint.
    pub app_id: String,
    pub name: String,
    pub description: Option<String>,
    pub notes: Option<String>,
    pub scopes: Vec<String>,
    pub role_ceiling: UserType,
    pub acts_as_user_id: i64,
    pub ip_allow_list: Vec<String>,
    pub requires_nonce: bool,
    pub may_act_as_users: bool,
    /// The client's own rate limit; absent: the server's.
    pub rate_limit: Option<Quota>,
    /// False once the client, or the company's API access, is revoked.
    pub enabled: bool,
    pub created_by: Option<i64>,
    pub created_at: String,
    pub updated_at: String,
    pub secret_rotated_at: String,
    pub last_used_at: Option<String>,
}

/// A client with its secret: the one time the secret is shown.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct ApiClientWithSecret {
    #[serde(flatten)]
    pub client: ApiClient,
    /// `rota_cs_…`. Shown once; the server keeps only a digest.
    #[schema(value_type = String)]
    pub client_secret: crate::secret::Issued,
}

#[derive(FromRow)]
pub(crate) struct ClientRow {
    pub id: i64,
    pub company_id: i64,
    pub app_id: String,
    pub name: String,
    pub description: Option<String>,
    pub notes: Option<String>,
    pub scopes: String,
    pub role_ceiling: i64,
    pub acts_as_user_id: i64,
    pub ip_allow_list: String,
    pub requires_nonce: i64,
    pub may_act_as_users: i64,
    pub rate_limit_per_minute: Option<i64>,
    pub rate_limit_burst: Option<i64>,
    pub enabled: i64,
    pub created_by: Option<i64>,
    pub created_at: i64,
    pub updated_at: i64,
    pub secret_rotated_at: i64,
    pub last_used_at: Option<i64>,
}

const SELECT: &str = "SELECT id, company_id, app_id, name, description, notes, scopes, role_ceiling, acts_as_user_id, \
    ip_allow_list, requires_nonce, may_act_as_users, rate_limit_per_minute, rate_limit_burst, enabled, created_by, created_at, updated_at, secret_rotated_at, last_used_at FROM api_clients";

impl ClientRow {
    fn render(self) -> Result<ApiClient> {
        Ok(ApiClient {
            id: self.id,
            company_id: self.company_id,
            app_id: self.app_id,
            name: self.name,
            description: self.description,
            notes: self.notes,
            scopes: ScopeSet::from_stored(&self.scopes).names(),
            role_ceiling: UserType::try_from(self.role_ceiling)
                .map_err(|e| Error::Internal(e.into()))?,
            acts_as_user_id: self.acts_as_user_id,
            ip_allow_list: IpAllowList::from_stored(&self.ip_allow_list).names(),
            requires_nonce: flag(self.requires_nonce),
            may_act_as_users: flag(self.may_act_as_users),
            rate_limit: Quota::from_columns(self.rate_limit_per_minute, self.rate_limit_burst),
            enabled: flag(self.enabled),
            created_by: self.created_by,
            created_at: crate::time::rfc3339(self.created_at),
            updated_at: crate::time::rfc3339(self.updated_at),
            secret_rotated_at: crate::time::rfc3339(self.secret_rotated_at),
            last_used_at: self.last_used_at.map(crate::time::rfc3339),
        })
    }
}

/// Checks who a client or key acts as and how high: an active user of the company
/// (the actor by default), never the owner unless the actor is the owner, and a ceiling
/// no higher than the actor's own role.
pub(crate) async fn check_identity(
    tx: &mut Tx,
    actor: &Actor,
    company: &Company,
    ceiling: UserType,
    acts_as_user_id: i64,
) -> Result<()> {
    let credential = CredentialFacts {
        company_id: company.id,
        role_ceiling: ceiling,
        acts_as_owner: company.owner_id == Some(acts_as_user_id),
    };
    if !may(
        actor,
        Action::GrantRoleCeiling,
        Target::Credential(&credential),
    ) {
        return Err(Error::invalid(
            "role_ceiling",
            "role_ceiling may not be above your own role",
        ));
    }
    let status: Option<String> =
        sqlx::query_scalar("SELECT status FROM users WHERE company_id = $1 AND id = $2")
            .bind(company.id)
            .bind(acts_as_user_id)
            .fetch_optional(&mut **tx)
            .await?;
    match status {
        None => return Err(Error::unknown_reference("user", "acts_as_user_id")),
        Some(status) if status != UserStatus::Active.as_str() => {
            return Err(Error::invalid(
                "acts_as_user_id",
                "acts_as_user_id must be an active user",
            ));
        }
        Some(_) => {}
    }
    if !may(actor, Action::ActAs, Target::Credential(&credential)) {
        return Err(Error::forbidden(
            "only the owner may let a credential act as the owner",
        ));
    }
    Ok(())
}

/// What a sealed client secret is bound to: its client, named by its App ID (known before
/// the row exists), so that it opens on no other row.
pub(crate) fn secret_context(company_id: i64, app_id: &str) -> String {
    format!("rota-client-secret:{company_id}:{app_id}")
}

/// `client_secret` sealed for its client, or `None` on a server without a secret key.
fn seal_secret(
    key: Option<&SecretKey>,
    company_id: i64,
    app_id: &str,
    client_secret: &str,
) -> Result<Option<String>> {
    key.map(|key| {
        key.seal(
            &secret_context(company_id, app_id),
            client_secret.as_bytes(),
        )
    })
    .transpose()
}

/// Creates a client; `key` (the server's secret key) seals its secret for WhosOff's
/// authenticate.
pub async fn create(
    db: &Db,
    key: Option<&SecretKey>,
    actor: &Actor,
    input: ApiClientForCreate,
) -> Result<ApiClientWithSecret> {
    let company = authorise(db, actor).await?;
    let mut tx = db.begin_write().await?;
    require_enabled(&mut tx, company.id).await?;
    let created = insert(&mut tx, key, actor, &company, input).await?;
    tx.commit().await?;
    Ok(created)
}

pub(crate) async fn insert(
    tx: &mut Tx,
    key: Option<&SecretKey>,
    actor: &Actor,
    company: &Company,
    input: ApiClientForCreate,
) -> Result<ApiClientWithSecret> {
    let name = validate::required_text("name", &input.name, 100)?;
    let description = validate::optional_text("description", input.description.as_deref(), 500)?;
    let notes = validate::optional_text("notes", input.notes.as_deref(), 2000)?;
    let scopes = ScopeSet::parse("scopes", &input.scopes)?;
    let allow = IpAllowList::parse("ip_allow_list", &input.ip_allow_list)?;
    let rate_limit = Quota::checked_input(input.rate_limit)?;
    let (per_minute, burst) = Quota::to_columns(rate_limit);
    let ceiling = input.role_ceiling.unwrap_or(actor.role);
    let acts_as = input.acts_as_user_id.unwrap_or(actor.user_id);
    check_identity(tx, actor, company, ceiling, acts_as).await?;
    let app_id = secret::new_app_id();
    let client_secret = secret::new_token(secret::CLIENT_SECRET_PREFIX);
    let sealed = seal_secret(key, company.id, &app_id, &client_secret)?;
    let stamp = now();
    let id: i64 = sqlx::query_scalar(
        "INSERT INTO api_clients (company_id, app_id, secret_hash, name, description, notes, scopes, role_ceiling, \
         acts_as_user_id, ip_allow_list, requires_nonce, may_act_as_users, rate_limit_per_minute, rate_limit_burst, \
         enabled, created_by, created_at, updated_at, secret_rotated_at, sealed_secret) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, 1, $15, $16, $16, $16, $17) RETURNING id",
    )
    .bind(company.id)
    .bind(&app_id)
    .bind(secret::token_digest(&client_secret))
    .bind(&name)
    .bind(&description)
    .bind(&notes)
    .bind(scopes.to_stored())
    .bind(ceiling.code())
    .bind(acts_as)
    .bind(allow.to_stored())
    .bind(i64::from(input.requires_nonce))
    .bind(i64::from(input.may_act_as_users))
    .bind(per_minute)
    .bind(burst)
    .bind(actor.user_id)
    .bind(stamp)
    .bind(sealed)
    .fetch_one(&mut **tx)
    .await?;
    audit::record_by(
        tx,
        actor,
        AuditAction::ClientCreated,
        Some(("api_client", id)),
        json!({"name": name, "app_id": app_id, "scopes": scopes.names(), "role_ceiling": ceiling.code(),
               "acts_as_user_id": acts_as, "ip_allow_list": allow.names(), "requires_nonce": input.requires_nonce,
               "may_act_as_users": input.may_act_as_users, "rate_limit": rate_limit}),
    )
    .await?;
    let client = load(tx, company.id, id).await?.render()?;
    Ok(ApiClientWithSecret {
        client,
        client_secret: client_secret.into(),
    })
}

async fn load(tx: &mut Tx, company_id: i64, id: i64) -> Result<ClientRow> {
    sqlx::query_as(AssertSqlSafe(format!(
        "{SELECT} WHERE company_id = $1 AND id = $2"
    )))
    .bind(company_id)
    .bind(id)
    .fetch_optional(&mut **tx)
    .await?
    .ok_or(Error::not_found("API client"))
}

/// The company's API clients, in pages.
pub async fn list(
    db: &Db,
    actor: &Actor,
    limit: Option<i64>,
    cursor: Option<&str>,
) -> Result<Page<ApiClient>> {
    authorise(db, actor).await?;
    let page = db.page("api-clients", limit, cursor).await?;
    let rows: Vec<ClientRow> = sqlx::query_as(AssertSqlSafe(format!(
        "{SELECT} WHERE company_id = $1 AND id > $2 ORDER BY id LIMIT $3"
    )))
    .bind(actor.company_id)
    .bind(page.after_id)
    .bind(page.limit + 1)
    .fetch_all(db.pool())
    .await?;
    page.finish(rows, |r| r.id).try_map(ClientRow::render)
}

pub async fn get(db: &Db, actor: &Actor, id: i64) -> Result<ApiClient> {
    authorise(db, actor).await?;
    let mut tx = db.pool().begin().await?;
    let row = load(&mut tx, actor.company_id, id).await?;
    tx.commit().await?;
    row.render()
}

pub async fn update(db: &Db, actor: &Actor, id: i64, patch: ApiClientPatch) -> Result<ApiClient> {
    let company = authorise(db, actor).await?;
    let mut tx = db.begin_write().await?;
    let mut row = load(&mut tx, company.id, id).await?;
    let mut changed = serde_json::Map::new();
    if let Some(name) = &patch.name {
        row.name = validate::required_text("name", name, 100)?;
        changed.insert("name".into(), json!(row.name));
    }
    if let Some(description) = &patch.description {
        row.description = validate::optional_text("description", Some(description), 500)?;
        changed.insert("description".into(), json!(row.description));
    }
    if let Some(notes) = &patch.notes {
        row.notes = validate::optional_text("notes", Some(notes), 2000)?;
        changed.insert("notes".into(), json!(row.notes));
    }
    if let Some(scopes) = &patch.scopes {
        let scopes = ScopeSet::parse("scopes", scopes)?;
        changed.insert("scopes".into(), json!(scopes.names()));
        row.scopes = scopes.to_stored();
    }
    if let Some(list) = &patch.ip_allow_list {
        let allow = IpAllowList::parse("ip_allow_list", list)?;
        changed.insert("ip_allow_list".into(), json!(allow.names()));
        row.ip_allow_list = allow.to_stored();
    }
    if let Some(requires) = patch.requires_nonce {
        row.requires_nonce = i64::from(requires);
        changed.insert("requires_nonce".into(), json!(requires));
    }
    if let Some(may) = patch.may_act_as_users {
        row.may_act_as_users = i64::from(may);
        changed.insert("may_act_as_users".into(), json!(may));
    }
    if let Some(limit) = patch.rate_limit {
        let limit = Quota::checked_input(limit)?;
        (row.rate_limit_per_minute, row.rate_limit_burst) = Quota::to_columns(limit);
        changed.insert("rate_limit".into(), json!(limit));
    }
    if let Some(ceiling) = patch.role_ceiling {
        row.role_ceiling = ceiling.code();
        changed.insert("role_ceiling".into(), json!(ceiling.code()));
    }
    if let Some(user_id) = patch.acts_as_user_id {
        row.acts_as_user_id = user_id;
        changed.insert("acts_as_user_id".into(), json!(user_id));
    }
    // Whoever changes a client must be able to create it as it ends up, or they could
    // widen the scopes of a client that acts with more than they hold.
    check_held(&mut tx, actor, &company, &row).await?;
    sqlx::query(
        "UPDATE api_clients SET name = $1, description = $2, notes = $3, scopes = $4, role_ceiling = $5, \
         acts_as_user_id = $6, ip_allow_list = $7, requires_nonce = $8, may_act_as_users = $9, \
         rate_limit_per_minute = $10, rate_limit_burst = $11, updated_at = $12 WHERE company_id = $13 AND id = $14",
    )
    .bind(&row.name)
    .bind(&row.description)
    .bind(&row.notes)
    .bind(&row.scopes)
    .bind(row.role_ceiling)
    .bind(row.acts_as_user_id)
    .bind(&row.ip_allow_list)
    .bind(row.requires_nonce)
    .bind(row.may_act_as_users)
    .bind(row.rate_limit_per_minute)
    .bind(row.rate_limit_burst)
    .bind(now())
    .bind(company.id)
    .bind(id)
    .execute(&mut *tx)
    .await?;
    audit::record_by(
        &mut tx,
        actor,
        AuditAction::ClientUpdated,
        Some(("api_client", id)),
        serde_json::Value::Object(changed),
    )
    .await?;
    let row = load(&mut tx, company.id, id).await?;
    tx.commit().await?;
    row.render()
}

/// [`check_identity`] for a stored client.
async fn check_held(tx: &mut Tx, actor: &Actor, company: &Company, row: &ClientRow) -> Result<()> {
    let ceiling = UserType::try_from(row.role_ceiling).map_err(|e| Error::Internal(e.into()))?;
    check_identity(tx, actor, company, ceiling, row.acts_as_user_id).await
}

async fn delete_tokens(tx: &mut Tx, company_id: i64, client_id: i64) -> Result<u64> {
    Ok(
        sqlx::query("DELETE FROM api_tokens WHERE company_id = $1 AND client_id = $2")
            .bind(company_id)
            .bind(client_id)
            .execute(&mut **tx)
            .await?
            .rows_affected(),
    )
}

/// The longest overlap window a rotation may leave the previous secret: a week.
pub const MAX_OVERLAP_SECONDS: i64 = 7 * 24 * 3600;

/// Issues a new secret. Without an overlap the old secret and every token minted with it
/// stop at once; with one, the old secret keeps minting tokens, and its tokens keep
/// working, for `overlap_seconds` more, so the systems that use it can switch over. `key`
/// seals the new secret (and the old one stays sealed for the overlap), for WhosOff's
/// authenticate; the WhosOff nonces signed with the old secret are forgotten when it stops.
pub async fn regenerate_secret(
    db: &Db,
    key: Option<&SecretKey>,
    actor: &Actor,
    id: i64,
    overlap_seconds: i64,
) -> Result<ApiClientWithSecret> {
    let company = authorise(db, actor).await?;
    // Permission first, then the value.
    if !(0..=MAX_OVERLAP_SECONDS).contains(&overlap_seconds) {
        return Err(Error::invalid(
            "overlap_seconds",
            format!("overlap_seconds must be from 0 to {MAX_OVERLAP_SECONDS} (a week)"),
        ));
    }
    let mut tx = db.begin_write().await?;
    let row = load(&mut tx, company.id, id).await?;
    // A new secret hands out the client's powers: only to someone who holds them.
    check_held(&mut tx, actor, &company, &row).await?;
    let client_secret = secret::new_token(secret::CLIENT_SECRET_PREFIX);
    let sealed = seal_secret(key, company.id, &row.app_id, &client_secret)?;
    let stamp = now();
    let overlap_end = (overlap_seconds > 0).then_some(stamp + overlap_seconds);
    sqlx::query(
        "UPDATE api_clients SET previous_secret_hash = CASE WHEN $1 IS NULL THEN NULL ELSE secret_hash END, \
         previous_sealed_secret = CASE WHEN $1 IS NULL THEN NULL ELSE sealed_secret END, \
         previous_secret_expires_at = $1, secret_hash = $2, sealed_secret = $6, secret_rotated_at = $3, updated_at = $3 \
         WHERE company_id = $4 AND id = $5",
    )
    .bind(overlap_end)
    .bind(secret::token_digest(&client_secret))
    .bind(stamp)
    .bind(company.id)
    .bind(id)
    .bind(sealed)
    .execute(&mut *tx)
    .await?;
    nonces::retire_signed(&mut tx, company.id, id, overlap_end.unwrap_or(stamp)).await?;
    let tokens = match overlap_end {
        None => delete_tokens(&mut tx, company.id, id).await?,
        Some(end) => {
            sqlx::query(
                "UPDATE api_tokens SET expires_at = $1 WHERE company_id = $2 AND client_id = $3 AND expires_at > $1",
            )
            .bind(end)
            .bind(company.id)
            .bind(id)
            .execute(&mut *tx)
            .await?;
            0
        }
    };
    audit::record_by(
        &mut tx,
        actor,
        AuditAction::ClientSecretRegenerated,
        Some(("api_client", id)),
        json!({"tokens_revoked": tokens, "overlap_seconds": overlap_seconds}),
    )
    .await?;
    let client = load(&mut tx, company.id, id).await?.render()?;
    tx.commit().await?;
    Ok(ApiClientWithSecret {
        client,
        client_secret: client_secret.into(),
    })
}

/// Disables a client; its tokens stop at once. It stays listed, for the record.
pub async fn revoke(db: &Db, actor: &Actor, id: i64) -> Result<ApiClient> {
    let company = authorise(db, actor).await?;
    let mut tx = db.begin_write().await?;
    load(&mut tx, company.id, id).await?;
    sqlx::query(
        "UPDATE api_clients SET enabled = 0, updated_at = $1 WHERE company_id = $2 AND id = $3",
    )
    .bind(now())
    .bind(company.id)
    .bind(id)
    .execute(&mut *tx)
    .await?;
    let tokens = delete_tokens(&mut tx, company.id, id).await?;
    audit::record_by(
        &mut tx,
        actor,
        AuditAction::ClientRevoked,
        Some(("api_client", id)),
        json!({"tokens_revoked": tokens}),
    )
    .await?;
    let client = load(&mut tx, company.id, id).await?.render()?;
    tx.commit().await?;
    Ok(client)
}

/// Deletes a client and its tokens; its audit events stay.
pub async fn delete(db: &Db, actor: &Actor, id: i64) -> Result<()> {
    let company = authorise(db, actor).await?;
    let mut tx = db.begin_write().await?;
    let row = load(&mut tx, company.id, id).await?;
    delete_tokens(&mut tx, company.id, id).await?;
    sqlx::query("DELETE FROM api_clients WHERE company_id = $1 AND id = $2")
        .bind(company.id)
        .bind(id)
        .execute(&mut *tx)
        .await?;
    audit::record_by(
        &mut tx,
        actor,
        AuditAction::ClientDeleted,
        Some(("api_client", id)),
        json!({"name": row.name, "app_id": row.app_id}),
    )
    .await?;
    tx.commit().await?;
    Ok(())
}
