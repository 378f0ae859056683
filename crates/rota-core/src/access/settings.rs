//! A company's API access: whether it lets other systems in (enable creates the first
//! client; revoke stops every client, key and token at once), the company-wide IP
//! allow-list every credential must also pass, and who may administer all of it.

use serde::{Deserialize, Serialize};
use serde_json::json;
use utoipa::ToSchema;

use crate::access::audit::AuditAction;
use crate::access::clients::{self, ApiClientForCreate, ApiClientWithSecret};
use crate::access::{Area, IpAllowList, audit};
use crate::company::{self, Company};
use crate::db::{Db, Tx, flag, now};
use crate::error::{Error, Result, code};
use crate::people::types::UserType;
use crate::policy::{Action, Actor, Target, may};
use crate::sealing::SecretKey;

/// Whether the company lets other systems in.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct ApiAccessStatus {
    pub enabled: bool,
    /// Addresses and CIDR ranges every client and key must call from, on top of their own
    /// lists; empty admits any address. Signing in as a person is not affected.
    pub ip_allow_list: Vec<String>,
    /// RFC 3339; absent when access was never enabled.
    pub changed_at: Option<String>,
    pub changed_by: Option<i64>,
}

/// Loads the company and checks that the actor may administer API access (403 otherwise).
pub(crate) async fn authorise(db: &Db, actor: &Actor) -> Result<Company> {
    let company = company::load(db.pool(), actor.company_id).await?;
    if !may(
        actor,
        Action::ManageApiAccess,
        Target::Company(actor.company_id),
    ) {
        return Err(Error::forbidden(
            "only a super user may administer API access",
        ));
    }
    Ok(company)
}

/// Whether the company's API access is on, read inside `tx`.
async fn access_enabled(tx: &mut Tx, company_id: i64) -> Result<bool> {
    let enabled: Option<i64> =
        sqlx::query_scalar("SELECT enabled FROM api_access WHERE company_id = $1")
            .bind(company_id)
            .fetch_optional(&mut **tx)
            .await?;
    Ok(enabled.is_some_and(flag))
}

/// Refuses (409) unless the company's API access is on, read inside `tx`.
pub(crate) async fn require_enabled(tx: &mut Tx, company_id: i64) -> Result<()> {
    if !access_enabled(tx, company_id).await? {
        return Err(Error::conflict(
            code::CONFLICT,
            None,
            "API access is not enabled for this company: POST /api/v1/api-access/enable first",
        ));
    }
    Ok(())
}

/// The actor an operator's command acts as: the company's owner, with no address.
pub async fn operator(db: &Db, company_id: i64) -> Result<Actor> {
    let company = company::load(db.pool(), company_id).await?;
    let owner_id = company.owner_id.ok_or(Error::not_found("company owner"))?;
    let department_id: Option<i64> =
        sqlx::query_scalar("SELECT department_id FROM users WHERE company_id = $1 AND id = $2")
            .bind(company_id)
            .bind(owner_id)
            .fetch_optional(db.pool())
            .await?
            .ok_or(Error::not_found("company owner"))?;
    Ok(Actor {
        user_id: owner_id,
        company_id,
        role: UserType::SuperUser,
        is_owner: true,
        department_id,
        origin: crate::access::Origin::default(),
        policy: company.settings.policy(),
    })
}

pub async fn status(db: &Db, actor: &Actor) -> Result<ApiAccessStatus> {
    authorise(db, actor).await?;
    let row: Option<(i64, String, Option<i64>, i64)> = sqlx::query_as(
        "SELECT enabled, ip_allow_list, changed_by, changed_at FROM api_access WHERE company_id = $1",
    )
    .bind(actor.company_id)
    .fetch_optional(db.pool())
    .await?;
    Ok(match row {
        Some((enabled, allow, changed_by, changed_at)) => ApiAccessStatus {
            enabled: flag(enabled),
            ip_allow_list: IpAllowList::from_stored(&allow).names(),
            changed_at: Some(crate::time::rfc3339(changed_at)),
            changed_by,
        },
        None => ApiAccessStatus {
            enabled: false,
            ip_allow_list: Vec::new(),
            changed_at: None,
            changed_by: None,
        },
    })
}

/// The company-wide allow-list: replaces it. Kept apart from the company settings, which
/// a PATCH replaces whole, so that no unrelated change can drop the fence by omission.
#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct IpAllowListInput {
    /// Addresses and CIDR ranges, IPv4 or IPv6; empty admits any address.
    #[schema(value_type = crate::openapi::IpAllowList)]
    pub ip_allow_list: Vec<String>,
}

