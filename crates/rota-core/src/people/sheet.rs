//! People as a CSV sheet: the columns an import reads and an export writes, each cell of a
//! [`User`] in one canonical text form, and reading a cell back into a [`UserInput`]
//! field. Pure: no I/O. An export re-reads as "no change" because a cell's canonical form
//! ([`canonical`]) is the one [`Column::cell`] writes.
//!
//! Reading is RFC 4180 (comma-separated, fields quoted with doubled quotes, CRLF or LF
//! line ends, an optional UTF-8 byte order mark); a cell that the export guarded against
//! formulas (a leading `'` before `=`, `+`, `-`, `@`, a tab or a carriage return, see
//! [`crate::csv::field`]) is read without the guard.

use crate::error::{Error, Result};
use crate::people::model::{User, UserInput};
use crate::people::types::{UserType, Weekday};

/// The most bytes an import may hold: the server's limit on any request body.
pub const MAX_BYTES: usize = 1024 * 1024;
/// The most people one import may hold.
pub const MAX_ROWS: usize = 10_000;

/// A column of the sheet; its name is the native API's field of the same meaning.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Column {
    Email,
    FirstName,
    LastName,
    Title,
    MiddleName,
    StaffCode,
    JobTitle,
    UserTypeId,
    DepartmentId,
    RegionId,
    Locations,
    Tags,
    ApproverId,
    WorkingDays,
    EmploymentStartDate,
    EmploymentEndDate,
    WorkPhone,
    MobilePhone,
    HolidayCountry,
    HolidaySubdivision,
    TimeZone,
    EmploymentType,
    Notes,
}

impl Column {
    /// Every column, in the order an export writes them.
    pub const ALL: [Column; 23] = [
        Self::Email,
        Self::FirstName,
        Self::LastName,
        Self::Title,
        Self::MiddleName,
        Self::StaffCode,
        Self::JobTitle,
        Self::UserTypeId,
        Self::DepartmentId,
        Self::RegionId,
        Self::Locations,
        Self::Tags,
        Self::ApproverId,
        Self::WorkingDays,
        Self::EmploymentStartDate,
        Self::EmploymentEndDate,
        Self::WorkPhone,
        Self::MobilePhone,
        Self::HolidayCountry,
        Self::HolidaySubdivision,
        Self::TimeZone,
        Self::EmploymentType,
        Self::Notes,
    ];

