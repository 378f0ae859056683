//! Taking an open shift: anyone it fits (its position among theirs, its location among
//! theirs when they have any) takes a published open shift for themselves at once, unless
//! their calendar is in the way. Exactly one of many takers wins: the shift (one holder)
//! and the taker (their calendar) are locked before the shift is read, so whoever comes
//! second finds it held (`shift_not_open`). See docs/architecture.md, "the one way".
//! A shift that requires approval is not taken but bid for ([`super::open_requests`]).

use super::conflicts;
use super::draft::Draft;
use super::history::Reason;
use super::open_requests::{self, OpenShiftRequest};
use super::read::visible;
use super::row::{Shift, Zones};
use super::rules::{self, WorksAt};
use super::settings;
use super::tail::{self, Change};
use crate::db::Db;
use crate::error::{Error, Result, code};
use crate::locks::{self, Owner};
use crate::people::view::{Memberships, memberships};
use crate::policy::{Action, Actor};

impl From<Memberships> for WorksAt {
    fn from(m: Memberships) -> Self {
        Self {
            positions: m.positions.iter().map(|p| p.position_id).collect(),
            locations: m.locations,
        }
    }
}

/// What taking an open shift did.
#[derive(Debug, Clone)]
pub enum Taken {
    /// The shift is the taker's.
    Shift(Shift),
    /// The shift requires approval: the taker bid for it.
    Bid(OpenShiftRequest),
}

/// The actor takes open shift `id` (its history records `take`, and `shift.updated` is
/// announced), or bids for it when it requires approval.
pub async fn take(db: &Db, actor: &Actor, id: i64) -> Result<Taken> {
    let company_id = actor.company_id;
    let mut tx = db.begin_write().await?;
    locks::lock(
        &mut tx,
        company_id,
        [Owner::User(actor.user_id), Owner::Shift(id)],
    )
    .await?;
    let (before, holders) = visible(&mut tx, actor, id, false).await?;
    if before.user_id.is_some() {
        return Err(Error::conflict(
            code::SHIFT_NOT_OPEN,
            None,
            "somebody holds this shift already",
        ));
    }
    if !holders.may_on(actor, Action::TakeShift, &before) {
        return Err(Error::forbidden("an open shift is taken once published"));
    }
    let works_at = memberships(&mut tx, company_id, &[actor.user_id])
        .await?
        .remove(&actor.user_id)
        .map(WorksAt::from)
        .unwrap_or_default();
    rules::eligible(before.location_id, before.position_id, &works_at)?;
    let draft = Draft {
        user_id: Some(actor.user_id),
        ..Draft::of(&before)
    };
    let zones = Zones::load(&mut tx, company_id).await?;
    let settings = settings::load(&mut *tx, company_id).await?;
    let warnings =
        conflicts::check(&mut tx, company_id, &draft, Some(id), (&zones, &settings)).await?;
    let taken = if before.requires_approval {
        Taken::Bid(open_requests::bid(&mut tx, actor, &before).await?)
    } else {
        let after = draft.update(&mut tx, &before).await?;
        let change = Change::Edited(Reason::Take);
        let shown = tail::record(&mut tx, actor, change, Some(&before), &after, &zones).await?;
        Taken::Shift(Shift { warnings, ..shown })
    };
    tx.commit().await?;
    Ok(taken)
}
