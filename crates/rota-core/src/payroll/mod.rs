//! Payroll: a company's pay-period rule and overtime thresholds, the payroll periods cut
//! from it, and the hours worked in each, per person and type, at the rates that pay them.
//!
//! - [`periods`]: the pure rule that cuts the calendar into pay periods
//! - [`rates`]: the pure rule for which hourly rate pays
//! - [`split`]: the pure rule that splits worked time into regular and overtime, priced
//! - [`period`]: the company's periods, cut ahead, and [`hours`] worked in one
//! - [`settings`]: the company's payroll rule, read by everyone and set by super users
//! - [`close`]: closing a period into a snapshot, reopening and finalising it; [`guard`]:
//!   time entries refused on the days of a closed period
//! - [`export`]: a period's hours as CSV

mod close;
pub mod export;
pub(crate) mod guard;
mod hours;
mod period;
pub mod periods;
pub mod rates;
pub mod settings;
pub mod split;

pub use close::{ClosePayrollPeriodInput, ReopenPayrollPeriodInput, close, finalise, reopen};
pub use hours::{HoursType, Paid, PayrollHours, holiday_minutes, person_hours};
pub use period::{PayrollPeriod, PayrollPeriodHours, PeriodStatus, TypeTotal, get, list};
pub use periods::{Frequency, Period, PeriodRule};
pub use rates::Rates;
pub use settings::{PayrollSettings, PayrollSettingsInput};
