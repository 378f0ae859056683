//! What a client sends to make or change a shift, checked into a [`Draft`]: the shift as it
//! is to be written, every field typed and every rule of [`super::rules`] passed. A draft
//! is written whole, breaks included (those a change omits are gone, as in When I Work).

use serde::Deserialize;
use utoipa::ToSchema;

use super::row::{RETURNING, ShiftRow};
use super::rules::{self, Break};
use crate::db::{Tx, now};
use crate::error::{Error, Result};
use crate::org::{Kind, ensure_exists};
use crate::policy::Actor;
use crate::validate;

/// A new shift.
#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ShiftInput {
    /// Whose shift; absent or null for an open shift.
    pub user_id: Option<i64>,
    pub location_id: i64,
    pub position_id: Option<i64>,
    pub site_id: Option<i64>,
    /// RFC 3339, any offset; required unless the shift is made from a template.
    #[schema(value_type = Option<crate::openapi::Instant>)]
    pub starts_at: Option<String>,
    /// RFC 3339, after `starts_at` and at most 24 hours later; required unless the shift
    /// is made from a template.
    #[schema(value_type = Option<crate::openapi::Instant>)]
    pub ends_at: Option<String>,
    /// A shift template to make it from, with `date` and without `starts_at` and
    /// `ends_at`: its times on that date in the location's zone, and its position, site,
    /// breaks, colour and notes where this shift gives none.
    pub template_id: Option<i64>,
    /// `YYYY-MM-DD`: the day of a shift made from a template.
    #[schema(value_type = Option<crate::openapi::Date>)]
    pub date: Option<String>,
    /// At most 10; together shorter than the shift.
    #[serde(default)]
    #[schema(max_items = 10)]
    pub breaks: Vec<BreakInput>,
    /// Six hex digits; `cccccc` when absent.
    #[schema(value_type = Option<crate::openapi::Colour>)]
    pub colour: Option<String>,
    #[schema(value_type = Option<crate::openapi::OptionalText2000>)]
    pub notes: Option<String>,
    /// Publish at once; a draft when absent.
    #[serde(default)]
    pub published: bool,
    /// Whether taking it while open bids for it, for a manager to pick among the bids;
    /// the company's `open_shifts_require_approval` when absent.
    pub requires_approval: Option<bool>,
    /// Assign even over the user's other shifts, approved leave or a business-closed day.
    #[serde(default, rename = "override")]
    pub override_conflicts: bool,
}

/// A scheduled break.
#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct BreakInput {
    #[schema(minimum = 1, maximum = 1440)]
    pub length_minutes: i64,
    /// Paid rest (true) or an unpaid meal break (false, when absent).
    #[serde(default)]
    pub paid: bool,
    /// RFC 3339, inside the shift; absent when not planned.
    #[schema(value_type = Option<crate::openapi::Instant>)]
    pub starts_at: Option<String>,
}

/// Changes to a shift; absent fields stay as they are, `null` clears the optional ones
/// (a null `user_id` makes it an open shift). `breaks`, when present, replaces them all.
#[derive(Debug, Clone, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ShiftPatch {
    #[serde(default, deserialize_with = "validate::nullable")]
    #[schema(value_type = Option<i64>)]
    pub user_id: Option<Option<i64>>,
    pub location_id: Option<i64>,
    #[serde(default, deserialize_with = "validate::nullable")]
    #[schema(value_type = Option<i64>)]
    pub position_id: Option<Option<i64>>,
    #[serde(default, deserialize_with = "validate::nullable")]
    #[schema(value_type = Option<i64>)]
    pub site_id: Option<Option<i64>>,
    #[schema(value_type = Option<crate::openapi::Instant>)]
    pub starts_at: Option<String>,
    #[schema(value_type = Option<crate::openapi::Instant>)]
    pub ends_at: Option<String>,
    #[schema(max_items = 10)]
    pub breaks: Option<Vec<BreakInput>>,
    #[schema(value_type = Option<crate::openapi::Colour>)]
    pub colour: Option<String>,
    #[serde(default, deserialize_with = "validate::nullable")]
    #[schema(value_type = Option<crate::openapi::OptionalText2000>)]
    pub notes: Option<Option<String>>,
    pub published: Option<bool>,
    /// Whether taking it while open bids for it rather than taking it at once.
    pub requires_approval: Option<bool>,
    /// As on create.
    #[serde(default, rename = "override")]
    pub override_conflicts: bool,
}

/// A statement that writes a shift and hands back its row.
type RowQuery<'q> = sqlx::query::QueryAs<'q, sqlx::Any, ShiftRow, sqlx::any::AnyArguments>;

/// A shift as it is to be written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Draft {
    pub user_id: Option<i64>,
    pub location_id: i64,
    pub position_id: Option<i64>,
    pub site_id: Option<i64>,
    pub starts_at: i64,
    pub ends_at: i64,
    pub breaks: Vec<Break>,
    pub colour: String,
    pub notes: Option<String>,
    pub published: bool,
    pub requires_approval: bool,
}

