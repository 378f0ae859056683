//! The fields of a person that are rarely set by hand: what their approver's slot does,
//! notifiers 2 and 3 and their roles, their manager, positions, allowance unit, hourly
//! rate and a rate per position, hours a week, the privacy flags, the directory user name, which e-mails they get,
//! their pictures' addresses, and WhosOff's view preferences (the department or tag they
//! see first, and how people are sorted). Pure: each field's text as the form
//! shows it, read back into the core's input; money and hours are typed as decimals
//! (`12.50`, `37.5`) and kept as the core keeps them (cents, minutes).

use rota_core::people::model::{PositionRate, User, UserInput};
use rota_core::people::types::{AllowanceUnit, ApproverRole, EmailType};

use super::Choice;
use crate::web::form::Fields;
use crate::web::page::PageError;

/// The single-valued fields, by the name the form posts them under. A refusal of the core
/// about `hourly_rate_cents`, `hours_max_minutes` or `hours_preferred_minutes` stands next
/// to the decimal field it is typed in ([`form_field`]).
pub const FIELDS: [&str; 20] = [
    "approver_role",
    "notifier_2_id",
    "notifier_2_role",
    "notifier_3_id",
    "notifier_3_role",
    "manager_id",
    "allowance_unit",
    "hourly_rate",
    "hours_max",
    "hours_preferred",
    "active_directory_username",
    "email_type",
    "image_url_small",
    "image_url_large",
    "default_view",
    "default_sorting_id",
    "is_hidden",
    "is_private",
    "is_payroll",
    "is_trusted",
];

/// Posted with the privacy flags, so that none ticked clears them all.
const FLAGS_MARKER: &str = "has_flags";

/// Posted with the rates per position, so that all left blank clears them.
const RATES_MARKER: &str = "has_position_rates";

/// The privacy flags: field and label.
pub const FLAGS: [(&str, &str); 4] = [
    (
        "is_hidden",
        "Hidden from colleagues: only they, who approves for them and super users see them",
    ),
    (
        "is_private",
        "Private: colleagues see their leave as \"away\", not its type",
    ),
    ("is_payroll", "Payroll user (When I Work's is_payroll)"),
    ("is_trusted", "Trusted (When I Work's is_trusted)"),
];

/// The form field a refusal of the core's `field` stands next to.
pub fn form_field(field: &str) -> &str {
    match field {
        "hourly_rate_cents" => "hourly_rate",
        "hours_max_minutes" => "hours_max",
        "hours_preferred_minutes" => "hours_preferred",
        "default_view_type_id" | "default_view_id" => "default_view",
        other => other,
    }
}

/// Each field of `user` as the form shows it (a flag that is set as `on`).
pub fn cells(user: &User) -> Vec<(&'static str, String)> {
    let id = |value: Option<i64>| value.map(|id| id.to_string()).unwrap_or_default();
    let hours = |minutes: Option<i64>| minutes.map(hours_decimal).unwrap_or_default();
    let mut cells = vec![
        ("approver_role", user.approver_role.as_str().to_owned()),
        ("notifier_2_id", id(user.notifier_2_id)),
        ("notifier_2_role", user.notifier_2_role.as_str().to_owned()),
        ("notifier_3_id", id(user.notifier_3_id)),
        ("notifier_3_role", user.notifier_3_role.as_str().to_owned()),
        ("manager_id", id(user.manager_id)),
        ("allowance_unit", user.allowance_unit.as_str().to_owned()),
        (
            "hourly_rate",
            (user.hourly_rate_cents.map(cents_decimal)).unwrap_or_default(),
        ),
        ("hours_max", hours(user.hours_max_minutes)),
        ("hours_preferred", hours(user.hours_preferred_minutes)),
        (
            "active_directory_username",
            user.active_directory_username.clone().unwrap_or_default(),
        ),
        ("email_type", user.email_type.as_str().to_owned()),
        (
            "image_url_small",
            user.image_url_small.clone().unwrap_or_default(),
        ),
        (
            "image_url_large",
            user.image_url_large.clone().unwrap_or_default(),
        ),
        (
            "default_view",
            (user.default_view_id)
                .map(|id| View::of(user.default_view_type_id, id).value())
                .unwrap_or_default(),
        ),
        ("default_sorting_id", user.default_sorting_id.to_string()),
    ];
    let set = [
        user.is_hidden,
        user.is_private,
        user.is_payroll,
        user.is_trusted,
    ];
    cells.extend(
        FLAGS
            .iter()
            .zip(set)
            .map(|(&(name, _), on)| (name, if on { "on" } else { "" }.to_owned())),
    );
    cells
}

