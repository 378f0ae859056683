//! What approvers should know about a person: notes (free, or restricted to super users),
//! and restrictions naming colleagues who should not be away at the same time. A request
//! that would put restricted people away together is flagged to the approver and refused
//! unless a super user overrides, as staffing levels are.

use serde::{Deserialize, Serialize};
use sqlx::FromRow;
use utoipa::ToSchema;

use crate::access::audit::AuditAction;
use crate::company::{self, Company};
use crate::db::{Db, now};
use crate::error::{Error, Result};
use crate::leave::request::{Away, rules};
use crate::paging::Page;
use crate::people::record::UserRecord;
use crate::policy::{Action, Actor, FieldClass, Target, may};
use crate::validate;

#[derive(Debug, Clone, Serialize, Deserialize, ToSchema, FromRow)]
pub struct UserNote {
    pub id: i64,
    pub user_id: i64,
    /// 1: only super users see it (WhosOff type 1, restricted); 0: approvers too.
    pub restricted: i64,
    pub note: String,
    pub changed_by: i64,
    #[serde(skip)]
    pub changed_at: i64,
}

#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct UserNoteInput {
    #[schema(value_type = crate::openapi::Text2000)]
    pub note: String,
    #[serde(default)]
    pub restricted: bool,
}

/// A change to a note: what is sent changes, what is left out stays.
#[derive(Debug, Clone, Default)]
pub struct UserNotePatch {
    pub note: Option<String>,
    pub restricted: Option<bool>,
}

#[derive(Debug, Clone, Serialize, Deserialize, ToSchema, FromRow)]
pub struct Restriction {
    pub id: i64,
    pub user_id: i64,
    pub restricted_user_id: i64,
}

#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct RestrictionInput {
    pub restricted_user_id: i64,
    /// Also add the same restriction the other way round (WhosOff's `reverse_entry`).
    #[serde(default)]
    pub reverse_entry: bool,
}

/// Loads a user whose notes the actor may read (their approvers and super users) and, to
/// write, manage (super users).
async fn subject(
    db: &Db,
    actor: &Actor,
    user_id: i64,
    write: bool,
) -> Result<(Company, UserRecord)> {
    let company = company::load(db.pool(), actor.company_id).await?;
    let mut conn = db.pool().acquire().await?;
    let user = crate::people::service::load(&mut conn, actor.company_id, user_id)
        .await?
        .ok_or(Error::not_found("user"))?;
    let facts = crate::people::view::facts(&user, company.owner_id);
    if !may(actor, Action::ViewUser, Target::User(&facts)) {
        return Err(Error::not_found("user"));
    }
    let reads = may(actor, Action::ReadNotes, Target::User(&facts));
    if !reads
        || (write
            && !may(
                actor,
                Action::EditUser(FieldClass::Privileged),
                Target::User(&facts),
            ))
    {
        return Err(Error::forbidden(
            "notes and restrictions are for a user's approvers and super users",
        ));
    }
    Ok((company, user))
}

/// Notes about a user, oldest first, in pages.
pub async fn notes(
    db: &Db,
    actor: &Actor,
    user_id: i64,
    limit: Option<i64>,
    cursor: Option<&str>,
) -> Result<Page<UserNote>> {
    subject(db, actor, user_id, false).await?;
    let page = db.page("user-notes", limit, cursor).await?;
    let restricted_visible = i64::from(may(
        actor,
        Action::ReadRestrictedNotes,
        Target::Company(actor.company_id),
    ));
    let rows: Vec<UserNote> = sqlx::query_as(
        "SELECT id, user_id, restricted, note, changed_by, changed_at FROM user_notes \
         WHERE company_id = $1 AND user_id = $2 AND restricted <= $3 AND id > $4 ORDER BY id LIMIT $5",
    )
    .bind(actor.company_id)
    .bind(user_id)
    .bind(restricted_visible)
    .bind(page.after_id)
    .bind(page.limit + 1)
    .fetch_all(db.pool())
    .await?;
    Ok(page.finish(rows, |n| n.id))
}

