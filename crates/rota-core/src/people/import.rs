//! Importing people from a CSV [`sheet`]: each row matched by e-mail against the people of
//! the company, then planned ([`plan`], pure) as a person to create, a person to update
//! with the fields that change, a row with no change, or a row refused with its line,
//! column and the core's message. [`preview`] shows the plan; [`apply`] carries it out
//! through the same [`service::create`] and [`service::update`] as the single-person
//! routes, so each person is written in one transaction with its audit entry and webhook
//! event, and a refused row writes nothing. Rows are applied one after the other (not all
//! in one transaction): a row the core refuses at that moment is reported and the others
//! stand. Super users only.

use std::collections::{HashMap, HashSet};
use std::ops::Range;

use serde::Serialize;
use utoipa::ToSchema;

use crate::db::Db;
use crate::error::{Error, Result};
use crate::org::{self, Department, Location, OrgItem, Region, Tag};
use crate::people::model::{User, UserInput};
use crate::people::service::{self, UserFilter};
use crate::people::sheet::{self, Column, Sheet};
use crate::policy::{Action, Actor, Target, may};

/// What an import does (or, in a preview, would do).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, ToSchema)]
pub struct ImportOutcome {
    /// Whether this is a preview: nothing was written.
    pub dry_run: bool,
    /// The people created (to be created, in a preview), with every field given.
    pub created: Vec<ImportedRow>,
    /// The people updated (to be updated), with the fields that change.
    pub updated: Vec<ImportedRow>,
    /// Rows that match a person and change nothing.
    pub unchanged: usize,
    /// Rows refused, with the line, column and reason; nothing of them is written.
    pub refused: Vec<Refusal>,
}

impl ImportOutcome {
    /// How many people rows the import read: each is created, updated, unchanged or
    /// refused.
    pub fn rows(&self) -> usize {
        self.created.len() + self.updated.len() + self.unchanged + self.refused.len()
    }
}

/// A row that creates or updates a person.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ToSchema)]
pub struct ImportedRow {
    /// The line of the file (the header is line 1).
    pub line: usize,
    pub email: String,
    /// The person's id: `null` for one still to be created.
    pub user_id: Option<i64>,
    pub changes: Vec<FieldChange>,
}

/// A field a row sets: its value before (blank for a new person) and after.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ToSchema)]
pub struct FieldChange {
    pub field: &'static str,
    pub from: String,
    pub to: String,
}

/// A row refused: nothing of it is written.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ToSchema)]
pub struct Refusal {
    pub line: usize,
    /// The column at fault, when one is.
    pub field: Option<String>,
    /// The core's code, as the single-person routes answer it.
    pub code: String,
    pub message: String,
}

/// What the planner knows of the company: its people by e-mail, and the ids a row may
/// refer to.
#[derive(Debug, Default)]
pub struct Known {
    pub people: Vec<User>,
    pub departments: HashSet<i64>,
    pub regions: HashSet<i64>,
    pub locations: HashSet<i64>,
    pub tags: HashSet<i64>,
}

/// A planned row, with its place among the sheet's rows.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Step {
    pub index: usize,
    pub row: ImportedRow,
}

/// The plan of a whole sheet.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct Plan {
    pub creates: Vec<Step>,
    pub updates: Vec<Step>,
    /// The sheet indexes of rows with no change.
    pub unchanged: Vec<usize>,
    /// Refusals with the sheet index of their row.
    pub refused: Vec<(usize, Refusal)>,
}