/// A field a shift needs unless it comes from a template.
fn required<'a>(field: &'static str, value: &'a Option<String>) -> Result<&'a str> {
    value
        .as_deref()
        .ok_or_else(|| Error::invalid(field, format!("{field} is required")))
}

fn parse_breaks(breaks: &[BreakInput]) -> Result<Vec<Break>> {
    breaks
        .iter()
        .enumerate()
        .map(|(i, b)| {
            let starts_at = match &b.starts_at {
                Some(text) => Some(validate::instant("starts_at", text).map_err(|_| {
                    Error::invalid(
                        format!("breaks[{i}].starts_at"),
                        "a break's starts_at must be an RFC 3339 instant",
                    )
                })?),
                None => None,
            };
            Ok(Break {
                length_minutes: b.length_minutes,
                paid: b.paid,
                starts_at,
            })
        })
        .collect()
}

impl Draft {
    /// A new shift from `input` (a template already filled in), every rule checked; it requires approval as the input
    /// says, else as `approval` (the company's default) does.
    pub fn new(input: &ShiftInput, approval: bool) -> Result<Self> {
        let draft = Self {
            user_id: input.user_id,
            location_id: input.location_id,
            position_id: input.position_id,
            site_id: input.site_id,
            starts_at: validate::instant("starts_at", required("starts_at", &input.starts_at)?)?,
            ends_at: validate::instant("ends_at", required("ends_at", &input.ends_at)?)?,
            breaks: parse_breaks(&input.breaks)?,
            colour: match &input.colour {
                Some(colour) => validate::colour("colour", colour)?,
                None => "cccccc".into(),
            },
            notes: validate::optional_text("notes", input.notes.as_deref(), rules::NOTES_MAX)?,
            published: input.published,
            requires_approval: input.requires_approval.unwrap_or(approval),
        };
        draft.check()?;
        Ok(draft)
    }

    /// The shift `row` is now.
    pub fn of(row: &ShiftRow) -> Self {
        Self {
            user_id: row.user_id,
            location_id: row.location_id,
            position_id: row.position_id,
            site_id: row.site_id,
            starts_at: row.starts_at,
            ends_at: row.ends_at,
            breaks: row.breaks.iter().map(|b| b.rule()).collect(),
            colour: row.colour.clone(),
            notes: row.notes.clone(),
            published: row.published,
            requires_approval: row.requires_approval,
        }
    }

    /// This shift with `patch` applied, every rule checked again.
    pub fn patched(mut self, patch: &ShiftPatch) -> Result<Self> {
        if let Some(user_id) = patch.user_id {
            self.user_id = user_id;
        }
        if let Some(location_id) = patch.location_id {
            self.location_id = location_id;
        }
        if let Some(position_id) = patch.position_id {
            self.position_id = position_id;
        }
        if let Some(site_id) = patch.site_id {
            self.site_id = site_id;
        }
        if let Some(text) = &patch.starts_at {
            self.starts_at = validate::instant("starts_at", text)?;
        }
        if let Some(text) = &patch.ends_at {
            self.ends_at = validate::instant("ends_at", text)?;
        }
        if let Some(breaks) = &patch.breaks {
            self.breaks = parse_breaks(breaks)?;
        }
        if let Some(colour) = &patch.colour {
            self.colour = validate::colour("colour", colour)?;
        }
        if let Some(notes) = &patch.notes {
            self.notes = validate::optional_text("notes", notes.as_deref(), rules::NOTES_MAX)?;
        }
        if let Some(published) = patch.published {
            self.published = published;
        }
        if let Some(requires_approval) = patch.requires_approval {
            self.requires_approval = requires_approval;
        }
        self.check()?;
        Ok(self)
    }

    fn check(&self) -> Result<()> {
        rules::times(self.starts_at, self.ends_at)?;
        rules::breaks(self.starts_at, self.ends_at, &self.breaks)
    }

    /// Whether the draft differs from `before` in whom, when or where: what conflicts are
    /// about, and what its user acknowledged.
    pub fn moves(&self, before: &Draft) -> bool {
        self.user_id != before.user_id
            || self.starts_at != before.starts_at
            || self.ends_at != before.ends_at
            || self.location_id != before.location_id
    }