/// The rate of each position `user` has one for, by position id, as the form shows it.
pub fn rates_of_user(user: &User) -> Vec<(i64, String)> {
    (user.position_rates.iter().flatten())
        .map(|rate| (rate.position_id, cents_decimal(rate.hourly_rate_cents)))
        .collect()
}

/// The rates as posted, by position id: each `position_rate` follows the
/// `position_rate_for` naming its position.
pub fn rates_of_form(form: &Fields) -> Vec<(i64, String)> {
    (form.all("position_rate_for").iter())
        .zip(form.all("position_rate"))
        .filter_map(|(id, text)| Some((id.parse().ok()?, text)))
        .collect()
}

/// Cents as the rate input shows them: `12.50`.
fn cents_decimal(cents: i64) -> String {
    format!("{}.{:02}", cents / 100, (cents % 100).abs())
}

/// Minutes as the hours input shows them, in as few decimals as read back the same:
/// `37.5`, `40`, `0.33` (20 minutes).
fn hours_decimal(minutes: i64) -> String {
    if minutes % 60 == 0 {
        return (minutes / 60).to_string();
    }
    let text = format!("{:.2}", minutes as f64 / 60.0);
    text.trim_end_matches('0').to_owned()
}

/// `text` as a decimal times `scale`, rounded: `12.5` at 100 is 1250. `None` when it is
/// not a finite number or is out of any field's range.
pub fn scaled(text: &str, scale: f64) -> Option<i64> {
    let value: f64 = text.trim().parse().ok().filter(|v: &f64| v.is_finite())?;
    let scaled = (value * scale).round();
    (scaled.abs() <= 1e9).then_some(scaled as i64)
}

