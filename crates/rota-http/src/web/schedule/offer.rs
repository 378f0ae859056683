//! Offering one of my shifts to colleagues: the people the core says it could go to
//! (`schedule::swap_candidates`: it fits their position and location and clashes with
//! nothing of theirs), ticked on a page, for the core's drop to them (to anyone it fits
//! when none is ticked); or one of their shifts picked that I would take in exchange (the
//! candidates' `shift_ids`), for the core's swap. The core checks each again as it is made.

use askama::Template;
use axum::extract::{Path, State};
use axum::response::{IntoResponse, Redirect, Response};
use rota_core::schedule::swap::{self, SwapInput, SwapKind};
use rota_core::schedule::swap_candidates;
use serde::Deserialize;

use super::view::{ShiftView, colours_href};
use super::{Org, shifts_by_id};
use crate::AppState;
use crate::web::approvals::path_id;
use crate::web::page::{Frame, PageError, PersonNames, render};
use crate::web::session::{Posted, Refused, Signed};

#[derive(Template)]
#[template(path = "schedule_offer.html")]
struct OfferPage {
    frame: Frame,
    colours: String,
    shift: ShiftView,
    /// The colleagues it could go to: id and name, by name.
    colleagues: Vec<(i64, String)>,
    /// Their shifts I could take in exchange, with whose each is, by start.
    exchanges: Vec<(ShiftView, String)>,
}

pub async fn offer_page(
    State(state): State<AppState>,
    signed: Signed,
    Path(id): Path<String>,
) -> Result<Response, PageError> {
    let id = path_id(&id)?;
    let actor = &signed.actor;
    let candidates = swap_candidates(&state.db, actor, id).await?;
    let org = Org::load(&state, &signed).await?;
    let shift = shifts_by_id(&state, &signed, [id], &org.names())
        .await?
        .remove(&id)
        .ok_or_else(PageError::not_found)?;
    let names = PersonNames::load(&state, &signed, candidates.user_ids.iter().copied()).await?;
    let mut colleagues: Vec<(i64, String)> = candidates
        .user_ids
        .iter()
        .map(|id| (*id, names.of(*id)))
        .collect();
    colleagues.sort_by(|a, b| a.1.cmp(&b.1));
    let mut theirs = shifts_by_id(
        &state,
        &signed,
        candidates.shift_ids.iter().copied(),
        &org.names(),
    )
    .await?;
    let exchanges: Vec<(ShiftView, String)> = candidates
        .shift_ids
        .iter()
        .filter_map(|id| theirs.remove(id))
        .map(|view| {
            let holder = view.user_id.map(|id| names.of(id)).unwrap_or_default();
            (view, holder)
        })
        .collect();
    let frame = Frame::load(&state, &signed, "/schedule", "Offer a shift").await?;
    render(&OfferPage {
        frame,
        colours: colours_href(std::iter::once(&shift).chain(exchanges.iter().map(|(v, _)| v))),
        shift,
        colleagues,
        exchanges,
    })
}

/// My shift offered: to the colleagues ticked (`user_ids`), or to anyone it fits.
pub async fn give_up(
    State(state): State<AppState>,
    Path(id): Path<String>,
    posted: Posted<Vec<(String, String)>>,
) -> Result<Response, Refused> {
    let (signed, form) = posted.of_signed()?;
    let shift_id = path_id(&id)?;
    let user_ids = form
        .iter()
        .filter(|(key, _)| key == "user_ids")
        .map(|(_, value)| {
            value
                .parse()
                .map_err(|_| PageError::bad_form("user_ids are ids"))
        })
        .collect::<Result<Vec<i64>, PageError>>()?;
    offered(
        &state,
        &signed,
        SwapInput {
            shift_id,
            kind: SwapKind::Drop,
            shift_ids: Vec::new(),
            user_ids,
        },
    )
    .await
}

#[derive(Deserialize)]
pub struct SwapForm {
    /// The colleague's shift I would take in exchange.
    shift_id: String,
}

/// My shift offered in exchange for a colleague's (`shift_id`), which they accept or not.
pub async fn swap_for(
    State(state): State<AppState>,
    Path(id): Path<String>,
    posted: Posted<SwapForm>,
) -> Result<Response, Refused> {
    let (signed, form) = posted.of_signed()?;
    let exchange = form
        .shift_id
        .parse()
        .map_err(|_| PageError::bad_form("pick a shift to take in exchange"))?;
    offered(
        &state,
        &signed,
        SwapInput {
            shift_id: path_id(&id)?,
            kind: SwapKind::Swap,
            shift_ids: vec![exchange],
            user_ids: Vec::new(),
        },
    )
    .await
}

async fn offered(state: &AppState, signed: &Signed, input: SwapInput) -> Result<Response, Refused> {
    swap::create(&state.db, &signed.actor, input)
        .await
        .map_err(PageError::from)?;
    Ok(Redirect::to("/schedule/open?done=offered").into_response())
}
