//! Open shifts and swaps: the published open shifts of the next four weeks, each with a
//! take button (the core takes it at once, or records a bid where it requires approval);
//! the swaps and drops offered to me, to accept or decline (my own shift is offered by
//! [`super::offer`]); for those who build the schedule, what waits for
//! their decision ([`super::decide`]). The core's `schedule::take` and `schedule::swap`, as
//! `POST /shifts/{id}/take` and `/swaps` call them, decide who may.

use askama::Template;
use axum::extract::{Path, Query, State};
use axum::response::{IntoResponse, Redirect, Response};
use jiff::Timestamp;
use rota_core::paging::MAX_LIMIT;
use rota_core::schedule::swap::{self, RecipientStatus, SwapFilter, SwapKind};
use rota_core::schedule::{self, ShiftFilter, Taken};
use serde::Deserialize;

use super::decide::{self, BidsToDecide, SwapToDecide};
use super::shift_form::NoFields;
use super::view::{ShiftView, colours_href};
use super::{Org, schedules, shifts_by_id};
use crate::AppState;
use crate::web::approvals::path_id;
use crate::web::page::{Frame, PageError, render};
use crate::web::session::{Posted, Refused, Signed};

/// A swap or drop offered to me.
pub struct Offer {
    pub id: i64,
    pub kind: &'static str,
    pub shift: Option<ShiftView>,
    /// A swap: my shift I would give for it.
    pub exchange: Option<ShiftView>,
}

#[derive(Template)]
#[template(path = "schedule_open.html")]
struct OpenPage {
    frame: Frame,
    notice: Option<&'static str>,
    colours: String,
    open: Vec<ShiftView>,
    offers: Vec<Offer>,
    /// For those who build the schedule: what waits for their decision.
    decide: Option<(Vec<SwapToDecide>, Vec<BidsToDecide>)>,
}

#[derive(Deserialize)]
pub struct DoneQuery {
    done: Option<String>,
}

pub async fn open_page(
    State(state): State<AppState>,
    signed: Signed,
    Query(query): Query<DoneQuery>,
) -> Result<Response, PageError> {
    let frame = Frame::load(&state, &signed, "/schedule/open", "Open shifts").await?;
    let actor = &signed.actor;
    let names = Org::load(&state, &signed).await?.names();
    let now = Timestamp::now();
    let later = now
        .checked_add(jiff::SignedDuration::from_hours(28 * 24))
        .unwrap_or(now);
    let filter = ShiftFilter {
        from: Some(now.to_string()),
        to: Some(later.to_string()),
        published: Some(true),
        open_only: true,
        ..ShiftFilter::default()
    };
    let open: Vec<ShiftView> = schedule::list(&state.db, actor, &filter, Some(MAX_LIMIT), None)
        .await?
        .data
        .iter()
        .filter_map(|s| ShiftView::of(s, &names))
        .collect();
    let swaps = swap::list(
        &state.db,
        actor,
        &SwapFilter {
            mine: true,
            from: Some(now.to_string()),
            ..SwapFilter::default()
        },
        Some(MAX_LIMIT),
        None,
    )
    .await?
    .data;
    let offered: Vec<_> = swaps
        .into_iter()
        .filter(|s| {
            s.user_id != actor.user_id
                && (s.open_to_all
                    || s.recipients.iter().any(|r| {
                        r.user_id == actor.user_id && r.status == RecipientStatus::PendingAcceptance
                    }))
        })
        .collect();
    let mine_in_exchange = |offered: &swap::Swap| {
        (offered.recipients.iter())
            .find(|r| r.user_id == actor.user_id)
            .and_then(|r| r.shift_id)
    };
    let shifts = shifts_by_id(
        &state,
        &signed,
        (offered.iter()).flat_map(|s| std::iter::once(s.shift_id).chain(mine_in_exchange(s))),
        &names,
    )
    .await?;
    let offers: Vec<Offer> = offered
        .iter()
        .map(|offered| Offer {
            id: offered.id,
            kind: match offered.kind {
                SwapKind::Swap => "Swap",
                SwapKind::Drop => "Drop",
            },
            shift: shifts.get(&offered.shift_id).cloned(),
            exchange: mine_in_exchange(offered).and_then(|id| shifts.get(&id).cloned()),
        })
        .collect();
    let notice = match query.done.as_deref() {
        Some("taken") => Some("The shift is yours."),
        Some("bid") => Some("Your bid is in; a manager picks among the bids."),
        Some("accepted") => Some("You accepted the offer."),
        Some("declined") => Some("You declined the offer."),
        Some("offered") => Some("Your shift is offered to colleagues."),
        Some("swap-approved") => Some("The swap is approved: the shifts changed hands."),
        Some("swap-denied") => Some("The swap is denied."),
        Some("bid-approved") => Some("The shift is given to the bidder."),
        Some("bids-denied") => Some("The bids are denied."),
        _ => None,
    };
    let decide = if schedules(&signed) {
        Some(decide::waiting(&state, &signed, &names).await?)
    } else {
        None
    };
    render(&OpenPage {
        frame,
        notice,
        colours: colours_href(
            open.iter()
                .chain(offers.iter().filter_map(|o| o.shift.as_ref()))
                .chain(decide.iter().flat_map(|(swaps, bids)| {
                    swaps
                        .iter()
                        .filter_map(|s| s.shift.as_ref())
                        .chain(bids.iter().filter_map(|b| b.shift.as_ref()))
                })),
        ),
        open,
        offers,
        decide,
    })
}

pub async fn take(
    State(state): State<AppState>,
    Path(id): Path<String>,
    posted: Posted<NoFields>,
) -> Result<Response, Refused> {
    let (signed, _) = posted.of_signed()?;
    let id = path_id(&id)?;
    let done = match schedule::take(&state.db, &signed.actor, id)
        .await
        .map_err(PageError::from)?
    {
        Taken::Shift(_) => "taken",
        Taken::Bid(_) => "bid",
    };
    Ok(Redirect::to(&format!("/schedule/open?done={done}")).into_response())
}

pub async fn accept_swap(
    state: State<AppState>,
    Path(id): Path<String>,
    posted: Posted<NoFields>,
) -> Result<Response, Refused> {
    answer(state, &id, posted, true).await
}

pub async fn decline_swap(
    state: State<AppState>,
    Path(id): Path<String>,
    posted: Posted<NoFields>,
) -> Result<Response, Refused> {
    answer(state, &id, posted, false).await
}

async fn answer(
    State(state): State<AppState>,
    id: &str,
    posted: Posted<NoFields>,
    accepting: bool,
) -> Result<Response, Refused> {
    let (signed, _) = posted.of_signed()?;
    let id = path_id(id)?;
    let actor = &signed.actor;
    if accepting {
        swap::accept(&state.db, actor, id).await
    } else {
        swap::decline(&state.db, actor, id).await
    }
    .map_err(PageError::from)?;
    let done = if accepting { "accepted" } else { "declined" };
    Ok(Redirect::to(&format!("/schedule/open?done={done}")).into_response())
}