/// The fields of this part of the form that were posted, put into `input`; what the form
/// did not hold stays absent, so the core leaves it as it is.
pub fn put(form: &Fields, input: &mut UserInput) -> Result<(), PageError> {
    let one = |name: &str| form.trimmed(name).map(str::to_owned);
    let bad = |field: &'static str, message: &'static str| -> PageError {
        rota_core::Error::invalid(field, message).into()
    };
    let id = |name: &'static str| -> Result<Option<Option<i64>>, PageError> {
        one(name)
            .map(|v| match v.as_str() {
                "" => Ok(None),
                v => v.parse().map(Some).map_err(|_| bad(name, "pick someone")),
            })
            .transpose()
    };
    let role = |name: &'static str| -> Result<Option<ApproverRole>, PageError> {
        one(name)
            .map(|v| {
                ApproverRole::ALL
                    .into_iter()
                    .find(|r| r.as_str() == v)
                    .ok_or_else(|| bad(name, "pick one of the roles"))
            })
            .transpose()
    };
    let decimal = |name: &'static str, scale: f64, message: &'static str| {
        one(name)
            .map(|v| match v.as_str() {
                "" => Ok(None),
                v => scaled(v, scale).map(Some).ok_or_else(|| bad(name, message)),
            })
            .transpose()
    };
    input.approver_role = role("approver_role")?;
    input.notifier_2_id = id("notifier_2_id")?;
    input.notifier_2_role = role("notifier_2_role")?;
    input.notifier_3_id = id("notifier_3_id")?;
    input.notifier_3_role = role("notifier_3_role")?;
    input.manager_id = id("manager_id")?;
    input.allowance_unit = one("allowance_unit")
        .map(|v| {
            AllowanceUnit::ALL
                .into_iter()
                .find(|u| u.as_str() == v)
                .ok_or_else(|| bad("allowance_unit", "days or hours"))
        })
        .transpose()?;
    input.hourly_rate_cents = decimal(
        "hourly_rate",
        100.0,
        "give the rate as an amount, such as 12.50",
    )?;
    let hours = "give hours a week as a number, such as 37.5";
    input.hours_max_minutes = decimal("hours_max", 60.0, hours)?;
    input.hours_preferred_minutes = decimal("hours_preferred", 60.0, hours)?;
    input.active_directory_username = form.change("active_directory_username");
    input.email_type = one("email_type")
        .map(|v| {
            EmailType::ALL
                .into_iter()
                .find(|t| t.as_str() == v)
                .ok_or_else(|| bad("email_type", "pick which e-mails they get"))
        })
        .transpose()?;
    input.image_url_small = form.change("image_url_small");
    input.image_url_large = form.change("image_url_large");
    if let Some(text) = one("default_view") {
        match text.as_str() {
            "" => input.default_view_id = Some(None),
            text => {
                let view = View::parse(text)
                    .ok_or_else(|| bad("default_view", "pick a department or a tag"))?;
                input.default_view_type_id = Some(view.type_id());
                input.default_view_id = Some(Some(view.id()));
            }
        }
    }
    input.default_sorting_id = one("default_sorting_id")
        .map(|v| {
            v.parse()
                .ok()
                .filter(|code| SORTINGS.iter().any(|(c, _)| c == code))
                .ok_or_else(|| bad("default_sorting_id", "pick how people are sorted"))
        })
        .transpose()?;
    if form.ticked(RATES_MARKER) {
        // A rate stays only with a position they work: one typed beside a position left
        // unticked is not kept.
        let ticked = form.all("positions");
        let mut rates = Vec::new();
        for (position_id, text) in rates_of_form(form) {
            if text.trim().is_empty() || !ticked.contains(&position_id.to_string()) {
                continue;
            }
            let hourly_rate_cents = scaled(&text, 100.0).ok_or_else(|| {
                bad(
                    "position_rates",
                    "give each rate as an amount, such as 14.00",
                )
            })?;
            rates.push(PositionRate {
                position_id,
                hourly_rate_cents,
            });
        }
        input.position_rates = Some(rates);
    }
    if form.ticked(FLAGS_MARKER) {
        let on = |name: &str| Some(form.ticked(name));
        input.is_hidden = on("is_hidden");
        input.is_private = on("is_private");
        input.is_payroll = on("is_payroll");
        input.is_trusted = on("is_trusted");
    }
    Ok(())
}

/// WhosOff's `default_sorting_id` codes, as the pages name them.
const SORTINGS: [(i64, &str); 5] = [
    (0, "As listed"),
    (1, "First name, A to Z"),
    (2, "First name, Z to A"),
    (3, "Last name, A to Z"),
    (4, "Last name, Z to A"),
];

/// The view someone sees first (WhosOff's `default_view_type_id` with `default_view_id`):
/// a department or a tag, posted as `department:ID` or `tag:ID`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum View {
    Department(i64),
    Tag(i64),
}

impl View {
    /// WhosOff's type 1 is a department, 2 a tag.
    pub fn of(type_id: i64, id: i64) -> Self {
        if type_id == 2 {
            Self::Tag(id)
        } else {
            Self::Department(id)
        }
    }

    fn parse(text: &str) -> Option<Self> {
        let (kind, id) = text.split_once(':')?;
        let id = id.parse().ok()?;
        match kind {
            "department" => Some(Self::Department(id)),
            "tag" => Some(Self::Tag(id)),
            _ => None,
        }
    }

    pub fn value(self) -> String {
        match self {
            Self::Department(id) => format!("department:{id}"),
            Self::Tag(id) => format!("tag:{id}"),
        }
    }

    fn type_id(self) -> i64 {
        match self {
            Self::Department(_) => 1,
            Self::Tag(_) => 2,
        }
    }

    fn id(self) -> i64 {
        match self {
            Self::Department(id) | Self::Tag(id) => id,
        }
    }
}

