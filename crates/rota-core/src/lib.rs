//! Rota's core: domain types, rules, storage and services. Every face (HTTP API, CLI)
//! calls into here; nothing here knows about HTTP.

pub mod access;
pub mod auth;
pub mod company;
pub mod countries;
pub mod csv;
pub mod db;
pub mod demo;
pub mod error;
pub mod holidays;
pub mod leave;
pub mod locks;
pub mod mail;
pub mod mfa;
pub mod openapi;
pub mod org;
pub mod paging;
pub mod payroll;
pub mod people;
pub mod policy;
pub mod retry;
pub mod schedule;
#[cfg(test)]
mod schema;
pub mod sealing;
pub mod secret;
pub mod signup;
pub(crate) mod sql;
pub(crate) mod stored;
#[cfg(any(test, feature = "testing"))]
pub mod testing;
pub mod time;
pub mod time_clock;
pub mod validate;
pub mod webhooks;

pub use db::Db;
pub use error::{Error, Result};
