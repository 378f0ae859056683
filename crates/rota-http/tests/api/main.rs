//! Integration tests: the real application served on a loopback port over a fresh
//! database per test, on SQLite, or on PostgreSQL when `ROTA_TEST_POSTGRES_URL` is set.

#![recursion_limit = "256"]

mod access;
mod auth;
mod authz;
mod availability;
mod bad_input;
mod common;
mod concurrency;
mod guards;
mod hostile;
mod ical;
mod leave;
mod lists;
mod mail;
mod mfa;
mod open_shifts;
mod openapi;
mod org;
mod password_links;
mod payroll;
mod people_csv;
mod schedule_view;
mod shift_chains;
mod shifts;
mod shifts_under_leave;
mod swaps;
mod templates;
mod times;
mod users;
mod way_in;
mod web;
mod web_access;
mod web_account;
mod web_approvals;
mod web_people;
mod web_schedule;
mod webhooks;
mod whosoff;
