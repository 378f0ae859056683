//! What people are told of a change to a leave request: the subject and the bodies of
//! each message, as pure functions. Users who chose HTML get an HTML body beside the text,
//! users who chose text get text only, and `none` gets nothing. Notes go only to the
//! requester and to the roles the type lets see them; whatever users typed is escaped in
//! HTML.

use jiff::civil::Date;

use crate::leave::duration::{DayPart, clock};
use crate::leave::request::Change;
use crate::leave::types::{LeaveType, TypeKind};
use crate::mail::Message;
use crate::mail::audience::Reason;
use crate::people::record::UserRecord;
use crate::people::types::{AllowanceUnit, EmailType};
use crate::people::view::reader;
use crate::policy::{Action, PolicySettings, Target, may};

/// What every message about one request says of it.
#[derive(Debug, Clone)]
pub struct RequestFacts<'a> {
    pub company_name: &'a str,
    /// The company's owner and policy settings, which make each recipient the reader that
    /// [`may`] decides for.
    pub owner_id: Option<i64>,
    pub policy: PolicySettings,
    pub leave_type: &'a LeaveType,
    pub requester: &'a UserRecord,
    /// The dates and times, as [`period`] writes them.
    pub period: String,
    /// The time it takes, as [`amount`] writes it.
    pub amount: String,
    /// Shown to the requester and to roles the type lets see notes.
    pub note: Option<&'a str>,
    /// The decision's or cancellation's reason.
    pub reason: Option<&'a str>,
}

/// `Mon 2 Mar 2026`.
fn day(date: Date) -> String {
    date.strftime("%a %-d %b %Y").to_string()
}

/// The dates of a request as a person reads them: `Mon 2 Mar 2026 (from midday) – Wed 4
/// Mar 2026`, `Tue 14 Apr 2026, morning`, `Mon 9 Mar 2026, 09:00–12:45`.
pub fn period(
    start: Date,
    end: Date,
    start_part: DayPart,
    end_part: DayPart,
    minutes: Option<(i64, i64)>,
) -> String {
    if let Some((from, to)) = minutes {
        return format!("{}, {}–{}", day(start), clock(from), clock(to));
    }
    if start == end {
        let part = if end_part == DayPart::Morning {
            ", morning"
        } else if start_part == DayPart::Afternoon {
            ", afternoon"
        } else {
            ""
        };
        return format!("{}{part}", day(start));
    }
    let from = if start_part == DayPart::Afternoon {
        " (from midday)"
    } else {
        ""
    };
    let until = if end_part == DayPart::Morning {
        " (until midday)"
    } else {
        ""
    };
    format!("{}{from} – {}{until}", day(start), day(end))
}

fn plural(count: i64, one: &str) -> String {
    if count == 1 {
        format!("1 {one}")
    } else {
        format!("{count} {one}s")
    }
}

/// An amount in its unit as a person reads it: `2.5 days`, `1 day`, `3 hours 45 minutes`.
pub fn amount(amount: i64, unit: AllowanceUnit) -> String {
    match unit {
        AllowanceUnit::Days => {
            let (whole, hundredths) = (amount / 100, amount % 100);
            if hundredths == 0 {
                plural(whole, "day")
            } else {
                let fraction = format!("{:02}", hundredths.abs());
                format!("{whole}.{} days", fraction.trim_end_matches('0'))
            }
        }
        AllowanceUnit::Hours => {
            let (hours, minutes) = (amount / 60, amount % 60);
            match (hours, minutes) {
                (0, m) => plural(m, "minute"),
                (h, 0) => plural(h, "hour"),
                (h, m) => format!("{} {}", plural(h, "hour"), plural(m, "minute")),
            }
        }
    }
}

fn full_name(user: &UserRecord) -> String {
    format!("{} {}", user.first_name, user.last_name)
}

fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

/// The web app's page where someone told for `reason` acts, and what the link says: an
/// approver decides on `/approvals`, the requester sees their leave on `/leave`, anyone
/// else who is off on `/whos-off`.
fn page_for(reason: Reason) -> (&'static str, &'static str) {
    match reason {
        Reason::Decide => ("Approve or decline it in Rota", "/approvals"),
        Reason::Own => ("See your leave in Rota", "/leave"),
        Reason::Inform => ("See who is off in Rota", "/whos-off"),
    }
}

