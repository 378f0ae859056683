//! What every page shares: the frame (company, person, navigation from the person's
//! capabilities, the sign-out form), rendering a template into a response, and the error
//! page, which says what the API's envelope says (status, message, code) in HTML.

use std::collections::HashMap;

use askama::Template;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{Html, IntoResponse, Response};
use rota_core::policy::{self, Action, Target};

use super::people::more::View;
use super::session::Signed;
use crate::AppState;
use crate::error::ApiError;

/// A link of the navigation.
pub struct NavItem {
    pub href: &'static str,
    pub label: &'static str,
    pub current: bool,
}

/// The pages of the navigation, with the action that shows each (`None`: everyone's).
const NAVIGATION: [(&str, &str, Option<Action>); 11] = [
    ("/whos-off", "Who's off", None),
    ("/leave", "My leave", None),
    ("/overtime", "Overtime", None),
    ("/schedule", "Schedule", None),
    ("/time", "Time clock", None),
    ("/approvals", "Approvals", Some(Action::ListMyStaff)),
    ("/people", "People", Some(Action::ListMyStaff)),
    ("/reports", "Reports", Some(Action::ListMyStaff)),
    ("/payroll", "Payroll", Some(Action::ViewPayroll)),
    ("/settings", "Settings", Some(Action::UpdateCompany)),
    ("/access", "API access", Some(Action::ManageApiAccess)),
];

/// The frame around a signed-in page.
pub struct Frame {
    pub company: String,
    pub person: String,
    pub nav: Vec<NavItem>,
    /// The CSRF token of the session, for the sign-out form and the page's own forms.
    pub csrf: String,
    pub title: &'static str,
    /// Today in the company's time zone.
    pub today: jiff::civil::Date,
    /// The company's time zone, in which the pages show instants.
    pub zone: jiff::tz::TimeZone,
    /// The reader's view preferences, set on the people form.
    pub preferences: ViewPreferences,
}

/// What a person set as their WhosOff view preferences: the group their views open on
/// (a department or a tag) and how people are sorted.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct ViewPreferences {
    /// Everyone when `None`.
    pub default_view: Option<View>,
    /// 0 as listed, 1 first name A–Z, 2 first name Z–A, 3 last name A–Z, 4 last name Z–A.
    pub sorting: i64,
}

impl Frame {
    /// The frame of page `href` titled `title` for `signed`.
    pub async fn load(
        state: &AppState,
        signed: &Signed,
        href: &'static str,
        title: &'static str,
    ) -> Result<Self, PageError> {
        let actor = &signed.actor;
        let company = rota_core::company::get(&state.db, actor).await?;
        let me = rota_core::people::service::get(&state.db, actor, actor.user_id).await?;
        let capabilities = policy::capabilities(actor, Target::Company(actor.company_id));
        let nav = NAVIGATION
            .into_iter()
            .filter(|(_, _, action)| action.is_none_or(|action| capabilities.allows(action)))
            .map(|(link, label, _)| NavItem {
                href: link,
                label,
                current: link == href,
            })
            .collect();
        let zone = jiff::tz::TimeZone::get(&company.time_zone).unwrap_or(jiff::tz::TimeZone::UTC);
        Ok(Self {
            today: rota_core::time::today(&zone),
            zone,
            company: company.name,
            person: format!("{} {}", me.first_name, me.last_name),
            preferences: ViewPreferences {
                default_view: (me.default_view_id).map(|id| View::of(me.default_view_type_id, id)),
                sorting: me.default_sorting_id,
            },
            nav,
            csrf: signed.csrf.clone(),
            title,
        })
    }
}

/// The names of the people a page lists, read in one go for just their ids
/// (`people::service::names`: those the reader may see, archived ones too).
pub struct PersonNames(HashMap<i64, (String, String)>);

impl PersonNames {
    pub async fn load(
        state: &AppState,
        signed: &Signed,
        ids: impl IntoIterator<Item = i64>,
    ) -> Result<Self, PageError> {
        let mut ids: Vec<i64> = ids.into_iter().collect();
        ids.sort_unstable();
        ids.dedup();
        if ids.is_empty() {
            return Ok(Self(HashMap::new()));
        }
        let names = rota_core::people::service::names(&state.db, &signed.actor, &ids).await?;
        Ok(Self(names))
    }

    /// `First Last`, or `Person <id>` for someone the reader may not see.
    pub fn of(&self, id: i64) -> String {
        self.0.get(&id).map_or_else(
            || format!("Person {id}"),
            |(first, last)| format!("{first} {last}"),
        )
    }
}

