//! Making shifts, one or many at once: all are written or none. Each user given a shift is
//! locked before their calendar is checked (docs/architecture.md, "the one way").

use std::borrow::Cow;

use super::conflicts;
use super::draft::{Draft, ShiftInput};
use super::holders::Holders;
use super::row::{Shift, Zones};
use super::settings;
use super::tail::{self, Change};
use super::templates;
use crate::db::Db;
use crate::error::{Error, Result};
use crate::locks::{self, Owner};
use crate::policy::{Action, Actor, Target, may};

/// The most shifts one call makes.
pub const MAX_BATCH: usize = 500;

/// Fails with 403 unless `actor` builds schedules at all: asked before any input is read.
pub(crate) fn scheduling(actor: &Actor) -> Result<()> {
    if may(
        actor,
        Action::ScheduleShifts,
        Target::Company(actor.company_id),
    ) {
        Ok(())
    } else {
        Err(Error::forbidden("only managers build the schedule"))
    }
}

/// Makes one shift.
pub async fn create(db: &Db, actor: &Actor, input: ShiftInput) -> Result<Shift> {
    scheduling(actor)?;
    let settings = settings::load(db.pool(), actor.company_id).await?;
    let mut conn = db.pool().acquire().await?;
    let zones = Zones::load(&mut conn, actor.company_id).await?;
    let input = filled(&mut conn, actor.company_id, input, &zones).await?;
    drop(conn);
    let draft = Draft::new(&input, settings.open_shifts_require_approval)?;
    let mut made = write(db, actor, vec![(draft, input.override_conflicts)], false).await?;
    made.pop()
        .ok_or_else(|| Error::Internal("a shift made nothing".into()))
}

/// Makes every shift of `inputs`, or none: an error names its item (`[2].ends_at`).
pub async fn create_many(db: &Db, actor: &Actor, inputs: Vec<ShiftInput>) -> Result<Vec<Shift>> {
    scheduling(actor)?;
    if inputs.is_empty() || inputs.len() > MAX_BATCH {
        return Err(Error::invalid(
            "shifts",
            format!("send from 1 to {MAX_BATCH} shifts"),
        ));
    }
    let settings = settings::load(db.pool(), actor.company_id).await?;
    let mut conn = db.pool().acquire().await?;
    let zones = Zones::load(&mut conn, actor.company_id).await?;
    let mut drafts = Vec::with_capacity(inputs.len());
    for (i, input) in inputs.into_iter().enumerate() {
        let input = filled(&mut conn, actor.company_id, input, &zones)
            .await
            .map_err(|e| of_item(i, e))?;
        let draft =
            Draft::new(&input, settings.open_shifts_require_approval).map_err(|e| of_item(i, e))?;
        drafts.push((draft, input.override_conflicts));
    }
    drop(conn);
    write(db, actor, drafts, true).await
}

/// `input` with its template, if it names one, filled in (`templates::fill`); an unknown
/// template is 404 on `template_id`.
async fn filled(
    conn: &mut sqlx::AnyConnection,
    company_id: i64,
    input: ShiftInput,
    zones: &Zones,
) -> Result<ShiftInput> {
    let Some(id) = input.template_id else {
        if input.date.is_some() {
            return Err(Error::invalid(
                "date",
                "date is for a shift made from a template",
            ));
        }
        return Ok(input);
    };
    let template = match templates::load(conn, company_id, id).await {
        Err(Error::NotFound { .. }) => {
            return Err(Error::unknown_reference("shift template", "template_id"));
        }
        other => other?,
    };
    templates::fill(input, &template, zones)
}

/// `error` about item `i` of a batch: its field prefixed with the item's place.
fn of_item(i: usize, error: Error) -> Error {
    let place = |field: Option<Cow<'static, str>>| {
        Some(Cow::Owned(match field {
            Some(field) => format!("[{i}].{field}"),
            None => format!("[{i}]"),
        }))
    };
    match error {
        Error::Invalid {
            code,
            message,
            field,
        } => Error::Invalid {
            code,
            message,
            field: place(field),
        },
        Error::NotFound { resource, field } => Error::NotFound {
            resource,
            field: place(field),
        },
        Error::Conflict {
            code,
            message,
            field,
        } => Error::Conflict {
            code,
            message,
            field: place(field),
        },
        other => other,
    }
}

async fn write(
    db: &Db,
    actor: &Actor,
    drafts: Vec<(Draft, bool)>,
    batch: bool,
) -> Result<Vec<Shift>> {
    let company_id = actor.company_id;
    let users: Vec<i64> = drafts.iter().filter_map(|(d, _)| d.user_id).collect();
    let mut tx = db.begin_write().await?;
    locks::lock(&mut tx, company_id, users.iter().map(|&id| Owner::User(id))).await?;
    let holders = Holders::load(&mut tx, company_id, users).await?;
    let zones = Zones::load(&mut tx, company_id).await?;
    let settings = settings::load(&mut *tx, company_id).await?;
    let mut made = Vec::with_capacity(drafts.len());
    for (i, (draft, override_conflicts)) in drafts.iter().enumerate() {
        let place = |e| if batch { of_item(i, e) } else { e };
        draft
            .check_references(&mut tx, company_id)
            .await
            .map_err(place)?;
        if !holders.may(actor, Action::ManageShift, draft.user_id, draft.published) {
            return Err(Error::forbidden(
                "you may not schedule shifts for this user",
            ));
        }
        let warnings = if *override_conflicts {
            Vec::new()
        } else {
            conflicts::check(&mut tx, company_id, draft, None, (&zones, &settings))
                .await
                .map_err(place)?
        };
        let row = draft.insert(&mut tx, actor).await?;
        let shown = tail::record(&mut tx, actor, Change::Created, None, &row, &zones).await?;
        made.push(Shift { warnings, ..shown });
    }
    tx.commit().await?;
    Ok(made)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_error_in_a_batch_names_its_item() {
        let field = |e: Error| match e {
            Error::Invalid { field, .. }
            | Error::NotFound { field, .. }
            | Error::Conflict { field, .. } => field.map(Cow::into_owned),
            _ => None,
        };
        assert_eq!(
            field(of_item(2, Error::invalid("ends_at", "x"))).as_deref(),
            Some("[2].ends_at")
        );
        assert_eq!(
            field(of_item(0, Error::invalid("breaks[1].starts_at", "x"))).as_deref(),
            Some("[0].breaks[1].starts_at")
        );
        assert_eq!(
            field(of_item(1, Error::unknown_reference("user", "user_id"))).as_deref(),
            Some("[1].user_id")
        );
        assert_eq!(
            field(of_item(3, Error::not_found("shift"))).as_deref(),
            Some("[3]")
        );
    }
}