/// The message `to` gets about `change` for `reason`, or none if they take no e-mail.
pub fn message(
    change: Change,
    facts: &RequestFacts<'_>,
    reason: Reason,
    to: &UserRecord,
) -> Option<Message> {
    let html = match EmailType::from_stored(&to.email_type).ok()? {
        EmailType::None => return None,
        EmailType::Text => false,
        EmailType::Html => true,
    };
    let leave_type = &facts.leave_type.name;
    let who = full_name(facts.requester);
    let outcome = change.outcome();
    let headline = match reason {
        Reason::Decide => format!("Please decide: {leave_type} for {who}"),
        Reason::Inform => format!("For your information: {leave_type} for {who} {outcome}"),
        Reason::Own => {
            let mut title = outcome.to_owned();
            if let Some(first) = title.get_mut(..1) {
                first.make_ascii_uppercase();
            }
            format!("{title}: your {leave_type}")
        }
    };
    let subject = format!("[{}] {headline}, {}", facts.company_name, facts.period);
    let asks = match facts.leave_type.kind {
        TypeKind::Leave => "asked for",
        TypeKind::Overtime => "reported",
    };
    let lead = match (reason, change) {
        (Reason::Decide, _) => format!(
            "{who} has {asks} {leave_type}. You approve their requests: please approve or decline this one in Rota."
        ),
        (Reason::Inform, Change::Booked) => format!(
            "For your information: {leave_type} for {who} has been booked. It needs no approval."
        ),
        (Reason::Inform, _) => {
            format!("For your information: {leave_type} for {who} has been {outcome}.")
        }
        (Reason::Own, Change::Booked) => {
            format!("Your {leave_type} has been booked. It needs no approval.")
        }
        (Reason::Own, _) => format!("Your {leave_type} has been {outcome}."),
    };
    // Beside the requester, a recipient reads the note as anyone's of this type: even a
    // super user told of their own request.
    let of_type = facts.leave_type.facts();
    let sees_note = reason == Reason::Own
        || reader(to, facts.owner_id, facts.policy)
            .is_ok_and(|to| may(&to, Action::ReadLeaveNote, Target::LeaveType(&of_type)));
    let mut rows: Vec<(&str, String)> = Vec::new();
    if reason != Reason::Own {
        rows.push(("Who", who.clone()));
    }
    rows.push(("What", leave_type.clone()));
    rows.push(("When", facts.period.clone()));
    rows.push(("Amount", facts.amount.clone()));
    if let Some(note) = facts.note.filter(|_| sees_note) {
        rows.push(("Note", note.to_owned()));
    }
    if let Some(why) = facts.reason {
        rows.push(("Reason", why.to_owned()));
    }
    let signature = format!("Rota, for {}", facts.company_name);
    let (action, page) = page_for(reason);
    let link = crate::mail::link(page);
    let mut text = format!("Hello {},\n\n{lead}\n\n", to.first_name);
    for (label, value) in &rows {
        text.push_str(&format!("  {:<8}{value}\n", format!("{label}:")));
    }
    text.push_str(&format!("\n{action}: {link}\n"));
    text.push_str(&format!("\n-- \n{signature}\n"));
    let html_body = html.then(|| {
        let mut body = format!(
            "<!DOCTYPE html>\n<html><body style=\"font-family: sans-serif\">\n<p>Hello {},</p>\n<p>{}</p>\n<table>\n",
            escape(&to.first_name),
            escape(&lead)
        );
        for (label, value) in &rows {
            body.push_str(&format!(
                "<tr><th align=\"left\">{label}</th><td>{}</td></tr>\n",
                escape(value)
            ));
        }
        body.push_str(&format!(
            "</table>\n<p><a href=\"{link}\">{action}</a></p>\n<p>{}</p>\n</body></html>\n",
            escape(&signature)
        ));
        body
    });
    Some(Message {
        recipient_user_id: Some(to.id),
        recipient_address: to.email.clone(),
        subject,
        text_body: text,
        html_body,
    })
}

