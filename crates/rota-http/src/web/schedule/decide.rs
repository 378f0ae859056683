//! A manager's decisions on the open-shifts page: the swaps and drops a colleague accepted
//! that wait for approval (approve or deny), and the bids for open shifts that require
//! approval (give the shift to one bidder, or deny them all). Shown to those who build the
//! schedule; the core's `schedule::swap::{approve, deny}` and
//! `schedule::open_requests::{approve, deny}` decide which they may.

use axum::extract::{Path, State};
use axum::response::{IntoResponse, Redirect, Response};
use jiff::Timestamp;
use rota_core::paging::MAX_LIMIT;
use rota_core::schedule::open_requests::{
    self, ApproveInput, OpenShiftRequestStatus, RequestFilter,
};
use rota_core::schedule::swap::{self, SwapFilter, SwapStatus};
use serde::Deserialize;

use super::shift_form::NoFields;
use super::view::{Names, ShiftView};
use super::{ensure_schedules, optional_id, shifts_by_id};
use crate::AppState;
use crate::web::approvals::path_id;
use crate::web::page::{PageError, PersonNames};
use crate::web::session::{Posted, Refused, Signed};

/// A swap a colleague accepted, waiting for my approval.
pub struct SwapToDecide {
    pub id: i64,
    pub from: String,
    pub to: String,
    pub shift: Option<ShiftView>,
    /// A swap: the shift of the colleague who accepted, which goes the other way.
    pub exchange: Option<ShiftView>,
}

/// An open shift with its standing bidders.
pub struct BidsToDecide {
    pub id: i64,
    pub shift: Option<ShiftView>,
    pub bidders: Vec<(i64, String)>,
}

/// What waits for `signed`'s decision, from now on.
pub async fn waiting(
    state: &AppState,
    signed: &Signed,
    names: &Names,
) -> Result<(Vec<SwapToDecide>, Vec<BidsToDecide>), PageError> {
    let actor = &signed.actor;
    let now = Some(Timestamp::now().to_string());
    let filter = SwapFilter {
        status: Some(SwapStatus::Pending),
        from: now.clone(),
        ..SwapFilter::default()
    };
    // Accepted by a colleague, and waiting for a manager's approval.
    let pending: Vec<(swap::Swap, i64)> =
        swap::list(&state.db, actor, &filter, Some(MAX_LIMIT), None)
            .await?
            .data
            .into_iter()
            .filter(|s| s.requires_approval)
            .filter_map(|s| s.accepted_user_id.map(|to| (s, to)))
            .collect();
    // The accepting colleague's shift in exchange, for a swap.
    let exchange = |(swap, to): &(swap::Swap, i64)| {
        (swap.recipients.iter())
            .find(|r| r.user_id == *to)
            .and_then(|r| r.shift_id)
    };
    let shifts = shifts_by_id(
        state,
        signed,
        (pending.iter()).flat_map(|p| std::iter::once(p.0.shift_id).chain(exchange(p))),
        names,
    )
    .await?;
    let filter = RequestFilter {
        status: Some(OpenShiftRequestStatus::Pending),
        from: now,
        ..RequestFilter::default()
    };
    let requests = open_requests::list(&state.db, actor, &filter, Some(MAX_LIMIT), None)
        .await?
        .data;
    let bidding = |request: &open_requests::OpenShiftRequest| {
        request
            .bids
            .iter()
            .filter(|b| b.withdrawn_at.is_none())
            .map(|b| b.user_id)
            .collect::<Vec<_>>()
    };
    let people = PersonNames::load(
        state,
        signed,
        pending
            .iter()
            .flat_map(|(s, to)| [s.user_id, *to])
            .chain(requests.iter().flat_map(bidding)),
    )
    .await?;
    let swaps = pending
        .iter()
        .map(|waiting| SwapToDecide {
            id: waiting.0.id,
            from: people.of(waiting.0.user_id),
            to: people.of(waiting.1),
            shift: shifts.get(&waiting.0.shift_id).cloned(),
            exchange: exchange(waiting).and_then(|id| shifts.get(&id).cloned()),
        })
        .collect();
    let bids = requests
        .iter()
        .map(|request| BidsToDecide {
            id: request.id,
            shift: ShiftView::of(&request.shift, names),
            bidders: bidding(request)
                .into_iter()
                .map(|id| (id, people.of(id)))
                .collect(),
        })
        .collect();
    Ok((swaps, bids))
}

fn back(done: &str) -> Response {
    Redirect::to(&format!("/schedule/open?done={done}")).into_response()
}

pub async fn approve_swap(
    state: State<AppState>,
    Path(id): Path<String>,
    posted: Posted<NoFields>,
) -> Result<Response, Refused> {
    decided(state, &id, posted, Decision::ApproveSwap).await
}

pub async fn deny_swap(
    state: State<AppState>,
    Path(id): Path<String>,
    posted: Posted<NoFields>,
) -> Result<Response, Refused> {
    decided(state, &id, posted, Decision::DenySwap).await
}

pub async fn deny_bids(
    state: State<AppState>,
    Path(id): Path<String>,
    posted: Posted<NoFields>,
) -> Result<Response, Refused> {
    decided(state, &id, posted, Decision::DenyBids).await
}

/// A decision that takes nothing but its swap's or open shift request's id.
#[derive(Clone, Copy)]
enum Decision {
    ApproveSwap,
    DenySwap,
    DenyBids,
}

async fn decided(
    State(state): State<AppState>,
    id: &str,
    posted: Posted<NoFields>,
    decision: Decision,
) -> Result<Response, Refused> {
    let (signed, _) = posted.of_signed()?;
    ensure_schedules(&signed)?;
    let id = path_id(id)?;
    let (db, actor) = (&state.db, &signed.actor);
    let done = match decision {
        Decision::ApproveSwap => swap::approve(db, actor, id).await.map(|_| "swap-approved"),
        Decision::DenySwap => swap::deny(db, actor, id).await.map(|_| "swap-denied"),
        Decision::DenyBids => open_requests::deny(db, actor, id)
            .await
            .map(|_| "bids-denied"),
    }
    .map_err(PageError::from)?;
    Ok(back(done))
}

/// The bidder to give the shift to.
#[derive(Deserialize, Default)]
pub struct PickForm {
    #[serde(default)]
    user_id: String,
}

pub async fn give_to_bidder(
    State(state): State<AppState>,
    Path(id): Path<String>,
    posted: Posted<PickForm>,
) -> Result<Response, Refused> {
    let (signed, form) = posted.of_signed()?;
    ensure_schedules(&signed)?;
    let id = path_id(&id)?;
    let user_id = optional_id("user_id", &form.user_id)?
        .ok_or_else(|| PageError::from(rota_core::Error::invalid("user_id", "pick a bidder")))?;
    open_requests::approve(&state.db, &signed.actor, id, ApproveInput { user_id })
        .await
        .map_err(PageError::from)?;
    Ok(back("bid-approved"))
}