/// Plans `sheet` against `known`, or only its rows whose place among the people rows is
/// in `rows` (all when `None`). An e-mail that appears twice is refused on its later
/// lines, wherever the earlier one is: a row before `rows` is read only for its e-mail,
/// and none after it is read at all. A row is refused on the first cell the core would
/// refuse.
pub fn plan(sheet: &Sheet, known: &Known, rows: Option<&Range<usize>>) -> Plan {
    let mut plan = Plan::default();
    let Some(email_at) = sheet.columns.iter().position(|c| *c == Column::Email) else {
        return plan;
    };
    let by_email: HashMap<String, &User> = known
        .people
        .iter()
        .filter_map(|user| user.email.as_ref().map(|e| (e.to_lowercase(), user)))
        .collect();
    let people: HashSet<i64> = known.people.iter().map(|u| u.id).collect();
    let mut seen: HashMap<String, usize> = HashMap::new();
    let end = rows.map_or(sheet.rows.len(), |range| range.end);
    for (index, row) in sheet.rows.iter().enumerate().take(end) {
        let planned = rows.is_none_or(|range| range.contains(&index));
        let mut refuse = |error: Error| {
            if planned {
                plan.refused.push((index, refusal(row.line, &error)));
            }
        };
        let email = match crate::validate::email("email", row.cell(email_at)) {
            Ok(email) => email,
            Err(error) => {
                refuse(error);
                continue;
            }
        };
        if let Some(first) = seen.get(&email) {
            refuse(Error::invalid(
                "email",
                format!("{email} appears already on line {first}"),
            ));
            continue;
        }
        seen.insert(email.clone(), row.line);
        if !planned {
            continue;
        }
        let current = by_email.get(&email).copied();
        match changes(sheet, row, current, known, &people) {
            Err(error) => plan.refused.push((index, refusal(row.line, &error))),
            Ok(changes) if changes.is_empty() => plan.unchanged.push(index),
            Ok(changes) => {
                let step = Step {
                    index,
                    row: ImportedRow {
                        line: row.line,
                        email,
                        user_id: current.map(|u| u.id),
                        changes,
                    },
                };
                if current.is_some() {
                    plan.updates.push(step);
                } else {
                    plan.creates.push(step);
                }
            }
        }
    }
    plan
}

/// The fields `row` changes on `current` (every field it gives, for a new person), each
/// checked as the core checks it.
fn changes(
    sheet: &Sheet,
    row: &sheet::Row,
    current: Option<&User>,
    known: &Known,
    people: &HashSet<i64>,
) -> Result<Vec<FieldChange>> {
    let mut changes = Vec::new();
    for (at, column) in sheet.columns.iter().enumerate() {
        let to = sheet::canonical(*column, row.cell(at))?;
        if column.blank_keeps() && to.is_empty() {
            continue;
        }
        let from = current.map(|user| column.cell(user)).unwrap_or_default();
        if from != to {
            refer(*column, &to, known, people)?;
            changes.push(FieldChange {
                field: column.name(),
                from,
                to,
            });
        }
    }
    // The core's own checks of each field, on a scratch record: a message the same as
    // the single-person routes give.
    let input = input_of(&changes)?;
    if current.is_none() {
        for (column, field) in [
            (Column::FirstName, &input.first_name),
            (Column::LastName, &input.last_name),
        ] {
            if field.as_deref().is_none_or(str::is_empty) {
                return Err(Error::invalid(
                    column.name(),
                    format!("{} is required for a new person", column.name()),
                ));
            }
        }
    }
    let mut scratch = crate::people::record::UserRecord::new(
        0,
        String::new(),
        current.map(|u| u.first_name.clone()).unwrap_or_default(),
        current.map(|u| u.last_name.clone()).unwrap_or_default(),
        0,
    );
    scratch.employment_start_date = current.and_then(|u| u.employment_start_date);
    scratch.employment_end_date = current.and_then(|u| u.employment_end_date);
    input.apply_to(&mut scratch)?;
    Ok(changes)
}

/// Refuses an id of something the company does not have, as the core does.
fn refer(column: Column, cell: &str, known: &Known, people: &HashSet<i64>) -> Result<()> {
    let (resource, within): (&'static str, &HashSet<i64>) = match column {
        Column::DepartmentId => ("department", &known.departments),
        Column::RegionId => ("region", &known.regions),
        Column::Locations => ("location", &known.locations),
        Column::Tags => ("tag", &known.tags),
        Column::ApproverId => ("user", people),
        _ => return Ok(()),
    };
    let unknown = cell
        .split(';')
        .filter(|id| !id.is_empty())
        .any(|id| id.parse().is_ok_and(|id: i64| !within.contains(&id)));
    if unknown {
        return Err(Error::unknown_reference(resource, column.name()));
    }
    Ok(())
}

