//! Which hourly rate pays an hour of work, a pure rule. The user's own rate wins: their
//! rate for the position the time was worked in (`position_rates` on the user), else their
//! rate for any position (`hourly_rate_cents` on the user); else the position's rate; else
//! nothing (0 cents), so that hours without a rate still count and cost nothing.

/// The most a rate may be, in cents per hour (a million a hour).
pub const MAX_HOURLY_RATE_CENTS: i64 = 100_000_000;

/// The rates that could pay an hour of work, in cents per hour.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Rates {
    /// The user's rate for the position the time was worked in.
    pub user_in_position: Option<i64>,
    /// The user's rate.
    pub user: Option<i64>,
    /// The position's rate.
    pub position: Option<i64>,
}

impl Rates {
    /// The rate that pays, in cents per hour.
    pub fn hourly_cents(self) -> i64 {
        self.user_in_position
            .or(self.user)
            .or(self.position)
            .unwrap_or(0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_users_rate_wins_then_the_positions_then_none() {
        let all = Rates {
            user_in_position: Some(2_500),
            user: Some(2_000),
            position: Some(1_500),
        };
        assert_eq!(all.hourly_cents(), 2_500);
        let no_position_rate_of_theirs = Rates {
            user_in_position: None,
            ..all
        };
        assert_eq!(no_position_rate_of_theirs.hourly_cents(), 2_000);
        let the_position_only = Rates {
            position: Some(1_500),
            ..Rates::default()
        };
        assert_eq!(the_position_only.hourly_cents(), 1_500);
        assert_eq!(Rates::default().hourly_cents(), 0);
        let a_zero_rate_is_a_rate = Rates {
            user: Some(0),
            position: Some(1_500),
            ..Rates::default()
        };
        assert_eq!(a_zero_rate_is_a_rate.hourly_cents(), 0);
    }
}
