//! The vendors' code lists for what Rota names otherwise: where a leave request stands.
//! Roles need no list: Rota's role codes are WhosOff's `user_type_id` (100–310, see
//! `UserType::code`); Offly's statuses are Rota's own words.
//!
//! - WhosOff: pending 1, approved 100, cancelled 900, declined 930 (read from its filter
//!   codes); overtime's own `status_id`, active 1 (pending or approved) and disabled 0;
//!   and the filters of `leave/get`: approved and pending 0, pending 1, approved
//!   100, cancelled 900, declined 930, approved and declined 1000, cancelled and declined
//!   1010.
//! - When I Work (`user_status`): 0 pending, 1 canceled, 2 accepted, 3 expired, 4 denied.
//!   Rota has no expired request: asked for, it matches none.

use rota_core::leave::request::RequestStatus;

use RequestStatus::{Approved, Cancelled, Declined, Pending};

/// A code not in the vendor's list.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct UnknownCode(pub i64);

impl std::fmt::Display for UnknownCode {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{} is not a known status code", self.0)
    }
}

impl std::error::Error for UnknownCode {}

/// A leave request's status as WhosOff codes it.
pub fn whosoff_status(status: RequestStatus) -> i64 {
    match status {
        Pending => 1,
        Approved => 100,
        Cancelled => 900,
        Declined => 930,
    }
}

/// An overtime request's `status_id` as WhosOff publishes the overtime code list: active
/// 1 while it stands (pending or approved), disabled 0 once declined or cancelled. Its
/// place in the leave list ([`whosoff_status`]) goes beside it.
pub fn whosoff_overtime_status(status: RequestStatus) -> i64 {
    match status {
        Pending | Approved => 1,
        Declined | Cancelled => 0,
    }
}

/// The statuses a WhosOff `status_id` filter asks for.
pub fn whosoff_status_filter(code: i64) -> Result<&'static [RequestStatus], UnknownCode> {
    Ok(match code {
        0 => &[Approved, Pending],
        1 => &[Pending],
        100 => &[Approved],
        900 => &[Cancelled],
        930 => &[Declined],
        1000 => &[Approved, Declined],
        1010 => &[Cancelled, Declined],
        other => return Err(UnknownCode(other)),
    })
}

/// A leave request's status as When I Work's `user_status` codes it.
pub fn wheniwork_status(status: RequestStatus) -> i64 {
    match status {
        Pending => 0,
        Cancelled => 1,
        Approved => 2,
        Declined => 4,
    }
}

/// The status a When I Work `user_status` names: `None` for expired, which Rota has not.
pub fn from_wheniwork_status(code: i64) -> Result<Option<RequestStatus>, UnknownCode> {
    match code {
        0 => Ok(Some(Pending)),
        1 => Ok(Some(Cancelled)),
        2 => Ok(Some(Approved)),
        3 => Ok(None),
        4 => Ok(Some(Declined)),
        other => Err(UnknownCode(other)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const ALL: [RequestStatus; 4] = [Pending, Approved, Declined, Cancelled];

    #[test]
    fn every_status_has_a_whosoff_code_that_its_own_filter_finds() {
        for status in ALL {
            let code = whosoff_status(status);
            assert_eq!(whosoff_status_filter(code), Ok(&[status][..]));
        }
    }

    #[test]
    fn overtime_is_active_while_it_stands() {
        let active: Vec<_> = ALL
            .into_iter()
            .filter(|s| whosoff_overtime_status(*s) == 1)
            .collect();
        assert_eq!(active, [Pending, Approved]);
        assert_eq!(whosoff_overtime_status(Declined), 0);
        assert_eq!(whosoff_overtime_status(Cancelled), 0);
    }

    #[test]
    fn whosoff_filters_combine_statuses() {
        assert_eq!(whosoff_status_filter(0), Ok(&[Approved, Pending][..]));
        assert_eq!(whosoff_status_filter(1000), Ok(&[Approved, Declined][..]));
        assert_eq!(whosoff_status_filter(1010), Ok(&[Cancelled, Declined][..]));
        assert_eq!(whosoff_status_filter(2), Err(UnknownCode(2)));
        assert_eq!(whosoff_status_filter(-1), Err(UnknownCode(-1)));
    }

    #[test]
    fn when_i_work_codes_go_both_ways_and_expired_matches_nothing() {
        for status in ALL {
            assert_eq!(
                from_wheniwork_status(wheniwork_status(status)),
                Ok(Some(status))
            );
        }
        assert_eq!(from_wheniwork_status(3), Ok(None));
        assert_eq!(from_wheniwork_status(5), Err(UnknownCode(5)));
    }
}