/// The input that makes `changes`.
fn input_of(changes: &[FieldChange]) -> Result<UserInput> {
    let mut input = UserInput::default();
    for change in changes {
        if let Some(column) = Column::ALL.into_iter().find(|c| c.name() == change.field) {
            column.put(&change.to, &mut input)?;
        }
    }
    Ok(input)
}

/// A refused row as the single-person routes would answer: the code, field and message.
fn refusal(line: usize, error: &Error) -> Refusal {
    let field = match error {
        Error::Invalid { field, .. }
        | Error::BadRequest { field, .. }
        | Error::NotFound { field, .. }
        | Error::Conflict { field, .. } => field.as_deref().map(str::to_owned),
        _ => None,
    };
    Refusal {
        line,
        field,
        code: error.code().to_owned(),
        message: error.to_string(),
    }
}

/// Importing and exporting people is for super users.
pub fn may_import(actor: &Actor) -> Result<()> {
    if may(actor, Action::CreateUser, Target::Company(actor.company_id)) {
        Ok(())
    } else {
        Err(Error::forbidden(
            "only a super user may import or export people",
        ))
    }
}

/// Every item of one kind of the organisation, by id.
async fn ids<T: OrgItem>(db: &Db, actor: &Actor) -> Result<HashSet<i64>> {
    let mut ids = HashSet::new();
    let mut cursor = None;
    loop {
        let page =
            org::list::<T>(db, actor, Some(crate::paging::MAX_LIMIT), cursor.as_deref()).await?;
        ids.extend(page.data.iter().map(T::id));
        match page.next_cursor {
            Some(next) => cursor = Some(next),
            None => return Ok(ids),
        }
    }
}

/// Everyone in the company, archived people too, as the actor sees them.
async fn everyone(db: &Db, actor: &Actor) -> Result<Vec<User>> {
    let mut people = Vec::new();
    let mut cursor = None;
    loop {
        let filter = UserFilter {
            include_archived: true,
            ..UserFilter::default()
        };
        let page = service::list(
            db,
            actor,
            filter,
            Some(crate::paging::MAX_LIMIT),
            cursor.as_deref(),
        )
        .await?;
        people.extend(page.data);
        match page.next_cursor {
            Some(next) => cursor = Some(next),
            None => return Ok(people),
        }
    }
}

async fn known(db: &Db, actor: &Actor) -> Result<Known> {
    Ok(Known {
        people: everyone(db, actor).await?,
        departments: ids::<Department>(db, actor).await?,
        regions: ids::<Region>(db, actor).await?,
        locations: ids::<Location>(db, actor).await?,
        tags: ids::<Tag>(db, actor).await?,
    })
}

/// Reads `csv` and plans it (or its `rows`), permission first.
async fn read_and_plan(
    db: &Db,
    actor: &Actor,
    csv: &str,
    rows: Option<&Range<usize>>,
) -> Result<Plan> {
    may_import(actor)?;
    let sheet = sheet::read(csv)?;
    Ok(plan(&sheet, &known(db, actor).await?, rows))
}

/// What importing `csv` would do; nothing is written.
pub async fn preview(db: &Db, actor: &Actor, csv: &str) -> Result<ImportOutcome> {
    let plan = read_and_plan(db, actor, csv, None).await?;
    Ok(ImportOutcome {
        dry_run: true,
        created: plan.creates.into_iter().map(|s| s.row).collect(),
        updated: plan.updates.into_iter().map(|s| s.row).collect(),
        unchanged: plan.unchanged.len(),
        refused: plan.refused.into_iter().map(|(_, r)| r).collect(),
    })
}