    pub fn name(self) -> &'static str {
        match self {
            Self::Email => "email",
            Self::FirstName => "first_name",
            Self::LastName => "last_name",
            Self::Title => "title",
            Self::MiddleName => "middle_name",
            Self::StaffCode => "staff_code",
            Self::JobTitle => "job_title",
            Self::UserTypeId => "user_type_id",
            Self::DepartmentId => "department_id",
            Self::RegionId => "region_id",
            Self::Locations => "locations",
            Self::Tags => "tags",
            Self::ApproverId => "approver_id",
            Self::WorkingDays => "working_days",
            Self::EmploymentStartDate => "employment_start_date",
            Self::EmploymentEndDate => "employment_end_date",
            Self::WorkPhone => "work_phone",
            Self::MobilePhone => "mobile_phone",
            Self::HolidayCountry => "holiday_country",
            Self::HolidaySubdivision => "holiday_subdivision",
            Self::TimeZone => "time_zone",
            Self::EmploymentType => "employment_type",
            Self::Notes => "notes",
        }
    }

    fn named(name: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|c| c.name() == name)
    }

    /// `user`'s value in this column, in canonical form.
    pub fn cell(self, user: &User) -> String {
        let text = |value: &Option<String>| value.clone().unwrap_or_default();
        let id = |value: Option<i64>| value.map(|id| id.to_string()).unwrap_or_default();
        match self {
            Self::Email => user.email.clone().unwrap_or_default(),
            Self::FirstName => user.first_name.clone(),
            Self::LastName => user.last_name.clone(),
            Self::Title => text(&user.title),
            Self::MiddleName => text(&user.middle_name),
            Self::StaffCode => text(&user.staff_code),
            Self::JobTitle => text(&user.job_title),
            Self::UserTypeId => user.user_type_id.code().to_string(),
            Self::DepartmentId => id(user.department_id),
            Self::RegionId => id(user.region_id),
            Self::Locations => id_list(&user.locations),
            Self::Tags => id_list(&user.tags),
            Self::ApproverId => id(user.approver_id),
            Self::WorkingDays => day_list(&user.working_days),
            Self::EmploymentStartDate => user
                .employment_start_date
                .map(|d| d.to_string())
                .unwrap_or_default(),
            Self::EmploymentEndDate => user
                .employment_end_date
                .map(|d| d.to_string())
                .unwrap_or_default(),
            Self::WorkPhone => text(&user.work_phone),
            Self::MobilePhone => text(&user.mobile_phone),
            Self::HolidayCountry => text(&user.holiday_country),
            Self::HolidaySubdivision => text(&user.holiday_subdivision),
            Self::TimeZone => text(&user.time_zone),
            Self::EmploymentType => text(&user.employment_type),
            Self::Notes => text(&user.notes),
        }
    }

    /// Sets this column's field of `input` from a canonical `cell`; a blank cell clears an
    /// optional field, empties a list, and leaves the role and working days as they are.
    pub fn put(self, cell: &str, input: &mut UserInput) -> Result<()> {
        let text = || Some(Some(cell.to_owned()).filter(|c| !c.is_empty()));
        match self {
            Self::Email => input.email = Some(cell.to_owned()),
            Self::FirstName => input.first_name = Some(cell.to_owned()),
            Self::LastName => input.last_name = Some(cell.to_owned()),
            Self::Title => input.title = text(),
            Self::MiddleName => input.middle_name = text(),
            Self::StaffCode => input.staff_code = text(),
            Self::JobTitle => input.job_title = text(),
            Self::UserTypeId if cell.is_empty() => {}
            Self::UserTypeId => input.user_type_id = Some(self.role(cell)?),
            Self::DepartmentId => input.department_id = Some(self.id(cell)?),
            Self::RegionId => input.region_id = Some(self.id(cell)?),
            Self::ApproverId => input.approver_id = Some(self.id(cell)?),
            Self::Locations => input.locations = Some(self.ids(cell)?),
            Self::Tags => input.tags = Some(self.ids(cell)?),
            Self::WorkingDays if cell.is_empty() => {}
            Self::WorkingDays => input.working_days = Some(self.days(cell)?),
            Self::EmploymentStartDate => input.employment_start_date = text(),
            Self::EmploymentEndDate => input.employment_end_date = text(),
            Self::WorkPhone => input.work_phone = text(),
            Self::MobilePhone => input.mobile_phone = text(),
            Self::HolidayCountry => input.holiday_country = text(),
            Self::HolidaySubdivision => input.holiday_subdivision = text(),
            Self::TimeZone => input.time_zone = text(),
            Self::EmploymentType => input.employment_type = text(),
            Self::Notes => input.notes = text(),
        }
        Ok(())
    }

    /// Whether a blank cell leaves the field as it is rather than clearing it: a role
    /// and working days are never blank.
    pub fn blank_keeps(self) -> bool {
        matches!(self, Self::UserTypeId | Self::WorkingDays)
    }

    fn role(self, cell: &str) -> Result<UserType> {
        cell.parse::<i64>()
            .map_err(|_| self.invalid("a role code: 100, 200, 210, 220, 300 or 310"))
            .and_then(|code| {
                UserType::try_from(code).map_err(|message| Error::invalid(self.name(), message))
            })
    }

    fn id(self, cell: &str) -> Result<Option<i64>> {
        if cell.is_empty() {
            return Ok(None);
        }
        cell.parse()
            .ok()
            .filter(|id: &i64| *id > 0)
            .map(Some)
            .ok_or_else(|| self.invalid("a positive id"))
    }

    fn ids(self, cell: &str) -> Result<Vec<i64>> {
        split_list(cell)
            .map(|part| {
                part.parse()
                    .ok()
                    .filter(|id: &i64| *id > 0)
                    .ok_or_else(|| self.invalid("positive ids separated by ;"))
            })
            .collect()
    }

    fn days(self, cell: &str) -> Result<Vec<Weekday>> {
        split_list(cell)
            .map(|part| {
                Weekday::ALL
                    .into_iter()
                    .find(|day| day.as_str() == part.to_lowercase())
                    .ok_or_else(|| self.invalid("day names (monday … sunday) separated by ;"))
            })
            .collect()
    }

    fn invalid(self, what: &str) -> Error {
        Error::invalid(self.name(), format!("{} must be {what}", self.name()))
    }
}

