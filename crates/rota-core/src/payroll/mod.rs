//! Payroll: a company's pay-period rule and overtime thresholds, from which its payroll
//! periods are cut.
//!
//! - [`periods`]: the pure rule that cuts the calendar into pay periods
//! - [`settings`]: the company's payroll rule, read by everyone and set by super users

pub mod periods;
pub mod settings;

pub use periods::{Frequency, Period, PeriodRule};
pub use settings::{PayrollSettings, PayrollSettingsInput};
