//! Message threads (When I Work's messages): one thread per subject, a shift, a swap or an
//! open-shift request, read and written by whoever may see the subject. A message is
//! audited, announced (`message.posted`) and mailed to the other people of the subject: a
//! shift's holder and their approver; a swap's holder and the colleagues it names; an
//! open-shift request's bidders and whoever made its shift.

use serde::{Deserialize, Serialize};
use sqlx::FromRow;
use utoipa::ToSchema;

use super::holders::Holders;
use super::read::visible;
use super::swap::load_visible;
use crate::access::audit::{self, AuditAction};
use crate::db::{Db, now};
use crate::error::{Error, Result};
use crate::mail::{self, Message};
use crate::paging::Page;
use crate::people::types::{EmailType, text_enum};
use crate::policy::Actor;
use crate::validate;
use crate::webhooks::events::Event;

text_enum! {
    /// What a thread is about.
    SubjectKind { Shift = "shift", Swap = "swap", OpenShiftRequest = "open_shift_request" }
}

/// A thread's subject: its kind and id.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Subject {
    Shift(i64),
    Swap(i64),
    OpenShiftRequest(i64),
}

impl Subject {
    pub fn kind(self) -> SubjectKind {
        match self {
            Self::Shift(_) => SubjectKind::Shift,
            Self::Swap(_) => SubjectKind::Swap,
            Self::OpenShiftRequest(_) => SubjectKind::OpenShiftRequest,
        }
    }

    pub fn id(self) -> i64 {
        match self {
            Self::Shift(id) | Self::Swap(id) | Self::OpenShiftRequest(id) => id,
        }
    }

    /// What it is, as a mail's subject line says it.
    fn noun(self) -> &'static str {
        match self {
            Self::Shift(_) => "a shift",
            Self::Swap(_) => "a swap",
            Self::OpenShiftRequest(_) => "a request for an open shift",
        }
    }

    /// Its thread in the native API, from the server's root.
    fn thread_path(self) -> String {
        let collection = match self {
            Self::Shift(_) => "shifts",
            Self::Swap(_) => "swaps",
            Self::OpenShiftRequest(_) => "open-shift-requests",
        };
        format!("/api/v1/{collection}/{}/messages", self.id())
    }

    /// The subject's people, if `actor` may see it (absent otherwise, as another
    /// company's is): those a message is mailed to, besides its author.
    async fn people(self, conn: &mut sqlx::AnyConnection, actor: &Actor) -> Result<Vec<i64>> {
        Ok(match self {
            Self::Shift(id) => {
                let (row, holders) = visible(conn, actor, id, false).await?;
                let approver = row
                    .user_id
                    .and_then(|u| holders.records.get(&u))
                    .and_then(|u| u.approver_id);
                row.user_id.into_iter().chain(approver).collect()
            }
            Self::Swap(id) => {
                let (row, _) = load_visible(conn, actor, id).await?;
                std::iter::once(row.user_id)
                    .chain(row.recipient_ids())
                    .collect()
            }
            Self::OpenShiftRequest(id) => super::open_requests::people(conn, actor, id).await?,
        })
    }
}

/// A message on a thread.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct ThreadMessage {
    pub id: i64,
    pub subject: SubjectKind,
    pub subject_id: i64,
    /// Its author.
    pub user_id: i64,
    pub content: String,
    /// RFC 3339, UTC.
    pub created_at: String,
}

#[derive(FromRow)]
struct MessageRow {
    id: i64,
    #[sqlx(try_from = "String")]
    subject_kind: SubjectKind,
    subject_id: i64,
    user_id: i64,
    content: String,
    created_at: i64,
}

impl MessageRow {
    fn render(self) -> ThreadMessage {
        ThreadMessage {
            id: self.id,
            subject: self.subject_kind,
            subject_id: self.subject_id,
            user_id: self.user_id,
            content: self.content,
            created_at: crate::time::rfc3339(self.created_at),
        }
    }
}

#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct MessageInput {
    #[schema(value_type = crate::openapi::Text2000)]
    pub content: String,
}

/// The subject's thread, oldest first, in pages.
pub async fn messages(
    db: &Db,
    actor: &Actor,
    subject: Subject,
    limit: Option<i64>,
    cursor: Option<&str>,
) -> Result<Page<ThreadMessage>> {
    let mut conn = db.pool().acquire().await?;
    subject.people(&mut conn, actor).await?;
    let page = db.page("messages", limit, cursor).await?;
    let rows: Vec<MessageRow> = sqlx::query_as(
        "SELECT id, subject_kind, subject_id, user_id, content, created_at FROM messages \
         WHERE company_id = $1 AND subject_kind = $2 AND subject_id = $3 AND id > $4 ORDER BY id LIMIT $5",
    )
    .bind(actor.company_id)
    .bind(subject.kind().as_str())
    .bind(subject.id())
    .bind(page.after_id)
    .bind(page.limit + 1)
    .fetch_all(&mut *conn)
    .await?;
    Ok(page.finish(rows, |m| m.id).map(MessageRow::render))
}

/// The actor posts a message on the subject's thread.
pub async fn post(
    db: &Db,
    actor: &Actor,
    subject: Subject,
    input: MessageInput,
) -> Result<ThreadMessage> {
    let mut tx = db.begin_write().await?;
    let mut people = subject.people(&mut tx, actor).await?;
    let content = validate::required_text("content", &input.content, 2000)?;
    let stamp = now();
    let id: i64 = sqlx::query_scalar(
        "INSERT INTO messages (company_id, subject_kind, subject_id, user_id, content, created_at) \
         VALUES ($1, $2, $3, $4, $5, $6) RETURNING id",
    )
    .bind(actor.company_id)
    .bind(subject.kind().as_str())
    .bind(subject.id())
    .bind(actor.user_id)
    .bind(&content)
    .bind(stamp)
    .fetch_one(&mut *tx)
    .await?;
    let message = ThreadMessage {
        id,
        subject: subject.kind(),
        subject_id: subject.id(),
        user_id: actor.user_id,
        content,
        created_at: crate::time::rfc3339(stamp),
    };
    audit::record_by(
        &mut tx,
        actor,
        AuditAction::MessagePosted,
        Some((subject.kind().as_str(), subject.id())),
        serde_json::json!({"message_id": id}),
    )
    .await?;
    let data = serde_json::to_value(&message).map_err(|e| Error::Internal(e.to_string().into()))?;
    crate::webhooks::emit(&mut tx, actor.company_id, Event::MessagePosted, data).await?;
    people.retain(|&p| p != actor.user_id);
    let told = Holders::load(&mut tx, actor.company_id, people).await?;
    let mail: Vec<Message> = told
        .records
        .values()
        .filter(|u| EmailType::from_stored(&u.email_type).ok() != Some(EmailType::None))
        .map(|u| Message {
            recipient_user_id: Some(u.id),
            recipient_address: u.email.clone(),
            subject: format!("A message about {}", subject.noun()),
            text_body: format!(
                "Hello {},\n\n{}\n\nSee the thread at {}.\n",
                u.first_name,
                message.content,
                subject.thread_path(),
            ),
            html_body: None,
        })
        .collect();
    mail::enqueue(&mut tx, actor.company_id, &mail).await?;
    tx.commit().await?;
    Ok(message)
}