fn split_list(cell: &str) -> impl Iterator<Item = &str> {
    cell.split(';')
        .map(str::trim)
        .filter(|part| !part.is_empty())
}

fn id_list(ids: &[i64]) -> String {
    let mut ids = ids.to_vec();
    ids.sort_unstable();
    ids.dedup();
    ids.iter().map(i64::to_string).collect::<Vec<_>>().join(";")
}

fn day_list(days: &[Weekday]) -> String {
    Weekday::ALL
        .into_iter()
        .filter(|day| days.contains(day))
        .map(Weekday::as_str)
        .collect::<Vec<_>>()
        .join(";")
}

/// `cell` of `column` in the form [`Column::cell`] writes, or the column's refusal: the
/// same value always reads the same, so that only real changes count.
pub fn canonical(column: Column, cell: &str) -> Result<String> {
    let cell = cell.trim();
    Ok(match column {
        Column::Email => cell.to_lowercase(),
        Column::UserTypeId if cell.is_empty() => String::new(),
        Column::UserTypeId => column.role(cell)?.code().to_string(),
        Column::DepartmentId | Column::RegionId | Column::ApproverId => column
            .id(cell)?
            .map(|id| id.to_string())
            .unwrap_or_default(),
        Column::Locations | Column::Tags => id_list(&column.ids(cell)?),
        Column::WorkingDays => day_list(&column.days(cell)?),
        Column::EmploymentStartDate | Column::EmploymentEndDate if !cell.is_empty() => {
            crate::validate::date(column.name(), cell)?.to_string()
        }
        // Codes, as the core keeps them: `GB`, `SCT`.
        Column::HolidayCountry | Column::HolidaySubdivision => cell.to_uppercase(),
        _ => cell.to_owned(),
    })
}

/// A sheet as read: its columns and its rows, each with the line it starts on.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Sheet {
    pub columns: Vec<Column>,
    pub rows: Vec<Row>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Row {
    /// The line of the file the row starts on (the header is line 1).
    pub line: usize,
    pub cells: Vec<String>,
}

impl Row {
    /// The cell of `column` (the `index`-th of the sheet), trimmed; blank when the row is short.
    pub fn cell(&self, index: usize) -> &str {
        self.cells.get(index).map_or("", |c| c.trim())
    }
}

