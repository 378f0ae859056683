//! The comment thread of a request (the When I Work message object): read and added by
//! whoever may see the request.

use serde::{Deserialize, Serialize};
use sqlx::FromRow;
use utoipa::ToSchema;

use super::read::for_change;
use crate::access::audit::{self, AuditAction};
use crate::db::{Db, now};
use crate::error::Result;
use crate::paging::Page;
use crate::policy::Actor;
use crate::validate;

/// A message on a request's thread.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema, FromRow)]
pub struct Comment {
    pub id: i64,
    pub request_id: i64,
    pub user_id: i64,
    pub content: String,
    #[serde(skip)]
    pub created_at: i64,
}

#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CommentInput {
    #[schema(value_type = crate::openapi::Text2000)]
    pub content: String,
}

/// The request's comment thread, oldest first, in pages.
pub async fn comments(
    db: &Db,
    actor: &Actor,
    request_id: i64,
    limit: Option<i64>,
    cursor: Option<&str>,
) -> Result<Page<Comment>> {
    for_change(db, actor, request_id, None).await?;
    let page = db.page("comments", limit, cursor).await?;
    let rows: Vec<Comment> = sqlx::query_as(
        "SELECT id, request_id, user_id, content, created_at FROM leave_request_comments \
        WHERE company_id = $1 AND request_id = $2 AND id > $3 ORDER BY id LIMIT $4",
    )
    .bind(actor.company_id)
    .bind(request_id)
    .bind(page.after_id)
    .bind(page.limit + 1)
    .fetch_all(db.pool())
    .await?;
    Ok(page.finish(rows, |c| c.id))
}

/// A comment with its author's name, as a page shows the thread.
#[derive(Debug, Clone, FromRow)]
pub struct Said {
    #[sqlx(flatten)]
    pub comment: Comment,
    pub first_name: String,
    pub last_name: String,
}

/// The whole thread of a request, oldest first, each comment with its author's name; for
/// whoever may see the request, as [`comments`].
pub async fn thread(db: &Db, actor: &Actor, request_id: i64) -> Result<Vec<Said>> {
    for_change(db, actor, request_id, None).await?;
    Ok(sqlx::query_as(
        "SELECT c.id, c.request_id, c.user_id, c.content, c.created_at, u.first_name, u.last_name \
         FROM leave_request_comments c JOIN users u ON u.company_id = c.company_id AND u.id = c.user_id \
         WHERE c.company_id = $1 AND c.request_id = $2 ORDER BY c.id",
    )
    .bind(actor.company_id)
    .bind(request_id)
    .fetch_all(db.pool())
    .await?)
}

pub async fn add_comment(
    db: &Db,
    actor: &Actor,
    request_id: i64,
    input: CommentInput,
) -> Result<Comment> {
    for_change(db, actor, request_id, None).await?;
    let content = validate::required_text("content", &input.content, 2000)?;
    let stamp = now();
    let mut tx = db.begin_write().await?;
    let id: i64 = sqlx::query_scalar("INSERT INTO leave_request_comments (company_id, request_id, user_id, content, created_at) VALUES ($1, $2, $3, $4, $5) RETURNING id")
        .bind(actor.company_id)
        .bind(request_id)
        .bind(actor.user_id)
        .bind(&content)
        .bind(stamp)
        .fetch_one(&mut *tx)
        .await?;
    audit::record_by(
        &mut tx,
        actor,
        AuditAction::LeaveCommented,
        Some(("leave_request", request_id)),
        serde_json::json!({"comment_id": id}),
    )
    .await?;
    tx.commit().await?;
    Ok(Comment {
        id,
        request_id,
        user_id: actor.user_id,
        content,
        created_at: stamp,
    })
}