/// Imports `csv`, or only its rows whose place among the people rows is in `rows` (all
/// when `None`): only those rows are planned, each against the people as they are now,
/// and a repeated e-mail is refused wherever its first line is (see [`plan`]).
pub async fn apply(
    db: &Db,
    actor: &Actor,
    csv: &str,
    rows: Option<Range<usize>>,
) -> Result<ImportOutcome> {
    let plan = read_and_plan(db, actor, csv, rows.as_ref()).await?;
    let mut outcome = ImportOutcome {
        unchanged: plan.unchanged.len(),
        refused: plan.refused.into_iter().map(|(_, r)| r).collect(),
        ..ImportOutcome::default()
    };
    for step in plan.creates {
        let mut row = step.row;
        match service::create(db, actor, input_of(&row.changes)?).await {
            Ok(user) => {
                row.user_id = Some(user.id);
                outcome.created.push(row);
            }
            Err(error) => outcome.refused.push(refused_now(row.line, error)?),
        }
    }
    for step in plan.updates {
        let row = step.row;
        let Some(id) = row.user_id else { continue };
        match service::update(db, actor, id, input_of(&row.changes)?).await {
            Ok(_) => outcome.updated.push(row),
            Err(error) => outcome.refused.push(refused_now(row.line, error)?),
        }
    }
    outcome.refused.sort_by_key(|r| r.line);
    Ok(outcome)
}

/// A row the core refused as it was written; a failure of the server stays one.
fn refused_now(line: usize, error: Error) -> Result<Refusal> {
    match error {
        Error::Database(_) | Error::Internal(_) => Err(error),
        error => Ok(refusal(line, &error)),
    }
}