/// The departments and tags to see first, as choices after "None", `current` chosen.
pub fn view_choices(
    departments: &[(i64, String)],
    tags: &[(i64, String)],
    current: &str,
) -> Vec<Choice> {
    let views = (departments.iter())
        .map(|(id, name)| (View::Department(*id), format!("Department: {name}")))
        .chain(
            tags.iter()
                .map(|(id, name)| (View::Tag(*id), format!("Tag: {name}"))),
        );
    std::iter::once(Choice::new("", "None", current.is_empty()))
        .chain(views.map(|(view, label)| {
            let value = view.value();
            let chosen = value == current;
            Choice::new(value, label, chosen)
        }))
        .collect()
}

/// How people are sorted, as choices, `current` (the code as text) chosen.
pub fn sorting_choices(current: &str) -> Vec<Choice> {
    SORTINGS
        .iter()
        .map(|(code, label)| Choice::new(code, *label, code.to_string() == current))
        .collect()
}

/// An approver or notifier slot's roles as choices, `current` (stored text) chosen.
pub fn role_choices(current: &str) -> Vec<Choice> {
    ApproverRole::ALL
        .into_iter()
        .map(|role| {
            let label = match role {
                ApproverRole::None => "Nothing",
                ApproverRole::ApproverBoth => "Approves leave and overtime",
                ApproverRole::ApproverLeave => "Approves leave",
                ApproverRole::ApproverOvertime => "Approves overtime",
                ApproverRole::NotifierBoth => "Is told of leave and overtime",
                ApproverRole::NotifierLeave => "Is told of leave",
                ApproverRole::NotifierOvertime => "Is told of overtime",
            };
            Choice::new(role.as_str(), label, role.as_str() == current)
        })
        .collect()
}

/// Which e-mails they get, as choices.
pub fn email_choices(current: &str) -> Vec<Choice> {
    EmailType::ALL
        .into_iter()
        .map(|kind| {
            let label = match kind {
                EmailType::None => "None",
                EmailType::Text => "Plain text",
                EmailType::Html => "Formatted (HTML)",
            };
            Choice::new(kind.as_str(), label, kind.as_str() == current)
        })
        .collect()
}