/// Reads a sheet: a header naming known columns (`email` among them, each once), then one
/// row per person; blank lines are skipped. Refused whole (422 on `csv`) when over
/// [`MAX_BYTES`] or [`MAX_ROWS`], or when the header or the quoting is wrong.
pub fn read(text: &str) -> Result<Sheet> {
    let refuse = |message: String| Error::invalid("csv", message);
    if text.len() > MAX_BYTES {
        return Err(refuse(format!(
            "the file is larger than {} MiB",
            MAX_BYTES / 1024 / 1024
        )));
    }
    if text.contains('\0') {
        return Err(refuse("the file holds a NUL character (U+0000)".into()));
    }
    let mut records = records(text.strip_prefix('\u{feff}').unwrap_or(text))?.into_iter();
    let Some(header) = records.next() else {
        return Err(refuse(
            "the file is empty: the first line names the columns".into(),
        ));
    };
    let mut columns = Vec::with_capacity(header.cells.len());
    for name in &header.cells {
        let name = name.trim().to_lowercase();
        let column = Column::named(&name).ok_or_else(|| {
            refuse(format!(
                "line 1: unknown column {name:?}; the columns are {}",
                Column::ALL.map(Column::name).join(", ")
            ))
        })?;
        if columns.contains(&column) {
            return Err(refuse(format!("line 1: column {name:?} appears twice")));
        }
        columns.push(column);
    }
    if !columns.contains(&Column::Email) {
        return Err(refuse(
            "line 1: the column email is required: people are matched by it".into(),
        ));
    }
    let rows: Vec<Row> = records
        .filter(|row| row.cells.iter().any(|c| !c.trim().is_empty()))
        .collect();
    if rows.len() > MAX_ROWS {
        return Err(refuse(format!(
            "the file holds {} people; one import takes at most {MAX_ROWS}",
            rows.len()
        )));
    }
    Ok(Sheet { columns, rows })
}

/// The records of RFC 4180 text, each with the line it starts on.
fn records(text: &str) -> Result<Vec<Row>> {
    let mut rows = Vec::new();
    let mut cells = Vec::new();
    let mut cell = String::new();
    let (mut line, mut start) = (1, 1);
    let mut quoted = false;
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        match (quoted, c) {
            (true, '"') if chars.peek() == Some(&'"') => {
                chars.next();
                cell.push('"');
            }
            (true, '"') => quoted = false,
            (true, c) => {
                if c == '\n' {
                    line += 1;
                }
                cell.push(c);
            }
            (false, '"') if cell.is_empty() => quoted = true,
            (false, ',') => cells.push(unguard(std::mem::take(&mut cell))),
            (false, '\r') if chars.peek() == Some(&'\n') => {}
            (false, '\n' | '\r') => {
                cells.push(unguard(std::mem::take(&mut cell)));
                rows.push(Row {
                    line: start,
                    cells: std::mem::take(&mut cells),
                });
                line += 1;
                start = line;
            }
            (false, c) => cell.push(c),
        }
    }
    if quoted {
        return Err(Error::invalid(
            "csv",
            format!("line {start}: a quoted field is not closed"),
        ));
    }
    if !cell.is_empty() || !cells.is_empty() {
        cells.push(unguard(cell));
        rows.push(Row { line: start, cells });
    }
    Ok(rows)
}

/// A cell without the `'` the export puts before what a spreadsheet would read as a formula.
fn unguard(cell: String) -> String {
    match cell.strip_prefix('\'') {
        Some(rest) if rest.starts_with(['=', '+', '-', '@', '\t', '\r']) => rest.to_owned(),
        _ => cell,
    }
}

