//! The start and the end of a stretch of time as a form asks for them: a day and a clock
//! time each (`start_date`, `start_time`, `end_date`, `end_time`, as the core names them),
//! drawn by `templates/ends.html` with each field's refusal beside it, and posted into
//! [`Ends`], flattened into the form that asks for them.

use serde::Deserialize;

/// The four fields as typed (or as stored), part of a form.
#[derive(Deserialize, Default)]
pub struct Ends {
    #[serde(default)]
    pub start_date: String,
    #[serde(default)]
    pub start_time: String,
    #[serde(default)]
    pub end_date: String,
    #[serde(default)]
    pub end_time: String,
}

impl Ends {
    /// The start and the end, for the form's two rows.
    pub fn rows(&self) -> [End<'_>; 2] {
        End::pair(
            (&self.start_date, &self.start_time),
            (&self.end_date, &self.end_time),
        )
    }
}

/// The start or the end, as typed.
pub struct End<'a> {
    pub label: &'static str,
    pub date_field: &'static str,
    pub time_field: &'static str,
    pub date: &'a str,
    pub time: &'a str,
}

impl<'a> End<'a> {
    /// The start (day, time) and the end (day, time), for a form's two rows.
    pub fn pair(start: (&'a str, &'a str), end: (&'a str, &'a str)) -> [Self; 2] {
        [
            Self {
                label: "Started",
                date_field: "start_date",
                time_field: "start_time",
                date: start.0,
                time: start.1,
            },
            Self {
                label: "Ended",
                date_field: "end_date",
                time_field: "end_time",
                date: end.0,
                time: end.1,
            },
        ]
    }
}
