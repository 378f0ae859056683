//! A company's webhook subscriptions: create, list, read, change, rotate the secret of,
//! delete, and send a test ping. Super users only, signed in as themselves; every write is
//! audited, never with the secret. Another company's subscription is absent (404).

use serde::{Deserialize, Serialize};
use serde_json::json;
use sqlx::{AssertSqlSafe, FromRow};
use utoipa::ToSchema;

use crate::access::audit;
use crate::access::audit::AuditAction;
use crate::access::settings::authorise;
use crate::db::{Db, Tx, flag, now};
use crate::error::{Error, Result};
use crate::paging::Page;
use crate::policy::Actor;
use crate::webhooks::{WebhookSettings, address, events, sealing};
use crate::{secret, validate};

/// Prefix of a webhook signing secret, so a leaked one is recognisable.
pub const SECRET_PREFIX: &str = "rota_whsec_";

/// A new subscription.
#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct WebhookForCreate {
    /// `https://…` (or `http://…`); it must lead to public addresses unless the server
    /// allows private ones.
    #[schema(value_type = crate::openapi::WebhookUrl)]
    pub url: String,
    #[schema(value_type = Option<crate::openapi::OptionalText500>)]
    pub description: Option<String>,
    /// Event names (`user.created`, `user.updated`, `user.archived`, `user.restored`,
    /// `leave.requested`, `leave.approved`, `leave.declined`, `leave.cancelled`,
    /// `shift.created`, `shift.updated`, `shift.deleted`, `shift.published`,
    /// `shift.unpublished`), or `*` for every event, including ones added later.
    #[schema(value_type = Vec<crate::openapi::EventName>, min_items = 1)]
    pub events: Vec<String>,
    /// Default true; a disabled subscription is owed nothing.
    pub enabled: Option<bool>,
}

/// Changes to a subscription; absent fields stay as they are.
#[derive(Debug, Clone, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct WebhookPatch {
    #[schema(value_type = Option<crate::openapi::WebhookUrl>)]
    pub url: Option<String>,
    #[schema(value_type = Option<crate::openapi::OptionalText500>)]
    pub description: Option<String>,
    #[schema(value_type = Option<Vec<crate::openapi::EventName>>, min_items = 1)]
    pub events: Option<Vec<String>>,
    pub enabled: Option<bool>,
}

/// A subscription as the API shows it; the secret is shown only when issued.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct Webhook {
    pub id: i64,
    pub company_id: i64,
    pub url: String,
    pub description: Option<String>,
    pub events: Vec<String>,
    pub enabled: bool,
    pub created_by: Option<i64>,
    pub created_at: String,
    pub updated_at: String,
    pub secret_rotated_at: String,
}

/// A subscription with its signing secret: the one time the secret is shown.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct WebhookWithSecret {
    #[serde(flatten)]
    pub webhook: Webhook,
    /// `rota_whsec_…`, 256 random bits. The HMAC-SHA256 key for `Rota-Signature` is this
    /// text as UTF-8. Shown once.
    #[schema(value_type = String)]
    pub secret: crate::secret::Issued,
}

/// What `POST /webhooks/{id}/test` queued.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct PingQueued {
    /// The `id` of the `ping` event in the body the receiver gets.
    pub event_id: String,
}

#[derive(FromRow)]
pub(crate) struct SubscriptionRow {
    id: i64,
    company_id: i64,
    url: String,
    description: Option<String>,
    events: String,
    enabled: i64,
    created_by: Option<i64>,
    created_at: i64,
    updated_at: i64,
    secret_rotated_at: i64,
}

const SELECT: &str = "SELECT id, company_id, url, description, events, enabled, created_by, created_at, updated_at, \
    secret_rotated_at FROM webhook_subscriptions";

impl SubscriptionRow {
    fn render(self) -> Webhook {
        Webhook {
            id: self.id,
            company_id: self.company_id,
            url: self.url,
            description: self.description,
            events: serde_json::from_str(&self.events).unwrap_or_default(),
            enabled: flag(self.enabled),
            created_by: self.created_by,
            created_at: crate::time::rfc3339(self.created_at),
            updated_at: crate::time::rfc3339(self.updated_at),
            secret_rotated_at: crate::time::rfc3339(self.secret_rotated_at),
        }
    }
}