pub async fn set_ip_allow_list(
    db: &Db,
    actor: &Actor,
    input: IpAllowListInput,
) -> Result<ApiAccessStatus> {
    let company = authorise(db, actor).await?;
    let allow = IpAllowList::parse("ip_allow_list", &input.ip_allow_list)?;
    let mut tx = db.begin_write().await?;
    sqlx::query(
        "INSERT INTO api_access (company_id, enabled, ip_allow_list, changed_by, changed_at) VALUES ($1, 0, $2, $3, $4) \
         ON CONFLICT (company_id) DO UPDATE SET ip_allow_list = $2, changed_by = $3, changed_at = $4",
    )
    .bind(company.id)
    .bind(allow.to_stored())
    .bind(actor.user_id)
    .bind(now())
    .execute(&mut *tx)
    .await?;
    audit::record_by(
        &mut tx,
        actor,
        AuditAction::ApiAccessIpAllowListChanged,
        None,
        json!({"ip_allow_list": allow.names()}),
    )
    .await?;
    tx.commit().await?;
    status(db, actor).await
}

async fn set_access(tx: &mut Tx, actor: &Actor, enabled: bool) -> Result<()> {
    sqlx::query(
        "INSERT INTO api_access (company_id, enabled, ip_allow_list, changed_by, changed_at) VALUES ($1, $2, '[]', $3, $4) \
         ON CONFLICT (company_id) DO UPDATE SET enabled = $2, changed_by = $3, changed_at = $4",
    )
    .bind(actor.company_id)
    .bind(i64::from(enabled))
    .bind(actor.user_id)
    .bind(now())
    .execute(&mut **tx)
    .await?;
    Ok(())
}

/// Turns API access on and creates the company's first client, acting as the caller with
/// the caller's role and write access to every area, returning its secret once (sealed
/// under `key`, the server's secret key, for WhosOff's authenticate).
pub async fn enable(
    db: &Db,
    key: Option<&SecretKey>,
    actor: &Actor,
) -> Result<ApiClientWithSecret> {
    let company = authorise(db, actor).await?;
    let mut tx = db.begin_write().await?;
    if access_enabled(&mut tx, company.id).await? {
        return Err(Error::conflict(
            code::CONFLICT,
            None,
            "API access is already enabled; create further clients with POST /api/v1/api-clients",
        ));
    }
    set_access(&mut tx, actor, true).await?;
    audit::record_by(
        &mut tx,
        actor,
        AuditAction::ApiAccessEnabled,
        None,
        json!({}),
    )
    .await?;
    let all: Vec<String> = Area::ALL
        .iter()
        .map(|a| format!("{}:write", a.as_str()))
        .collect();
    let input = ApiClientForCreate {
        name: "API access".into(),
        description: Some("Created when API access was enabled".into()),
        scopes: all,
        ..Default::default()
    };
    let created = clients::insert(&mut tx, key, actor, &company, input).await?;
    tx.commit().await?;
    Ok(created)
}

/// Turns API access off: every client and key is disabled and every token deleted, so
/// nothing minted before works a moment longer.
pub async fn revoke_access(db: &Db, actor: &Actor) -> Result<ApiAccessStatus> {
    let company = authorise(db, actor).await?;
    let mut tx = db.begin_write().await?;
    set_access(&mut tx, actor, false).await?;
    let clients = sqlx::query(
        "UPDATE api_clients SET enabled = 0, updated_at = $2 WHERE company_id = $1 AND enabled = 1",
    )
    .bind(company.id)
    .bind(now())
    .execute(&mut *tx)
    .await?
    .rows_affected();
    let keys = sqlx::query("UPDATE api_keys SET enabled = 0 WHERE company_id = $1 AND enabled = 1")
        .bind(company.id)
        .execute(&mut *tx)
        .await?
        .rows_affected();
    sqlx::query("DELETE FROM api_tokens WHERE company_id = $1")
        .bind(company.id)
        .execute(&mut *tx)
        .await?;
    audit::record_by(
        &mut tx,
        actor,
        AuditAction::ApiAccessRevoked,
        None,
        json!({"clients_disabled": clients, "keys_disabled": keys}),
    )
    .await?;
    tx.commit().await?;
    status(db, actor).await
}
