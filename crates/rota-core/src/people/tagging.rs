//! One tag put on or taken off one user (WhosOff's Map User Tag), without resending the
//! user's whole list of tags, so two integrations tagging the same person at once both
//! count. It is the same change as setting the user's `tags`: a super user's (privileged
//! field), audited as a user update and announced to webhooks.

use serde_json::json;

use crate::access::audit::{self, AuditAction};
use crate::company;
use crate::db::{Db, now};
use crate::error::Result;
use crate::org::{self, Kind};
use crate::people::model::UserInput;
use crate::people::service::{announce, may_edit};
use crate::policy::{Actor, FieldClass};
use crate::webhooks::events::Event;

/// Whether a user carries a tag, to be made so.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Tagging {
    Put,
    TakenOff,
}

/// Puts `tag_id` on user `user_id`, or takes it off; doing what is already so changes
/// nothing and is not an error. Another company's user or tag is answered as absent.
pub async fn set(
    db: &Db,
    actor: &Actor,
    user_id: i64,
    tag_id: i64,
    tagging: Tagging,
) -> Result<()> {
    let company = company::load(db.pool(), actor.company_id).await?;
    let input = UserInput {
        tags: Some(vec![tag_id]),
        ..UserInput::default()
    };
    let mut tx = db.begin_write().await?;
    let (record, _) = may_edit(
        &mut tx,
        actor,
        &company,
        user_id,
        FieldClass::Privileged,
        &input,
    )
    .await?;
    org::ensure_exists(&mut tx, Kind::Tag, actor.company_id, Some(tag_id), "tag_id").await?;
    let changed = match tagging {
        Tagging::Put => sqlx::query(
            "INSERT INTO user_tags (company_id, user_id, tag_id) VALUES ($1, $2, $3) \
             ON CONFLICT DO NOTHING",
        ),
        Tagging::TakenOff => sqlx::query(
            "DELETE FROM user_tags WHERE company_id = $1 AND user_id = $2 AND tag_id = $3",
        ),
    }
    .bind(actor.company_id)
    .bind(user_id)
    .bind(tag_id)
    .execute(&mut *tx)
    .await?
    .rows_affected();
    if changed > 0 {
        sqlx::query("UPDATE users SET updated_at = $1 WHERE company_id = $2 AND id = $3")
            .bind(now())
            .bind(actor.company_id)
            .bind(user_id)
            .execute(&mut *tx)
            .await?;
        audit::record_by(
            &mut tx,
            actor,
            AuditAction::UserUpdated,
            Some(("user", user_id)),
            json!({"fields": ["tags"], "tag_id": tag_id, "tagged": tagging == Tagging::Put}),
        )
        .await?;
        announce(&mut tx, &record, Event::UserUpdated).await?;
    }
    tx.commit().await?;
    Ok(())
}