pub(crate) async fn load(tx: &mut Tx, company_id: i64, id: i64) -> Result<SubscriptionRow> {
    sqlx::query_as(AssertSqlSafe(format!(
        "{SELECT} WHERE company_id = $1 AND id = $2"
    )))
    .bind(company_id)
    .bind(id)
    .fetch_optional(&mut **tx)
    .await?
    .ok_or(Error::not_found("webhook"))
}

/// A URL fit to subscribe: well-formed and, unless `allow_private`, public.
async fn checked_url(text: &str, allow_private: bool) -> Result<String> {
    let url = address::parse_url(text)?;
    address::check(&url, allow_private).await?;
    Ok(url.to_string())
}

/// The checked event list, and the JSON it is stored as.
fn stored_events(names: &[String]) -> Result<(Vec<String>, String)> {
    let events = events::parse_subscribed(names)?;
    let stored =
        serde_json::to_string(&events).map_err(|e| Error::Internal(e.to_string().into()))?;
    Ok((events, stored))
}

pub async fn create(
    db: &Db,
    actor: &Actor,
    input: WebhookForCreate,
    settings: &WebhookSettings,
) -> Result<WebhookWithSecret> {
    let company = authorise(db, actor).await?;
    let description = validate::optional_text("description", input.description.as_deref(), 500)?;
    let (events, stored_events) = stored_events(&input.events)?;
    let url = checked_url(&input.url, settings.allow_private).await?;
    let enabled = input.enabled.unwrap_or(true);
    let secret = secret::new_token(SECRET_PREFIX);
    let stamp = now();
    let mut tx = db.begin_write().await?;
    let id: i64 = sqlx::query_scalar(
        "INSERT INTO webhook_subscriptions (company_id, url, description, events, secret, enabled, created_by, \
         created_at, updated_at, secret_rotated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $8, $8) RETURNING id",
    )
    .bind(company.id)
    .bind(&url)
    .bind(&description)
    .bind(&stored_events)
    .bind(sealing::seal(settings.secret_key.as_ref(), company.id, &secret)?)
    .bind(i64::from(enabled))
    .bind(actor.user_id)
    .bind(stamp)
    .fetch_one(&mut *tx)
    .await?;
    audit::record_by(
        &mut tx,
        actor,
        AuditAction::WebhookCreated,
        Some(("webhook", id)),
        json!({"url": url, "events": events, "enabled": enabled}),
    )
    .await?;
    let webhook = load(&mut tx, company.id, id).await?.render();
    tx.commit().await?;
    Ok(WebhookWithSecret {
        webhook,
        secret: secret.into(),
    })
}

/// The company's subscriptions, in pages.
pub async fn list(
    db: &Db,
    actor: &Actor,
    limit: Option<i64>,
    cursor: Option<&str>,
) -> Result<Page<Webhook>> {
    authorise(db, actor).await?;
    let page = db.page("webhooks", limit, cursor).await?;
    let rows: Vec<SubscriptionRow> = sqlx::query_as(AssertSqlSafe(format!(
        "{SELECT} WHERE company_id = $1 AND id > $2 ORDER BY id LIMIT $3"
    )))
    .bind(actor.company_id)
    .bind(page.after_id)
    .bind(page.limit + 1)
    .fetch_all(db.pool())
    .await?;
    Ok(page.finish(rows, |r| r.id).map(SubscriptionRow::render))
}

pub async fn get(db: &Db, actor: &Actor, id: i64) -> Result<Webhook> {
    authorise(db, actor).await?;
    let mut tx = db.pool().begin().await?;
    let row = load(&mut tx, actor.company_id, id).await?;
    tx.commit().await?;
    Ok(row.render())
}

