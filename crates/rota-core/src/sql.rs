//! Dynamic SQL, built in one place. A query whose filters depend on the request is
//! assembled from fixed SQL text and numbered placeholders only; every value a client sends
//! travels as a bound parameter, never inside the text. The placeholders are `$n` on both
//! engines (see [`crate::db`]).

use std::collections::HashMap;

use sqlx::any::{AnyArguments, AnyRow};
use sqlx::query::QueryAs;
use sqlx::{AnyConnection, AssertSqlSafe, FromRow};

use crate::error::Result;

/// Parents per query in [`children`]: well under either engine's limit of bound values.
const PARENTS_PER_QUERY: usize = 500;

/// One value for a dynamic query, in the types that cross the boundary.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Bind {
    Int(i64),
    Text(String),
}

/// Values for a query built from parts, numbered after its fixed ones. The default
/// numbers after two fixed values (`$1`, `$2`: the company and, mostly, a cursor or date),
/// which is how every dynamic query begins today.
#[derive(Debug)]
pub(crate) struct Binds {
    fixed: usize,
    values: Vec<Bind>,
}

impl Default for Binds {
    fn default() -> Self {
        Self::after(2)
    }
}

impl Binds {
    /// Values numbered after `fixed` values the caller binds itself, first.
    pub fn after(fixed: usize) -> Self {
        Self {
            fixed,
            values: Vec::new(),
        }
    }

    fn push(&mut self, value: Bind) -> String {
        self.values.push(value);
        format!("${}", self.values.len() + self.fixed)
    }

    /// Adds an integer and returns its placeholder.
    pub fn int(&mut self, value: i64) -> String {
        self.push(Bind::Int(value))
    }

    /// Adds a text and returns its placeholder.
    pub fn text(&mut self, value: String) -> String {
        self.push(Bind::Text(value))
    }

    /// Adds integers and returns their placeholders, comma-separated, for an `IN` list;
    /// none is `0`, an id no row has (an `IN` list may not be empty).
    pub fn ints(&mut self, values: &[i64]) -> String {
        if values.is_empty() {
            return self.int(0);
        }
        let placeholders: Vec<String> = values.iter().map(|v| self.int(*v)).collect();
        placeholders.join(", ")
    }

    /// Binds every value, in order, to `query`.
    pub fn bind_all<'q, O>(
        self,
        mut query: QueryAs<'q, sqlx::Any, O, AnyArguments>,
    ) -> QueryAs<'q, sqlx::Any, O, AnyArguments> {
        for value in self.values {
            query = match value {
                Bind::Int(v) => query.bind(v),
                Bind::Text(v) => query.bind(v),
            };
        }
        query
    }
}

/// `count` placeholders starting at `$start`, comma-separated: `placeholders(2, 3)` is
/// `$2, $3, $4`.
pub(crate) fn placeholders(start: usize, count: usize) -> String {
    (start..start + count)
        .map(|n| format!("${n}"))
        .collect::<Vec<_>>()
        .join(", ")
}

/// The rows of a child table (breaks, exceptions) that belong to `parents` of
/// `company_id`, grouped by their parent's id (`parent_of`), each group in the order
/// `order_by` gives. `select` is the query up to its list of parents, as
/// `SELECT … FROM shift_breaks WHERE company_id = $1 AND shift_id IN`; the list is bound,
/// a query per [`PARENTS_PER_QUERY`] parents, so any number of parents may be asked for.
pub(crate) async fn children<T>(
    conn: &mut AnyConnection,
    company_id: i64,
    (select, order_by): (&str, &str),
    parents: &[i64],
    parent_of: impl Fn(&T) -> i64,
) -> Result<HashMap<i64, Vec<T>>>
where
    T: for<'r> FromRow<'r, AnyRow> + Send + Unpin,
{
    let mut grouped: HashMap<i64, Vec<T>> = HashMap::new();
    for chunk in parents.chunks(PARENTS_PER_QUERY) {
        let sql = format!(
            "{select} ({}) ORDER BY {order_by}",
            placeholders(2, chunk.len())
        );
        let query = sqlx::query_as::<_, T>(AssertSqlSafe(sql)).bind(company_id);
        let rows = chunk
            .iter()
            .fold(query, |query, id| query.bind(*id))
            .fetch_all(&mut *conn)
            .await?;
        for row in rows {
            grouped.entry(parent_of(&row)).or_default().push(row);
        }
    }
    Ok(grouped)
}

/// Escapes `\`, `%` and `_` for a `LIKE … ESCAPE '\'` pattern, so a client's text matches
/// only itself.
pub(crate) fn like_escape(text: &str) -> String {
    text.replace('\\', "\\\\")
        .replace('%', "\\%")
        .replace('_', "\\_")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn binds_number_after_the_fixed_values() {
        let mut binds = Binds::default();
        assert_eq!(binds.int(7), "$3");
        assert_eq!(binds.text("x".into()), "$4");
        let mut binds = Binds::after(0);
        assert_eq!(binds.int(7), "$1");
        assert_eq!(
            binds.values,
            vec![Bind::Int(7)],
            "the value is kept for binding"
        );
    }

    #[test]
    fn an_in_list_of_ints_numbers_after_the_fixed_values_and_is_never_empty() {
        let mut binds = Binds::after(3);
        assert_eq!(binds.ints(&[7, 8]), "$4, $5");
        assert_eq!(binds.ints(&[]), "$6");
        assert_eq!(
            binds.values,
            [Bind::Int(7), Bind::Int(8), Bind::Int(0)],
            "none is 0, an id no row has"
        );
    }

    #[test]
    fn placeholders_count_from_the_start() {
        assert_eq!(placeholders(2, 3), "$2, $3, $4");
        assert_eq!(placeholders(1, 1), "$1");
        assert_eq!(placeholders(5, 0), "");
    }

    #[test]
    fn like_patterns_escape_their_wildcards() {
        assert_eq!(like_escape("50%_off\\"), "50\\%\\_off\\\\");
        assert_eq!(like_escape("plain"), "plain");
    }
}
