//! The native API, `/api/v1`: one module per resource, each exporting its router, and
//! here what each router admits API credentials to ([`declare`]). Those it declares
//! nothing for (MFA, API access, webhooks, signing out) refuse every API credential.

pub mod access;
pub mod auth;
pub mod availability;
pub mod catalogue;
pub mod company;
pub mod holidays;
pub mod ical;
pub mod leave;
pub mod messages;
pub mod mfa;
pub mod open_shift_requests;
pub mod org;
mod page;
pub mod password;
pub mod payroll;
pub mod people_csv;
pub mod reports;
pub mod schedule;
pub mod schedule_settings;
pub mod shift_chains;
pub mod shift_templates;
pub mod shifts;
pub mod swaps;
pub mod times;
pub mod users;
pub mod webhooks;

use rota_core::access::Area;
use utoipa_axum::router::OpenApiRouter;

use crate::AppState;
use crate::auth::{Declared, declare};

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .merge(auth::router())
        .merge(mfa::router())
        .merge(password::router())
        .merge(access::router())
        .merge(declare(Declared::Area(Area::People), company::router()))
        .merge(declare(Declared::Area(Area::People), users::router()))
        .merge(declare(Declared::Area(Area::People), people_csv::router()))
        .merge(declare(Declared::Area(Area::People), org::router()))
        .merge(declare(Declared::Area(Area::Leave), leave::router()))
        .merge(declare(Declared::Area(Area::Reports), reports::router()))
        .merge(declare(Declared::Area(Area::Leave), ical::router()))
        .merge(declare(Declared::Area(Area::Leave), holidays::router()))
        .merge(declare(Declared::Area(Area::Schedule), shifts::router()))
        .merge(declare(Declared::Area(Area::Schedule), schedule::router()))
        .merge(declare(
            Declared::Area(Area::Schedule),
            shift_chains::router(),
        ))
        .merge(declare(Declared::Area(Area::Schedule), swaps::router()))
        .merge(declare(Declared::Area(Area::Schedule), messages::router()))
        .merge(declare(
            Declared::Area(Area::Schedule),
            availability::router(),
        ))
        .merge(declare(
            Declared::Area(Area::Schedule),
            open_shift_requests::router(),
        ))
        .merge(declare(
            Declared::Area(Area::Schedule),
            schedule_settings::router(),
        ))
        .merge(declare(
            Declared::Area(Area::Schedule),
            shift_templates::router(),
        ))
        .merge(declare(Declared::Area(Area::Time), times::router()))
        .merge(declare(Declared::Area(Area::Payroll), payroll::router()))
        .merge(webhooks::router())
}