pub async fn update(
    db: &Db,
    actor: &Actor,
    id: i64,
    patch: WebhookPatch,
    settings: &WebhookSettings,
) -> Result<Webhook> {
    let company = authorise(db, actor).await?;
    let mut changed = serde_json::Map::new();
    // Everything that needs no lock (and the DNS look-up) before the transaction.
    let url = match &patch.url {
        Some(url) => Some(checked_url(url, settings.allow_private).await?),
        None => None,
    };
    let description = match &patch.description {
        Some(text) => Some(validate::optional_text("description", Some(text), 500)?),
        None => None,
    };
    let events = patch.events.as_deref().map(stored_events).transpose()?;
    let mut tx = db.begin_write().await?;
    let mut row = load(&mut tx, company.id, id).await?;
    if let Some(url) = url {
        changed.insert("url".into(), json!(url));
        row.url = url;
    }
    if let Some(description) = description {
        changed.insert("description".into(), json!(description));
        row.description = description;
    }
    if let Some((events, stored)) = events {
        changed.insert("events".into(), json!(events));
        row.events = stored;
    }
    if let Some(enabled) = patch.enabled {
        changed.insert("enabled".into(), json!(enabled));
        row.enabled = i64::from(enabled);
    }
    sqlx::query(
        "UPDATE webhook_subscriptions SET url = $1, description = $2, events = $3, enabled = $4, updated_at = $5 \
         WHERE company_id = $6 AND id = $7",
    )
    .bind(&row.url)
    .bind(&row.description)
    .bind(&row.events)
    .bind(row.enabled)
    .bind(now())
    .bind(company.id)
    .bind(id)
    .execute(&mut *tx)
    .await?;
    audit::record_by(
        &mut tx,
        actor,
        AuditAction::WebhookUpdated,
        Some(("webhook", id)),
        serde_json::Value::Object(changed),
    )
    .await?;
    let row = load(&mut tx, company.id, id).await?;
    tx.commit().await?;
    Ok(row.render())
}

/// Issues a new secret, shown this once; deliveries from now on, retries included, are
/// signed with it.
pub async fn rotate_secret(
    db: &Db,
    actor: &Actor,
    id: i64,
    settings: &WebhookSettings,
) -> Result<WebhookWithSecret> {
    let company = authorise(db, actor).await?;
    let secret = secret::new_token(SECRET_PREFIX);
    let mut tx = db.begin_write().await?;
    load(&mut tx, company.id, id).await?;
    sqlx::query(
        "UPDATE webhook_subscriptions SET secret = $1, secret_rotated_at = $2, updated_at = $2 WHERE company_id = $3 AND id = $4",
    )
    .bind(sealing::seal(settings.secret_key.as_ref(), company.id, &secret)?)
    .bind(now())
    .bind(company.id)
    .bind(id)
    .execute(&mut *tx)
    .await?;
    audit::record_by(
        &mut tx,
        actor,
        AuditAction::WebhookSecretRotated,
        Some(("webhook", id)),
        json!({}),
    )
    .await?;
    let webhook = load(&mut tx, company.id, id).await?.render();
    tx.commit().await?;
    Ok(WebhookWithSecret {
        webhook,
        secret: secret.into(),
    })
}

/// Deletes a subscription with its deliveries and their log; its audit events stay.
pub async fn delete(db: &Db, actor: &Actor, id: i64) -> Result<()> {
    let company = authorise(db, actor).await?;
    let mut tx = db.begin_write().await?;
    let row = load(&mut tx, company.id, id).await?;
    // The log first, then the deliveries it belongs to, then the subscription.
    sqlx::query(
        "DELETE FROM webhook_attempts WHERE company_id = $1 AND delivery_id IN \
         (SELECT id FROM webhook_deliveries WHERE company_id = $1 AND subscription_id = $2)",
    )
    .bind(company.id)
    .bind(id)
    .execute(&mut *tx)
    .await?;
    sqlx::query("DELETE FROM webhook_deliveries WHERE company_id = $1 AND subscription_id = $2")
        .bind(company.id)
        .bind(id)
        .execute(&mut *tx)
        .await?;
    sqlx::query("DELETE FROM webhook_subscriptions WHERE company_id = $1 AND id = $2")
        .bind(company.id)
        .bind(id)
        .execute(&mut *tx)
        .await?;
    audit::record_by(
        &mut tx,
        actor,
        AuditAction::WebhookDeleted,
        Some(("webhook", id)),
        json!({"url": row.url}),
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

/// Queues a `ping` event to this subscription alone, to try its receiver; the delivery
/// log shows how it went. 409 while the subscription is disabled: it would not be sent.
pub async fn ping(db: &Db, actor: &Actor, id: i64) -> Result<PingQueued> {
    let company = authorise(db, actor).await?;
    let mut tx = db.begin_write().await?;
    if !flag(load(&mut tx, company.id, id).await?.enabled) {
        return Err(Error::conflict(
            crate::error::code::CONFLICT,
            Some("enabled"),
            "this webhook is disabled; enable it to send to it",
        ));
    }
    let event_id = events::ping(&mut tx, company.id, id).await?;
    audit::record_by(
        &mut tx,
        actor,
        AuditAction::WebhookPinged,
        Some(("webhook", id)),
        json!({"event_id": event_id}),
    )
    .await?;
    tx.commit().await?;
    Ok(PingQueued { event_id })
}