/// Everyone in the company (archived people too) as a sheet with every column: it reads
/// back as "no change". Super users only.
pub async fn export(db: &Db, actor: &Actor) -> Result<String> {
    may_import(actor)?;
    Ok(sheet::write(&everyone(db, actor).await?))
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn user(id: i64, email: &str) -> User {
        serde_json::from_value(json!({
            "id": id, "company_id": 1, "first_name": "Pat", "last_name": "Lee", "email": email,
            "user_type_id": 100, "status": "active", "is_owner": false, "locations": [2],
            "positions": [], "tags": [], "approver_role": "none", "notifier_2_role": "none",
            "notifier_3_role": "none", "working_days": ["monday", "tuesday"],
            "allowance_unit": "days", "is_hidden": false, "is_private": false,
            "is_payroll": false, "is_trusted": false, "email_type": "html",
            "default_view_type_id": 1, "default_sorting_id": 0, "force_mfa": false,
            "created_at": "", "updated_at": "", "work_phone": "+44 20 1234",
            "employment_start_date": "2026-01-05"
        }))
        .expect("a user")
    }

    fn known() -> Known {
        Known {
            people: vec![user(7, "pat@x.test"), user(8, "sam@x.test")],
            departments: HashSet::from([3]),
            locations: HashSet::from([2, 4]),
            ..Known::default()
        }
    }

    fn planned(csv: &str) -> Plan {
        plan(&sheet::read(csv).expect("a sheet"), &known(), None)
    }

    #[test]
    fn rows_are_matched_by_email_and_only_changed_fields_count() {
        let plan = planned(
            "email,first_name,last_name,locations,department_id,user_type_id\n\
             PAT@x.test,Pat,Lee,2,,\n\
             sam@x.test,Sam,Lee,4;2,3,200\n\
             new@x.test,Nia,Ode,,3,\n",
        );
        assert_eq!(plan.unchanged, [0], "case and a blank role change nothing");
        let update = &plan.updates[0].row;
        assert_eq!((update.line, update.user_id), (3, Some(8)));
        let fields: Vec<(&str, &str, &str)> = update
            .changes
            .iter()
            .map(|c| (c.field, c.from.as_str(), c.to.as_str()))
            .collect();
        assert_eq!(
            fields,
            [
                ("first_name", "Pat", "Sam"),
                ("locations", "2", "2;4"),
                ("department_id", "", "3"),
                ("user_type_id", "100", "200"),
            ]
        );
        let create = &plan.creates[0].row;
        assert_eq!((create.line, create.user_id), (4, None));
        assert_eq!(create.email, "new@x.test");
        assert!(plan.refused.is_empty(), "{:?}", plan.refused);
    }

    #[test]
    fn a_refused_row_names_its_line_column_and_the_cores_reason() {
        let plan = planned(
            "email,first_name,last_name,department_id,employment_end_date\n\
             not-an-address,A,B,,\n\
             a@x.test,A,B,9,\n\
             b@x.test,,B,,\n\
             pat@x.test,Pat,Lee,,2025-12-31\n\
             c@x.test,C,D,,\n\
             C@x.test,C,D,,\n",
        );
        let refused: Vec<(usize, Option<&str>, &str)> = plan
            .refused
            .iter()
            .map(|(_, r)| (r.line, r.field.as_deref(), r.code.as_str()))
            .collect();
        assert_eq!(
            refused,
            [
                (2, Some("email"), "validation_failed"),
                (3, Some("department_id"), "not_found"),
                (4, Some("first_name"), "validation_failed"),
                (5, Some("employment_end_date"), "validation_failed"),
                (7, Some("email"), "validation_failed"),
            ]
        );
        assert!(plan.refused[4].1.message.contains("line 6"));
        assert_eq!(plan.creates.len(), 1);
    }

    #[test]
    fn a_part_plans_only_its_rows_and_refuses_a_repeat_of_an_earlier_part() {
        let sheet = sheet::read(
            "email,first_name,last_name,department_id\n\
             a@x.test,A,B,\n\
             not-an-address,A,B,\n\
             b@x.test,A,B,9\n\
             A@x.test,A,B,\n\
             c@x.test,C,D,\n\
             d@x.test,,D,\n",
        )
        .expect("a sheet");
        let whole = plan(&sheet, &known(), None);
        let part = plan(&sheet, &known(), Some(&(3..5)));
        let refused: Vec<(usize, usize)> = part.refused.iter().map(|(i, r)| (*i, r.line)).collect();
        assert_eq!(
            refused,
            [(3, 5)],
            "the repeat of line 2, and nothing before the part"
        );
        assert!(part.refused[0].1.message.contains("line 2"));
        let created: Vec<usize> = part.creates.iter().map(|s| s.index).collect();
        assert_eq!(created, [4]);
        assert!(part.updates.is_empty() && part.unchanged.is_empty());
        // Together, the parts plan what the whole file does.
        let parts: Vec<Plan> = [0..3, 3..5, 5..6]
            .iter()
            .map(|rows| plan(&sheet, &known(), Some(rows)))
            .collect();
        let mut joined = Plan::default();
        for part in parts {
            joined.creates.extend(part.creates);
            joined.updates.extend(part.updates);
            joined.unchanged.extend(part.unchanged);
            joined.refused.extend(part.refused);
        }
        assert_eq!(joined, whole);
    }

    #[test]
    fn an_outcome_counts_every_row_it_read() {
        let sheet = "email,first_name,last_name\n\
                     pat@x.test,Pat,Lee\n\
                     sam@x.test,Sam,Lee\n\
                     new@x.test,Nia,Ode\n\
                     bad,A,B\n";
        let plan = planned(sheet);
        let outcome = ImportOutcome {
            created: plan.creates.into_iter().map(|s| s.row).collect(),
            updated: plan.updates.into_iter().map(|s| s.row).collect(),
            unchanged: plan.unchanged.len(),
            refused: plan.refused.into_iter().map(|(_, r)| r).collect(),
            ..ImportOutcome::default()
        };
        assert_eq!(
            (
                outcome.created.len(),
                outcome.updated.len(),
                outcome.unchanged
            ),
            (1, 1, 1)
        );
        assert_eq!(outcome.rows(), 4);
    }

    #[test]
    fn a_sheet_written_from_people_plans_no_change() {
        let people = known().people;
        let plan = planned(&sheet::write(&people));
        assert_eq!(plan.unchanged, [0, 1]);
        assert!(plan.creates.is_empty() && plan.updates.is_empty());
        assert!(plan.refused.is_empty(), "{:?}", plan.refused);
        assert!(
            sheet::write(&people).contains("'+44 20 1234"),
            "a phone is guarded from spreadsheets"
        );
    }

    #[test]
    fn changes_make_the_input_the_core_applies() {
        let plan = planned("email,title,tags,working_days\npat@x.test,Dr,,monday\n");
        let input = input_of(&plan.updates[0].row.changes).expect("input");
        assert_eq!(input.title, Some(Some("Dr".into())));
        assert!(input.tags.is_none(), "no change, not sent");
        assert_eq!(
            input.working_days,
            Some(vec![crate::people::types::Weekday::Monday])
        );
    }
}
