//! Leave: types, working patterns, allowances, requests and their approval, and the
//! who's-off calendar (per day) and who is off (per person). Pure rules ([`year`], [`balance`], [`duration`]) sit beside the
//! services that store what they decide.

pub mod allowance;
pub mod annotations;
pub mod balance;
pub mod calendar;
pub mod days_off;
pub mod duration;
pub mod ical;
pub mod notes;
pub mod patterns;
pub mod report;
pub mod request;
pub mod types;
pub mod whos_off;
pub mod year;