/// The allowance units, as choices.
pub fn unit_choices(current: &str) -> Vec<Choice> {
    AllowanceUnit::ALL
        .into_iter()
        .map(|unit| {
            let label = match unit {
                AllowanceUnit::Days => "Days",
                AllowanceUnit::Hours => "Hours",
            };
            Choice::new(unit.as_str(), label, unit.as_str() == current)
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rates_are_kept_for_ticked_positions_only_and_blank_clears() {
        let mut input = UserInput::default();
        let posted = [
            ("positions", "3"),
            ("positions", "5"),
            ("has_position_rates", "1"),
            ("position_rate_for", "3"),
            ("position_rate", "14"),
            ("position_rate_for", "5"),
            ("position_rate", ""),
            ("position_rate_for", "7"),
            ("position_rate", "20"),
        ];
        put(&Fields::of(&posted), &mut input).expect("read");
        assert_eq!(
            input.position_rates,
            Some(vec![PositionRate {
                position_id: 3,
                hourly_rate_cents: 1400
            }])
        );
        let mut untouched = UserInput::default();
        put(&Fields::of(&[("position_rate", "14")]), &mut untouched).expect("read");
        assert_eq!(untouched.position_rates, None, "no marker, no change");
        let error = put(
            &Fields::of(&[
                ("positions", "3"),
                ("has_position_rates", "1"),
                ("position_rate_for", "3"),
                ("position_rate", "lots"),
            ]),
            &mut UserInput::default(),
        )
        .expect_err("not an amount");
        assert_eq!(error.field.as_deref(), Some("position_rates"));
    }

    #[test]
    fn decimals_become_cents_and_minutes_and_blank_clears() {
        let mut input = UserInput::default();
        put(
            &Fields::of(&[
                ("hourly_rate", "12.5"),
                ("hours_max", "37.5"),
                ("hours_preferred", ""),
                ("notifier_2_id", "9"),
                ("notifier_2_role", "notifier_leave"),
                ("manager_id", ""),
                ("email_type", "text"),
            ]),
            &mut input,
        )
        .expect("read");
        assert_eq!(input.hourly_rate_cents, Some(Some(1250)));
        assert_eq!(input.hours_max_minutes, Some(Some(2250)));
        assert_eq!(input.hours_preferred_minutes, Some(None), "blank clears");
        assert_eq!(input.notifier_2_id, Some(Some(9)));
        assert_eq!(input.notifier_2_role, Some(ApproverRole::NotifierLeave));
        assert_eq!(input.manager_id, Some(None));
        assert_eq!(input.email_type, Some(EmailType::Text));
        assert!(input.approver_role.is_none(), "not posted, not sent");
        assert!(input.is_hidden.is_none(), "no marker, flags not sent");
    }

    #[test]
    fn the_flags_are_sent_with_their_marker_unticked_ones_false() {
        let mut input = UserInput::default();
        put(
            &Fields::of(&[(FLAGS_MARKER, "1"), ("is_private", "on")]),
            &mut input,
        )
        .expect("read");
        assert_eq!(
            (
                input.is_hidden,
                input.is_private,
                input.is_payroll,
                input.is_trusted
            ),
            (Some(false), Some(true), Some(false), Some(false))
        );
    }

    #[test]
    fn what_cannot_be_read_is_refused_at_its_field() {
        for (field, value) in [
            ("hourly_rate", "lots"),
            ("hours_max", "inf"),
            ("notifier_3_role", "boss"),
            ("allowance_unit", "weeks"),
            ("email_type", "fax"),
            ("manager_id", "x"),
        ] {
            let error =
                put(&Fields::of(&[(field, value)]), &mut UserInput::default()).expect_err(field);
            assert_eq!(error.field.as_deref(), Some(field));
        }
        assert_eq!(form_field("hours_max_minutes"), "hours_max");
        assert_eq!(form_field("notes"), "notes");
    }

    #[test]
    fn a_view_is_a_department_or_a_tag_and_none_clears_it() {
        let mut input = UserInput::default();
        put(
            &Fields::of(&[("default_view", "tag:7"), ("default_sorting_id", "3")]),
            &mut input,
        )
        .expect("read");
        assert_eq!(
            (input.default_view_type_id, input.default_view_id),
            (Some(2), Some(Some(7)))
        );
        assert_eq!(input.default_sorting_id, Some(3));
        let mut cleared = UserInput::default();
        put(&Fields::of(&[("default_view", "")]), &mut cleared).expect("read");
        assert_eq!(
            (cleared.default_view_type_id, cleared.default_view_id),
            (None, Some(None))
        );
        for (field, value) in [("default_view", "region:3"), ("default_sorting_id", "9")] {
            let error =
                put(&Fields::of(&[(field, value)]), &mut UserInput::default()).expect_err(field);
            assert_eq!(error.field.as_deref(), Some(field));
        }
        assert_eq!(View::of(1, 4).value(), "department:4");
        let choices = view_choices(
            &[(4, "Kitchen".into())],
            &[(7, "Keyholders".into())],
            "tag:7",
        );
        let chosen: Vec<&str> = (choices.iter())
            .filter(|c| c.chosen)
            .map(|c| c.label.as_str())
            .collect();
        assert_eq!(chosen, ["Tag: Keyholders"]);
    }

    #[test]
    fn amounts_read_back_as_typed() {
        assert_eq!(cents_decimal(1250), "12.50");
        assert_eq!(cents_decimal(5), "0.05");
        for minutes in [0, 20, 45, 2250, 2400, 10_079] {
            let text = hours_decimal(minutes);
            assert_eq!(scaled(&text, 60.0), Some(minutes), "{text}");
        }
        assert_eq!(hours_decimal(2250), "37.5");
        assert_eq!(scaled("-0.25", 100.0), Some(-25));
        assert_eq!(scaled("NaN", 100.0), None);
        let every_role = role_choices("approver_leave");
        assert_eq!(every_role.len(), 7);
        assert!(
            every_role
                .iter()
                .any(|c| c.chosen && c.value == "approver_leave")
        );
    }
}
