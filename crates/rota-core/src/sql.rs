//! Dynamic SQL, built in one place. A query whose filters depend on the request is
//! assembled from fixed SQL text and numbered placeholders only; every value a client sends
//! travels as a bound parameter, never inside the text. The placeholders are `$n` on both
//! engines (see [`crate::db`]).

use sqlx::any::AnyArguments;
use sqlx::query::QueryAs;

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