pub async fn add_note(
    db: &Db,
    actor: &Actor,
    user_id: i64,
    input: UserNoteInput,
) -> Result<UserNote> {
    subject(db, actor, user_id, true).await?;
    let note = validate::required_text("note", &input.note, 2000)?;
    let stamp = now();
    let mut tx = db.begin_write().await?;
    let id: i64 = sqlx::query_scalar(
        "INSERT INTO user_notes (company_id, user_id, restricted, note, changed_by, changed_at) VALUES ($1, $2, $3, $4, $5, $6) RETURNING id",
    )
    .bind(actor.company_id)
    .bind(user_id)
    .bind(i64::from(input.restricted))
    .bind(&note)
    .bind(actor.user_id)
    .bind(stamp)
    .fetch_one(&mut *tx)
    .await?;
    crate::access::audit::record_by(
        &mut tx,
        actor,
        AuditAction::UserNoteAdded,
        Some(("user", user_id)),
        serde_json::json!({"note_id": id, "restricted": input.restricted}),
    )
    .await?;
    tx.commit().await?;
    Ok(UserNote {
        id,
        user_id,
        restricted: i64::from(input.restricted),
        note,
        changed_by: actor.user_id,
        changed_at: stamp,
    })
}

/// Changes a note (WhosOff's `user-note/update`): it is then the actor's, changed now.
/// A restricted note is found only by those who may read it, super users.
pub async fn update_note(
    db: &Db,
    actor: &Actor,
    note_id: i64,
    patch: UserNotePatch,
) -> Result<UserNote> {
    let restricted_visible = i64::from(actor.role.is_super_user());
    let found: Option<UserNote> = sqlx::query_as(
        "SELECT id, user_id, restricted, note, changed_by, changed_at FROM user_notes          WHERE company_id = $1 AND id = $2 AND restricted <= $3",
    )
    .bind(actor.company_id)
    .bind(note_id)
    .bind(restricted_visible)
    .fetch_optional(db.pool())
    .await?;
    let current = found.ok_or(Error::not_found("note"))?;
    subject(db, actor, current.user_id, true).await?;
    let note = match &patch.note {
        Some(text) => validate::required_text("note", text, 2000)?,
        None => current.note,
    };
    let restricted = patch.restricted.map_or(current.restricted, i64::from);
    let stamp = now();
    let mut tx = db.begin_write().await?;
    sqlx::query(
        "UPDATE user_notes SET note = $1, restricted = $2, changed_by = $3, changed_at = $4          WHERE company_id = $5 AND id = $6",
    )
    .bind(&note)
    .bind(restricted)
    .bind(actor.user_id)
    .bind(stamp)
    .bind(actor.company_id)
    .bind(note_id)
    .execute(&mut *tx)
    .await?;
    crate::access::audit::record_by(
        &mut tx,
        actor,
        AuditAction::UserNoteChanged,
        Some(("user", current.user_id)),
        serde_json::json!({"note_id": note_id, "restricted": restricted == 1}),
    )
    .await?;
    tx.commit().await?;
    Ok(UserNote {
        id: note_id,
        user_id: current.user_id,
        restricted,
        note,
        changed_by: actor.user_id,
        changed_at: stamp,
    })
}

/// The colleagues a user should not be away with, in pages.
pub async fn restrictions(
    db: &Db,
    actor: &Actor,
    user_id: i64,
    limit: Option<i64>,
    cursor: Option<&str>,
) -> Result<Page<Restriction>> {
    subject(db, actor, user_id, false).await?;
    let page = db.page("restrictions", limit, cursor).await?;
    let rows =
        restriction_rows(db, actor.company_id, user_id, page.after_id, page.limit + 1).await?;
    Ok(page.finish(rows, |r| r.id))
}

/// Up to `limit` of a user's restrictions after the id `after_id`, in id order.
async fn restriction_rows(
    db: &Db,
    company_id: i64,
    user_id: i64,
    after_id: i64,
    limit: i64,
) -> Result<Vec<Restriction>> {
    Ok(sqlx::query_as(
        "SELECT id, user_id, restricted_user_id FROM user_restrictions \
         WHERE company_id = $1 AND user_id = $2 AND id > $3 ORDER BY id LIMIT $4",
    )
    .bind(company_id)
    .bind(user_id)
    .bind(after_id)
    .bind(limit)
    .fetch_all(db.pool())
    .await?)
}