    /// Fails with 404 on the field unless every reference names one of the company's own:
    /// the location, position, site (at that location) and user (not archived).
    pub async fn check_references(&self, tx: &mut Tx, company_id: i64) -> Result<()> {
        ensure_exists(
            tx,
            Kind::Location,
            company_id,
            Some(self.location_id),
            "location_id",
        )
        .await?;
        ensure_exists(
            tx,
            Kind::Position,
            company_id,
            self.position_id,
            "position_id",
        )
        .await?;
        if let Some(site_id) = self.site_id {
            let site: Option<Option<i64>> = sqlx::query_scalar(
                "SELECT location_id FROM sites WHERE company_id = $1 AND id = $2",
            )
            .bind(company_id)
            .bind(site_id)
            .fetch_optional(&mut **tx)
            .await?;
            match site {
                None => return Err(Error::unknown_reference("site", "site_id")),
                Some(Some(location)) if location != self.location_id => {
                    return Err(Error::invalid(
                        "site_id",
                        "the site belongs to another location",
                    ));
                }
                Some(_) => {}
            }
        }
        if let Some(user_id) = self.user_id {
            let found: Option<i64> = sqlx::query_scalar(
                "SELECT id FROM users WHERE company_id = $1 AND id = $2 AND status <> 'archived'",
            )
            .bind(company_id)
            .bind(user_id)
            .fetch_optional(&mut **tx)
            .await?;
            found.ok_or(Error::unknown_reference("user", "user_id"))?;
        }
        Ok(())
    }

    /// Binds, in this order, what a draft decides of the row: `user_id`, `location_id`,
    /// `position_id`, `site_id`, `starts_at`, `ends_at`, `colour`, `notes`, `published` and
    /// `requires_approval`.
    fn bind<'q>(&'q self, query: RowQuery<'q>) -> RowQuery<'q> {
        query
            .bind(self.user_id)
            .bind(self.location_id)
            .bind(self.position_id)
            .bind(self.site_id)
            .bind(self.starts_at)
            .bind(self.ends_at)
            .bind(&self.colour)
            .bind(&self.notes)
            .bind(i64::from(self.published))
            .bind(i64::from(self.requires_approval))
    }

    /// Writes a new shift made by `actor`; its row, breaks included.
    pub async fn insert(&self, tx: &mut Tx, actor: &Actor) -> Result<ShiftRow> {
        let stamp = now();
        let query = sqlx::query_as(sqlx::AssertSqlSafe(format!(
            "INSERT INTO shifts (company_id, user_id, location_id, position_id, site_id, starts_at, ends_at, colour, notes, \
             published, requires_approval, published_at, created_by, created_at, updated_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $14){RETURNING}"
        )))
        .bind(actor.company_id);
        let row: ShiftRow = self
            .bind(query)
            .bind(self.published.then_some(stamp))
            .bind(actor.user_id)
            .bind(stamp)
            .fetch_one(&mut **tx)
            .await?;
        self.write_breaks(tx, row).await
    }

    /// Writes this draft over shift `before`; its row, breaks included. Publishing stamps
    /// `published_at`; moving or reassigning clears the acknowledgement.
    pub async fn update(&self, tx: &mut Tx, before: &ShiftRow) -> Result<ShiftRow> {
        let stamp = now();
        let published_at = match (before.published, self.published) {
            (false, true) => Some(stamp),
            (_, true) => before.published_at,
            (_, false) => None,
        };
        let acknowledged_at = if self.moves(&Draft::of(before)) {
            None
        } else {
            before.acknowledged_at
        };
        let query = sqlx::query_as(sqlx::AssertSqlSafe(format!(
            "UPDATE shifts SET user_id = $3, location_id = $4, position_id = $5, site_id = $6, starts_at = $7, ends_at = $8, \
             colour = $9, notes = $10, published = $11, requires_approval = $12, published_at = $13, \
             acknowledged_at = $14, updated_at = $15 \
             WHERE company_id = $1 AND id = $2{RETURNING}"
        )))
        .bind(before.company_id)
        .bind(before.id);
        let row: ShiftRow = self
            .bind(query)
            .bind(published_at)
            .bind(acknowledged_at)
            .bind(stamp)
            .fetch_one(&mut **tx)
            .await?;
        sqlx::query("DELETE FROM shift_breaks WHERE company_id = $1 AND shift_id = $2")
            .bind(before.company_id)
            .bind(before.id)
            .execute(&mut **tx)
            .await?;
        self.write_breaks(tx, row).await
    }

    async fn write_breaks(&self, tx: &mut Tx, mut row: ShiftRow) -> Result<ShiftRow> {
        for (sort, b) in self.breaks.iter().enumerate() {
            let stored = sqlx::query_as(
                "INSERT INTO shift_breaks (company_id, shift_id, sort, length_minutes, paid, starts_at) \
                 VALUES ($1, $2, $3, $4, $5, $6) RETURNING id, shift_id, length_minutes, paid, starts_at",
            )
            .bind(row.company_id)
            .bind(row.id)
            .bind(sort as i64)
            .bind(b.length_minutes)
            .bind(i64::from(b.paid))
            .bind(b.starts_at)
            .fetch_one(&mut **tx)
            .await?;
            row.breaks.push(stored);
        }
        Ok(row)
    }
}