/// A rendered page.
pub fn render(template: &impl Template) -> Result<Response, PageError> {
    let html = template.render().map_err(|e| {
        tracing::error!(error = %e, "a page failed to render");
        PageError::internal()
    })?;
    Ok(Html(html).into_response())
}

/// A rendered page answered with `status`: a refused form shown again, with its problem.
pub fn render_as(status: StatusCode, template: &impl Template) -> Result<Response, PageError> {
    let mut response = render(template)?;
    *response.status_mut() = status;
    Ok(response)
}

/// A page that could not be served, shown as a small page of its own.
#[derive(Debug)]
pub struct PageError {
    pub status: StatusCode,
    pub code: String,
    pub message: String,
    pub field: Option<String>,
}

#[derive(Template)]
#[template(path = "error.html")]
struct ErrorPage<'a> {
    error: &'a PageError,
    heading: &'a str,
}

impl PageError {
    fn new(status: StatusCode, code: &str, message: &str) -> Self {
        Self {
            status,
            code: code.to_owned(),
            message: message.to_owned(),
            field: None,
        }
    }

    /// A form posted without its CSRF token, or with another session's.
    pub fn csrf() -> Self {
        Self::new(
            StatusCode::FORBIDDEN,
            "csrf_failed",
            "This form has expired or did not come from this site. Go back, reload the page and try again.",
        )
    }

    /// A form whose fields could not be read.
    pub fn bad_form(message: &str) -> Self {
        Self::new(StatusCode::BAD_REQUEST, "invalid_form", message)
    }

    pub fn not_found() -> Self {
        Self::new(
            StatusCode::NOT_FOUND,
            rota_core::error::code::NOT_FOUND,
            "There is no such page.",
        )
    }

    pub fn forbidden() -> Self {
        Self::new(
            StatusCode::FORBIDDEN,
            rota_core::error::code::FORBIDDEN,
            "You may not open this page.",
        )
    }

    fn internal() -> Self {
        Self::new(
            StatusCode::INTERNAL_SERVER_ERROR,
            "internal_error",
            "The server failed; the error is logged.",
        )
    }
}

impl From<ApiError> for PageError {
    fn from(error: ApiError) -> Self {
        Self {
            status: error.status,
            code: error.code,
            message: error.message,
            field: error.field,
        }
    }
}

impl From<rota_core::Error> for PageError {
    fn from(error: rota_core::Error) -> Self {
        ApiError::from(error).into()
    }
}

impl IntoResponse for PageError {
    fn into_response(self) -> Response {
        let heading = self
            .status
            .canonical_reason()
            .unwrap_or("Something went wrong");
        let page = ErrorPage {
            error: &self,
            heading,
        };
        let body = page
            .render()
            .unwrap_or_else(|_| "<!doctype html><title>Error</title><p>Error</p>".to_owned());
        let mut response = (self.status, Html(body)).into_response();
        response
            .headers_mut()
            .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
        response
    }
}

/// A refusal shown on a form: next to its field when the form has that field, above the
/// form otherwise.
#[derive(Debug, Default)]
pub struct Problem {
    field: Option<String>,
    message: Option<String>,
}

impl Problem {
    /// `error` on a form whose fields are `fields`.
    pub fn of(error: &PageError, fields: &[&str]) -> Self {
        let field = error
            .field
            .as_deref()
            .filter(|field| fields.contains(field))
            .map(str::to_owned);
        Self {
            field,
            message: Some(error.message.clone()),
        }
    }

    /// A message about one field.
    pub fn on_field(field: &str, message: &str) -> Self {
        Self {
            field: Some(field.to_owned()),
            message: Some(message.to_owned()),
        }
    }

    /// The message next to `field`, if it is about that field.
    pub fn on(&self, field: &str) -> Option<&str> {
        match &self.field {
            Some(at) if at == field => self.message.as_deref(),
            _ => None,
        }
    }

    /// The message about the whole form, if it is about no field of it.
    pub fn general(&self) -> Option<&str> {
        match &self.field {
            Some(_) => None,
            None => self.message.as_deref(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_problem_stands_next_to_its_field_when_the_form_has_it() {
        let error = PageError::from(rota_core::Error::invalid("end_date", "too late"));
        let problem = Problem::of(&error, &["start_date", "end_date"]);
        assert_eq!(problem.on("end_date"), Some("too late"));
        assert_eq!(problem.general(), None);
        let elsewhere = Problem::of(&error, &["reason"]);
        assert_eq!(elsewhere.on("end_date"), None);
        assert_eq!(elsewhere.general(), Some("too late"));
    }
}