pub async fn add_restriction(
    db: &Db,
    actor: &Actor,
    user_id: i64,
    input: RestrictionInput,
) -> Result<Vec<Restriction>> {
    subject(db, actor, user_id, true).await?;
    if input.restricted_user_id == user_id {
        return Err(Error::invalid(
            "restricted_user_id",
            "a user cannot be restricted against themselves",
        ));
    }
    let mut tx = db.begin_write().await?;
    let other: Option<i64> =
        sqlx::query_scalar("SELECT id FROM users WHERE company_id = $1 AND id = $2")
            .bind(actor.company_id)
            .bind(input.restricted_user_id)
            .fetch_optional(&mut *tx)
            .await?;
    other.ok_or(Error::unknown_reference("user", "restricted_user_id"))?;
    let mut pairs = vec![(user_id, input.restricted_user_id)];
    if input.reverse_entry {
        pairs.push((input.restricted_user_id, user_id));
    }
    for (from, to) in pairs {
        sqlx::query(
            "INSERT INTO user_restrictions (company_id, user_id, restricted_user_id, created_at) VALUES ($1, $2, $3, $4) \
             ON CONFLICT (company_id, user_id, restricted_user_id) DO NOTHING",
        )
        .bind(actor.company_id)
        .bind(from)
        .bind(to)
        .bind(now())
        .execute(&mut *tx)
        .await?;
    }
    crate::access::audit::record_by(
        &mut tx,
        actor,
        AuditAction::UserRestrictionAdded,
        Some(("user", user_id)),
        serde_json::json!({"restricted_user_id": input.restricted_user_id, "reverse_entry": input.reverse_entry}),
    )
    .await?;
    tx.commit().await?;
    // The answer is the user's whole list, as before paging: a restriction is one per
    // colleague, so it is as long as the company at most.
    restriction_rows(db, actor.company_id, user_id, 0, i64::MAX).await
}