/// The sheet of `users`: the header, then one row each, every column, formula-safe.
pub fn write(users: &[User]) -> String {
    use crate::csv::field;
    let mut out = Column::ALL.map(Column::name).join(",");
    out.push_str("\r\n");
    for user in users {
        let cells: Vec<String> = Column::ALL
            .into_iter()
            .map(|column| field(&column.cell(user)).into_owned())
            .collect();
        out.push_str(&cells.join(","));
        out.push_str("\r\n");
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_sheet_reads_quoted_cells_line_numbers_and_skips_blank_lines() {
        let sheet = read(
            "\u{feff}Email,first_name,last_name\r\na@x.test,\"Ann, the first\",Lee\n\n\"b@x.test\",\"Bo\nB\",\"O\"\"Neil\"\nc@x.test,Cy,Ng",
        )
        .unwrap();
        assert_eq!(
            sheet.columns,
            [Column::Email, Column::FirstName, Column::LastName]
        );
        let lines: Vec<usize> = sheet.rows.iter().map(|r| r.line).collect();
        assert_eq!(lines, [2, 4, 6], "a quoted line break stays in its row");
        assert_eq!(sheet.rows[0].cell(1), "Ann, the first");
        assert_eq!(sheet.rows[1].cell(1), "Bo\nB");
        assert_eq!(sheet.rows[1].cell(2), "O\"Neil");
        assert_eq!(sheet.rows[2].cell(5), "", "a short row reads blank");
    }

    #[test]
    fn a_bad_header_or_quoting_refuses_the_whole_file() {
        for (text, says) in [
            ("", "empty"),
            ("first_name\nAnn", "email is required"),
            (
                "email,shoe_size\na@x.test,9",
                "unknown column \"shoe_size\"",
            ),
            ("email,EMAIL\n", "appears twice"),
            ("email\n\"a@x.test", "line 2: a quoted field is not closed"),
        ] {
            let error = read(text).unwrap_err().to_string();
            assert!(error.contains(says), "{text:?}: {error}");
        }
        let many = format!("email\n{}", "a@x.test\n".repeat(MAX_ROWS + 1));
        assert!(read(&many).unwrap_err().to_string().contains("at most"));
        let large = "email\n".to_owned() + &"x".repeat(MAX_BYTES);
        assert!(
            read(&large)
                .unwrap_err()
                .to_string()
                .contains("larger than")
        );
    }

    #[test]
    fn canonical_cells_ignore_spelling_and_refuse_what_the_core_would() {
        let ok = |column, cell| canonical(column, cell).unwrap();
        assert_eq!(ok(Column::Email, " Ann@X.test "), "ann@x.test");
        assert_eq!(ok(Column::Locations, "3; 1;3"), "1;3");
        assert_eq!(ok(Column::WorkingDays, "Friday;monday"), "monday;friday");
        assert_eq!(ok(Column::UserTypeId, ""), "");
        assert_eq!(ok(Column::EmploymentStartDate, "2026-01-05"), "2026-01-05");
        assert_eq!(ok(Column::HolidayCountry, " gb "), "GB");
        assert_eq!(
            ok(Column::Notes, " Keys to the store "),
            "Keys to the store"
        );
        for (column, cell, says) in [
            (Column::UserTypeId, "150", "unknown user_type_id 150"),
            (
                Column::UserTypeId,
                "boss",
                "user_type_id must be a role code",
            ),
            (
                Column::DepartmentId,
                "-2",
                "department_id must be a positive id",
            ),
            (Column::Tags, "1;x", "tags must be positive ids"),
            (
                Column::WorkingDays,
                "funday",
                "working_days must be day names",
            ),
            (
                Column::EmploymentEndDate,
                "31/01/2026",
                "employment_end_date",
            ),
        ] {
            let error = canonical(column, cell).unwrap_err();
            assert!(error.to_string().contains(says), "{cell}: {error}");
        }
    }

    #[test]
    fn a_formula_guard_is_read_back_and_only_then() {
        let sheet = read("email,work_phone,title\na@x.test,'+44 1,'Dr").unwrap();
        assert_eq!(sheet.rows[0].cell(1), "+44 1");
        assert_eq!(sheet.rows[0].cell(2), "'Dr");
    }

    #[test]
    fn a_blank_cell_clears_a_field_but_keeps_the_role() {
        let mut input = UserInput::default();
        Column::Title.put("", &mut input).unwrap();
        Column::Tags.put("", &mut input).unwrap();
        Column::UserTypeId.put("", &mut input).unwrap();
        Column::DepartmentId.put("", &mut input).unwrap();
        assert_eq!(input.title, Some(None));
        assert_eq!(input.tags, Some(vec![]));
        assert_eq!(input.department_id, Some(None));
        assert!(input.user_type_id.is_none());
        Column::UserTypeId.put("210", &mut input).unwrap();
        assert_eq!(input.user_type_id, Some(UserType::ApproverPlusAdd));
    }
}
