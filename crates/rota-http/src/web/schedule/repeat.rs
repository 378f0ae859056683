//! How a shift repeats, as the schedule's forms post it: a checkbox per weekday, every how
//! many weeks, and until which day. The new-shift form makes a repeating shift when a day
//! is ticked; a repeating shift's page changes its days with the same fields.

use rota_core::schedule::chains::ShiftChain;
use serde::Deserialize;

use crate::web::page::PageError;

/// The weekday checkboxes: field name, label, and the day (bit `n` of the core's mask is
/// the `n`th day from Monday).
const DAYS: [(&str, &str); 7] = [
    ("mon", "Mon"),
    ("tue", "Tue"),
    ("wed", "Wed"),
    ("thu", "Thu"),
    ("fri", "Fri"),
    ("sat", "Sat"),
    ("sun", "Sun"),
];

/// The repeat fields of a form. Every field is text (a checkbox posts `on` when ticked),
/// read after `may()`, so that the form's shape refuses nothing first.
#[derive(Deserialize, Default, Clone, Debug, PartialEq)]
pub struct RepeatFields {
    #[serde(default)]
    mon: Option<String>,
    #[serde(default)]
    tue: Option<String>,
    #[serde(default)]
    wed: Option<String>,
    #[serde(default)]
    thu: Option<String>,
    #[serde(default)]
    fri: Option<String>,
    #[serde(default)]
    sat: Option<String>,
    #[serde(default)]
    sun: Option<String>,
    /// Every this many weeks; empty: every week.
    #[serde(default)]
    pub interval_weeks: String,
    /// The last day it may fall on, `YYYY-MM-DD`.
    #[serde(default)]
    pub until: String,
}

/// One weekday checkbox as a page shows it.
pub struct DayBox {
    pub name: &'static str,
    pub label: &'static str,
    pub checked: bool,
}

impl RepeatFields {
    fn ticks(&self) -> [bool; 7] {
        [
            &self.mon, &self.tue, &self.wed, &self.thu, &self.fri, &self.sat, &self.sun,
        ]
        .map(Option::is_some)
    }

    /// Whether any day is ticked: the shift repeats.
    pub fn repeats(&self) -> bool {
        self.ticks().contains(&true)
    }

    /// The ticked days as the core's mask (Monday 1 … Sunday 64); 0 when none is.
    pub fn weekdays(&self) -> i64 {
        (self.ticks().iter().enumerate())
            .filter(|(_, ticked)| **ticked)
            .map(|(bit, _)| 1 << bit)
            .sum()
    }

    /// The week interval; 1 when left empty.
    pub fn interval(&self) -> Result<i64, PageError> {
        match self.interval_weeks.trim() {
            "" => Ok(1),
            n => n.parse().map_err(|_| {
                rota_core::Error::invalid("interval_weeks", "give the weeks as a whole number")
                    .into()
            }),
        }
    }

    /// The checkboxes, ticked as posted.
    pub fn days(&self) -> Vec<DayBox> {
        (DAYS.iter().zip(self.ticks()))
            .map(|(&(name, label), checked)| DayBox {
                name,
                label,
                checked,
            })
            .collect()
    }

    /// No day ticked, every week: the new-shift form's.
    pub fn every_week() -> Self {
        Self {
            interval_weeks: "1".to_owned(),
            ..Self::default()
        }
    }

    /// The fields of a stored repeating shift.
    pub fn of(chain: &ShiftChain) -> Self {
        Self {
            interval_weeks: chain.interval_weeks.to_string(),
            until: chain.until.to_string(),
            ..Self::default()
        }
        .with_mask(chain.weekdays)
    }

    fn with_mask(mut self, mask: i64) -> Self {
        let tick = |bit: i64| (mask & (1 << bit) != 0).then(|| "on".to_owned());
        let days = [
            &mut self.mon,
            &mut self.tue,
            &mut self.wed,
            &mut self.thu,
            &mut self.fri,
            &mut self.sat,
            &mut self.sun,
        ];
        for (bit, day) in (0..).zip(days) {
            *day = tick(bit);
        }
        self
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Deserialize)]
    struct Posted {
        #[serde(default)]
        notes: String,
        #[serde(flatten)]
        repeat: RepeatFields,
    }

    #[test]
    fn ticked_days_make_the_cores_mask_monday_lowest() {
        let posted: Posted = serde_urlencoded::from_str(
            "notes=x&mon=on&wed=on&fri=on&interval_weeks=2&until=2027-01-31",
        )
        .expect("read");
        assert_eq!(posted.notes, "x");
        let repeat = posted.repeat;
        assert!(repeat.repeats());
        assert_eq!(repeat.weekdays(), 21, "When I Work's M/W/F");
        assert_eq!(repeat.interval().expect("weeks"), 2);
        assert_eq!(repeat.until, "2027-01-31");
        let ticked: Vec<_> = (repeat.days().into_iter())
            .filter(|d| d.checked)
            .map(|d| d.name)
            .collect();
        assert_eq!(ticked, ["mon", "wed", "fri"]);
    }

    #[test]
    fn no_day_ticked_is_a_single_shift_and_the_mask_reads_back() {
        let posted: Posted = serde_urlencoded::from_str("notes=").expect("read");
        assert!(!posted.repeat.repeats());
        assert_eq!(
            posted.repeat.interval().expect("weeks"),
            1,
            "empty: every week"
        );
        let weekend = RepeatFields::default().with_mask(96);
        assert_eq!(weekend.weekdays(), 96);
        assert!(!RepeatFields::every_week().repeats());
        let bad = RepeatFields {
            interval_weeks: "two".into(),
            ..RepeatFields::default()
        };
        let error = bad.interval().expect_err("refused");
        assert_eq!(error.field.as_deref(), Some("interval_weeks"));
    }
}