/// The messages about `change` for everyone in `audience`.
pub fn messages(
    change: Change,
    facts: &RequestFacts<'_>,
    audience: &[(Reason, &UserRecord)],
) -> Vec<Message> {
    audience
        .iter()
        .filter_map(|(reason, to)| message(change, facts, *reason, to))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::mail::fixtures::{holiday, user};
    use crate::people::types::UserType;

    #[test]
    fn periods_and_amounts_read_as_a_person_writes_them() {
        let d = |day| jiff::civil::date(2026, 3, day);
        assert_eq!(
            period(d(2), d(4), DayPart::Full, DayPart::Morning, None),
            "Mon 2 Mar 2026 – Wed 4 Mar 2026 (until midday)"
        );
        assert_eq!(
            period(d(2), d(4), DayPart::Afternoon, DayPart::Full, None),
            "Mon 2 Mar 2026 (from midday) – Wed 4 Mar 2026"
        );
        assert_eq!(
            period(d(3), d(3), DayPart::Full, DayPart::Full, None),
            "Tue 3 Mar 2026"
        );
        assert_eq!(
            period(d(3), d(3), DayPart::Afternoon, DayPart::Full, None),
            "Tue 3 Mar 2026, afternoon"
        );
        assert_eq!(
            period(d(9), d(9), DayPart::Full, DayPart::Full, Some((540, 765))),
            "Mon 9 Mar 2026, 09:00–12:45"
        );
        assert_eq!(amount(250, AllowanceUnit::Days), "2.5 days");
        assert_eq!(amount(100, AllowanceUnit::Days), "1 day");
        assert_eq!(amount(25, AllowanceUnit::Days), "0.25 days");
        assert_eq!(amount(225, AllowanceUnit::Hours), "3 hours 45 minutes");
        assert_eq!(amount(60, AllowanceUnit::Hours), "1 hour");
        assert_eq!(amount(30, AllowanceUnit::Hours), "30 minutes");
    }

    fn facts<'a>(leave_type: &'a LeaveType, requester: &'a UserRecord) -> RequestFacts<'a> {
        RequestFacts {
            company_name: "Acme",
            owner_id: None,
            policy: PolicySettings::default(),
            leave_type,
            requester,
            period: "Mon 2 Mar 2026 – Wed 4 Mar 2026 (until midday)".into(),
            amount: "2.5 days".into(),
            note: Some("Family visit"),
            reason: None,
        }
    }

    #[test]
    fn an_approver_is_asked_to_decide_in_text_or_html_as_they_chose() {
        let sam = user(1, "Sam", EmailType::Html);
        let leave = holiday();
        let facts = facts(&leave, &sam);
        let mut alice = user(2, "Alice", EmailType::Text);
        alice.user_type_id = UserType::Approver.code();
        let text = message(Change::Requested, &facts, Reason::Decide, &alice).expect("a message");
        assert_eq!(
            text.subject,
            "[Acme] Please decide: Holiday for Sam Tester, Mon 2 Mar 2026 – Wed 4 Mar 2026 (until midday)"
        );
        assert_eq!(text.recipient_address, "alice@acme.test");
        assert_eq!(text.recipient_user_id, Some(2));
        assert!(
            text.text_body
                .starts_with("Hello Alice,\n\nSam Tester has asked for Holiday.")
        );
        assert!(text.text_body.contains("  Amount: 2.5 days\n"));
        assert!(text.text_body.contains("  Note:   Family visit\n"));
        assert!(
            text.text_body
                .contains("\nApprove or decline it in Rota: {rota-site}/approvals\n"),
            "a link to the page where they decide: {}",
            text.text_body
        );
        assert_eq!(text.html_body, None);

        alice.email_type = EmailType::Html.as_str().into();
        let html = message(Change::Requested, &facts, Reason::Decide, &alice).expect("a message");
        assert_eq!(
            html.text_body, text.text_body,
            "HTML comes with a text twin"
        );
        let body = html.html_body.expect("an HTML body");
        assert!(body.contains("<th align=\"left\">When</th><td>Mon 2 Mar 2026"));
        assert!(body.contains("<a href=\"{rota-site}/approvals\">"));
        alice.email_type = EmailType::None.as_str().into();
        assert_eq!(
            message(Change::Requested, &facts, Reason::Decide, &alice),
            None
        );
    }

    #[test]
    fn the_requester_hears_the_outcome_and_staff_never_see_notes_above_them() {
        let sam = user(1, "Sam", EmailType::Text);
        let leave = holiday();
        let mut facts = facts(&leave, &sam);
        facts.reason = Some("Stocktake");
        let own = message(Change::Declined, &facts, Reason::Own, &sam).expect("a message");
        assert!(
            own.subject
                .starts_with("[Acme] Declined: your Holiday, Mon 2 Mar")
        );
        assert!(own.text_body.contains("Your Holiday has been declined."));
        assert!(own.text_body.contains("  Reason: Stocktake\n"));
        assert!(own.text_body.contains("Family visit"), "their own note");
        assert!(
            own.text_body
                .contains("See your leave in Rota: {rota-site}/leave\n")
        );
        let colleague = user(5, "Cole", EmailType::Text);
        let told =
            message(Change::Declined, &facts, Reason::Inform, &colleague).expect("a message");
        assert!(
            told.subject
                .starts_with("[Acme] For your information: Holiday for Sam Tester declined")
        );
        assert!(
            !told.text_body.contains("Family visit"),
            "notes are for approvers up"
        );
    }

    #[test]
    fn html_bodies_escape_what_users_typed() {
        let mut sam = user(1, "Sam", EmailType::Html);
        sam.last_name = "<b>O'Hara</b>".into();
        let leave = holiday();
        let mut facts = facts(&leave, &sam);
        facts.note = Some("Fish & chips");
        let html = message(Change::Approved, &facts, Reason::Own, &sam)
            .and_then(|m| m.html_body)
            .expect("an HTML body");
        assert!(html.contains("Fish &amp; chips"));
        let mut owner = user(9, "Owen", EmailType::Html);
        owner.user_type_id = UserType::SuperUser.code();
        let html = message(Change::Requested, &facts, Reason::Decide, &owner)
            .and_then(|m| m.html_body)
            .expect("an HTML body");
        assert!(html.contains("Sam &lt;b&gt;O&#39;Hara&lt;/b&gt;"));
        assert!(!html.contains("<b>O'Hara"));
    }
}
