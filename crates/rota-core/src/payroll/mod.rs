//! Payroll: a company's pay-period rule and overtime thresholds, from which its payroll
//! periods are cut, and the hourly rates that pay the time worked in them.
//!
//! - [`periods`]: the pure rule that cuts the calendar into pay periods
//! - [`rates`]: the pure rule for which hourly rate pays
//! - [`split`]: the pure rule that splits worked time into regular and overtime, priced
//! - [`settings`]: the company's payroll rule, read by everyone and set by super users

pub mod periods;
pub mod rates;
pub mod settings;
pub mod split;

pub use periods::{Frequency, Period, PeriodRule};
pub use rates::Rates;
pub use settings::{PayrollSettings, PayrollSettingsInput};
