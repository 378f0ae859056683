//! One leave request and its comment thread, for whoever may see it (the holder, their
//! approvers, super users): what was asked and decided, the messages oldest first, and a
//! form to add one. My leave and the approvals link here.

use askama::Template;
use axum::extract::{Path, Query, State};
use axum::response::{IntoResponse, Redirect, Response};
use rota_core::leave::request::{self, CommentInput};
use serde::Deserialize;

use super::approvals::path_id;
use super::my_leave::{RequestRow, request_row};
use super::page::{Frame, PageError, Problem, render};
use super::session::{Posted, Refused, Signed};
use crate::AppState;

/// A message of the thread as the page shows it.
pub struct Message {
    pub author: String,
    pub mine: bool,
    pub at: String,
    pub content: String,
}

#[derive(Template)]
#[template(path = "leave_request.html")]
struct RequestPage {
    frame: Frame,
    notice: Option<&'static str>,
    holder: String,
    note: Option<String>,
    request: RequestRow,
    messages: Vec<Message>,
    content: String,
    problem: Problem,
}

#[derive(Deserialize)]
pub struct NoticeQuery {
    done: Option<String>,
}

pub async fn page(
    State(state): State<AppState>,
    signed: Signed,
    Path(id): Path<String>,
    Query(query): Query<NoticeQuery>,
) -> Result<Response, PageError> {
    let id = path_id(&id)?;
    let notice = query.done.is_some().then_some("Your message is added.");
    render(
        &request_page(
            &state,
            &signed,
            id,
            notice,
            String::new(),
            Problem::default(),
        )
        .await?,
    )
}

async fn request_page(
    state: &AppState,
    signed: &Signed,
    id: i64,
    notice: Option<&'static str>,
    content: String,
    problem: Problem,
) -> Result<RequestPage, PageError> {
    let actor = &signed.actor;
    let found = request::get(&state.db, actor, id).await?;
    let note = found.note.clone();
    let detail = request::describe(&state.db, actor, vec![found])
        .await?
        .into_iter()
        .next()
        .ok_or_else(PageError::not_found)?;
    let holder = format!("{} {}", detail.holder.first_name, detail.holder.last_name);
    let thread = request::thread(&state.db, actor, id).await?;
    let frame = Frame::load(state, signed, "/leave", "Leave request").await?;
    let messages = thread
        .into_iter()
        .map(|said| Message {
            author: format!("{} {}", said.first_name, said.last_name),
            mine: said.comment.user_id == actor.user_id,
            at: jiff::Timestamp::from_second(said.comment.created_at)
                .map(|at| {
                    at.to_zoned(frame.zone.clone())
                        .strftime("%Y-%m-%d %H:%M")
                        .to_string()
                })
                .unwrap_or_default(),
            content: said.comment.content,
        })
        .collect();
    // Cancelling stays on My leave, where the core's rules for it are applied.
    let request = request_row(detail, false, frame.today);
    Ok(RequestPage {
        frame,
        notice,
        holder,
        note,
        request,
        messages,
        content,
        problem,
    })
}

#[derive(Deserialize)]
pub struct CommentForm {
    #[serde(default)]
    content: String,
}

/// Adds a message to the thread; the core decides who may and refuses an empty one.
pub async fn comment(
    State(state): State<AppState>,
    Path(id): Path<String>,
    posted: Posted<CommentForm>,
) -> Result<Response, Refused> {
    let (signed, form) = posted.of_signed()?;
    let id = path_id(&id)?;
    let input = CommentInput {
        content: form.content.clone(),
    };
    match request::add_comment(&state.db, &signed.actor, id, input).await {
        Ok(_) => Ok(Redirect::to(&format!("/leave/{id}?done=commented#thread")).into_response()),
        Err(error) => {
            let error = PageError::from(error);
            if error.field.as_deref() != Some("content") {
                return Err(error.into());
            }
            let problem = Problem::of(&error, &["content"]);
            let page = request_page(&state, &signed, id, None, form.content, problem).await?;
            let mut response = render(&page)?;
            *response.status_mut() = axum::http::StatusCode::UNPROCESSABLE_ENTITY;
            Ok(response)
        }
    }
}
