//! The break fields of the shift form and of a repeating shift's form: minutes of unpaid
//! (meal) break and minutes of paid rest, each total one break without a planned time.

use serde::Deserialize;

use super::shift_form::invalid;
use crate::web::page::PageError;

/// The two totals as posted (and shown again after a refusal); empty is none.
#[derive(Deserialize, Default, Clone, Debug, PartialEq, Eq)]
pub struct BreakFields {
    #[serde(default)]
    pub unpaid_break: String,
    #[serde(default)]
    pub paid_break: String,
}

fn minutes(text: &str) -> Result<i64, PageError> {
    match text.trim() {
        "" => Ok(0),
        n => n
            .parse()
            .map_err(|_| invalid("breaks", "a break is a whole number of minutes")),
    }
}

impl BreakFields {
    /// The breaks as `(length_minutes, paid)`: each total that is not zero.
    pub fn parse(&self) -> Result<Vec<(i64, bool)>, PageError> {
        let mut breaks = Vec::new();
        for (text, paid) in [(&self.unpaid_break, false), (&self.paid_break, true)] {
            let length_minutes = minutes(text)?;
            if length_minutes != 0 {
                breaks.push((length_minutes, paid));
            }
        }
        Ok(breaks)
    }

    /// The fields of stored breaks, given as `(length_minutes, paid)`.
    pub fn of(breaks: impl IntoIterator<Item = (i64, bool)> + Clone) -> Self {
        let total = |paid: bool| {
            let sum: i64 = (breaks.clone().into_iter())
                .filter(|b| b.1 == paid)
                .map(|b| b.0)
                .sum();
            if sum == 0 {
                String::new()
            } else {
                sum.to_string()
            }
        };
        Self {
            unpaid_break: total(false),
            paid_break: total(true),
        }
    }

    /// Whether they say what the fields of `breaks` say (spaces aside).
    pub fn same_as(&self, breaks: &BreakFields) -> bool {
        self.parse().ok() == breaks.parse().ok()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_total_is_one_break_and_stored_breaks_add_up() {
        let fields = BreakFields {
            unpaid_break: " 30".into(),
            paid_break: String::new(),
        };
        assert_eq!(fields.parse().expect("read"), vec![(30, false)]);
        let stored = BreakFields::of([(20, false), (10, false), (15, true)]);
        assert_eq!(stored.unpaid_break, "30");
        assert_eq!(stored.paid_break, "15");
        assert!(!fields.same_as(&stored));
        assert!(fields.same_as(&BreakFields::of([(30, false)])));
        let bad = BreakFields {
            paid_break: "ten".into(),
            ..fields
        };
        assert_eq!(bad.parse().unwrap_err().field.as_deref(), Some("breaks"));
    }
}