pub async fn remove_restriction(
    db: &Db,
    actor: &Actor,
    user_id: i64,
    restriction_id: i64,
) -> Result<()> {
    subject(db, actor, user_id, true).await?;
    let mut tx = db.begin_write().await?;
    let removed = sqlx::query(
        "DELETE FROM user_restrictions WHERE company_id = $1 AND user_id = $2 AND id = $3",
    )
    .bind(actor.company_id)
    .bind(user_id)
    .bind(restriction_id)
    .execute(&mut *tx)
    .await?
    .rows_affected();
    if removed == 0 {
        return Err(Error::not_found("restriction"));
    }
    crate::access::audit::record_by(
        &mut tx,
        actor,
        AuditAction::UserRestrictionRemoved,
        Some(("user", user_id)),
        serde_json::json!({"restriction_id": restriction_id}),
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

/// Removes a restriction found by its id alone (WhosOff's `user-restriction/del`), as
/// [`remove_restriction`] does under its user.
pub async fn remove_restriction_by_id(db: &Db, actor: &Actor, restriction_id: i64) -> Result<()> {
    let user_id: Option<i64> = sqlx::query_scalar(
        "SELECT user_id FROM user_restrictions WHERE company_id = $1 AND id = $2",
    )
    .bind(actor.company_id)
    .bind(restriction_id)
    .fetch_optional(db.pool())
    .await?;
    let user_id = user_id.ok_or(Error::not_found("restriction"))?;
    remove_restriction(db, actor, user_id, restriction_id).await
}

/// The colleagues `user_id` should not be away together with.
pub(crate) async fn restricted_colleagues(
    tx: &mut crate::db::Tx,
    company_id: i64,
    user_id: i64,
) -> Result<Vec<i64>> {
    Ok(sqlx::query_scalar(
        "SELECT restricted_user_id FROM user_restrictions WHERE company_id = $1 AND user_id = $2",
    )
    .bind(company_id)
    .bind(user_id)
    .fetch_all(&mut **tx)
    .await?)
}

/// A restricted colleague's stretch of approved leave, with their name.
#[derive(FromRow)]
struct AwayColleague {
    #[sqlx(flatten)]
    away: Away,
    first_name: String,
    last_name: String,
}

/// Warnings for the working `dates` (in order) on which a restricted colleague of
/// `user_id` is already away: one query over the range, then counted per day.
pub(crate) async fn restriction_warnings(
    tx: &mut crate::db::Tx,
    company_id: i64,
    user_id: i64,
    dates: &[jiff::civil::Date],
) -> Result<Vec<String>> {
    let (Some(first), Some(last)) = (dates.first(), dates.last()) else {
        return Ok(Vec::new());
    };
    let rows: Vec<AwayColleague> = sqlx::query_as(
        "SELECT u.id AS user_id, u.first_name, u.last_name, r.start_date, r.end_date FROM user_restrictions x \
         JOIN leave_requests r ON r.company_id = x.company_id AND r.user_id = x.restricted_user_id \
         JOIN users u ON u.company_id = r.company_id AND u.id = r.user_id \
         WHERE x.company_id = $1 AND x.user_id = $2 AND r.status = 'approved' AND r.start_date <= $3 AND r.end_date >= $4 \
         ORDER BY u.id",
    )
    .bind(company_id)
    .bind(user_id)
    .bind(last.to_string())
    .bind(first.to_string())
    .fetch_all(&mut **tx)
    .await?;
    let names: std::collections::HashMap<i64, (&str, &str)> = rows
        .iter()
        .map(|row| {
            (
                row.away.user_id,
                (row.first_name.as_str(), row.last_name.as_str()),
            )
        })
        .collect();
    let stretches: Vec<_> = rows.iter().map(|row| row.away.stretch()).collect();
    let mut warnings = Vec::new();
    for date in dates {
        for (first, last) in rules::away_on(*date, &stretches)
            .iter()
            .filter_map(|id| names.get(id))
        {
            warnings.push(format!(
                "{date}: {first} {last} is away, and the two should not be away together"
            ));
        }
    }
    Ok(warnings)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::people::model::UserInput;

    #[tokio::test]
    async fn a_note_changes_hands_and_a_restriction_goes_by_its_id() {
        let scratch = crate::testing::scratch_database().await.expect("db");
        let db = &scratch.db;
        let created = crate::signup::create_company(
            db,
            crate::signup::CompanyForCreate {
                name: "Notes Ltd".into(),
                time_zone: None,
                holiday_country: None,
                owner_email: "owner@notes.test".into(),
                owner_password: "a long test password".into(),
                owner_first_name: None,
                owner_last_name: None,
            },
        )
        .await
        .expect("company");
        let owner = crate::access::settings::operator(db, created.company_id)
            .await
            .expect("owner");
        let input = |email: &str| UserInput {
            email: Some(email.into()),
            first_name: Some("Pat".into()),
            last_name: Some("Person".into()),
            ..UserInput::default()
        };
        let pat = crate::people::service::create(db, &owner, input("pat@notes.test"))
            .await
            .expect("pat");
        let sam = crate::people::service::create(db, &owner, input("sam@notes.test"))
            .await
            .expect("sam");

        let note = add_note(
            db,
            &owner,
            pat.id,
            UserNoteInput {
                note: "Prefers mornings".into(),
                restricted: false,
            },
        )
        .await
        .expect("note");
        let changed = update_note(
            db,
            &owner,
            note.id,
            UserNotePatch {
                note: None,
                restricted: Some(true),
            },
        )
        .await
        .expect("changed");
        assert_eq!(changed.note, "Prefers mornings");
        assert_eq!(changed.restricted, 1);
        let blank = update_note(
            db,
            &owner,
            note.id,
            UserNotePatch {
                note: Some(" ".into()),
                restricted: None,
            },
        )
        .await;
        assert!(matches!(blank, Err(Error::Invalid { .. })), "{blank:?}");
        let absent = update_note(db, &owner, note.id + 1, UserNotePatch::default()).await;
        assert!(matches!(absent, Err(Error::NotFound { .. })), "{absent:?}");

        let list = add_restriction(
            db,
            &owner,
            pat.id,
            RestrictionInput {
                restricted_user_id: sam.id,
                reverse_entry: true,
            },
        )
        .await
        .expect("restricted");
        remove_restriction_by_id(db, &owner, list[0].id)
            .await
            .expect("removed");
        let left = restrictions(db, &owner, pat.id, None, None)
            .await
            .expect("list");
        assert!(left.data.is_empty());
        let again = remove_restriction_by_id(db, &owner, list[0].id).await;
        assert!(matches!(again, Err(Error::NotFound { .. })), "{again:?}");
        // The reverse entry stays: it is the colleague's own.
        let theirs = restrictions(db, &owner, sam.id, None, None)
            .await
            .expect("list");
        assert_eq!(theirs.data.len(), 1);
    }
}
