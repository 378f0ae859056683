//! The fields of a person that are rarely set by hand, which the person form keeps under
//! "More": what their approver's slot does, notifiers 2 and 3 and their roles, their
//! manager, positions, allowance unit, hourly rate, hours a week, the privacy flags, the
//! directory user name, and which e-mails they get. Pure: each field's text as the form
//! shows it, read back into the core's input; money and hours are typed as decimals
//! (`12.50`, `37.5`) and kept as the core keeps them (cents, minutes).

use rota_core::people::model::{User, UserInput};
use rota_core::people::types::{AllowanceUnit, ApproverRole, EmailType};

use super::Choice;
use crate::web::page::PageError;

/// The single-valued fields, by the name the form posts them under. A refusal of the core
/// about `hourly_rate_cents`, `hours_max_minutes` or `hours_preferred_minutes` stands next
/// to the decimal field it is typed in ([`form_field`]).
pub const FIELDS: [&str; 16] = [
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
    "is_hidden",
    "is_private",
    "is_payroll",
    "is_trusted",
];

/// Posted with the privacy flags, so that none ticked clears them all.
const FLAGS_MARKER: &str = "has_flags";

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
pub fn put(form: &[(String, String)], input: &mut UserInput) -> Result<(), PageError> {
    let one = |name: &str| {
        form.iter()
            .find(|(key, _)| key == name)
            .map(|(_, value)| value.trim().to_owned())
    };
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
    input.active_directory_username =
        one("active_directory_username").map(|v| Some(v).filter(|v| !v.is_empty()));
    input.email_type = one("email_type")
        .map(|v| {
            EmailType::ALL
                .into_iter()
                .find(|t| t.as_str() == v)
                .ok_or_else(|| bad("email_type", "pick which e-mails they get"))
        })
        .transpose()?;
    if one(FLAGS_MARKER).is_some() {
        let on = |name: &str| Some(one(name).is_some());
        input.is_hidden = on("is_hidden");
        input.is_private = on("is_private");
        input.is_payroll = on("is_payroll");
        input.is_trusted = on("is_trusted");
    }
    Ok(())
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

    fn pairs(list: &[(&str, &str)]) -> Vec<(String, String)> {
        list.iter()
            .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
            .collect()
    }

    #[test]
    fn decimals_become_cents_and_minutes_and_blank_clears() {
        let mut input = UserInput::default();
        put(
            &pairs(&[
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
            &pairs(&[(FLAGS_MARKER, "1"), ("is_private", "on")]),
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
            let error = put(&pairs(&[(field, value)]), &mut UserInput::default()).expect_err(field);
            assert_eq!(error.field.as_deref(), Some(field));
        }
        assert_eq!(form_field("hours_max_minutes"), "hours_max");
        assert_eq!(form_field("notes"), "notes");
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
