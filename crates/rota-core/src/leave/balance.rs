//! Balance arithmetic, money-grade: integers in the allowance's unit (hundredths of a day,
//! or minutes), carried-over leave spent first until it expires, and never below zero
//! unless the company allows negative balances.
//!
//! remaining = opening + adjustments + carry-over remaining − (taken − carry-over used)

use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::error::{Error, Result};

/// The stored counters of one allowance (one user, leave type and leave year).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Balance {
    pub opening: i64,
    pub adjustments: i64,
    pub carryover_opening: i64,
    pub carryover_used: i64,
    /// Everything approved against this allowance, from carry-over and from this year.
    pub taken: i64,
    /// Requested and not yet decided.
    pub pending: i64,
}

/// How an approved amount was paid: so much from carry-over, the rest from this year.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct Spend {
    pub amount: i64,
    pub from_carryover: i64,
}

impl Balance {
    /// Carried-over leave still usable on a day before the expiry date.
    pub fn carryover_remaining(&self) -> i64 {
        self.carryover_opening - self.carryover_used
    }

    /// What is left: this year's entitlement plus unused carry-over, less what this year paid.
    pub fn remaining(&self, carryover_live: bool) -> i64 {
        let carry = if carryover_live {
            self.carryover_remaining()
        } else {
            0
        };
        self.opening + self.adjustments + carry - (self.taken - self.carryover_used)
    }

    /// What a new request may still use: remaining less what is pending.
    pub fn available(&self, carryover_live: bool) -> i64 {
        self.remaining(carryover_live) - self.pending
    }

    /// Spends `amount` (approving a request dated while carry-over is `carryover_live`),
    /// carry-over first. Refused when it would go below zero and negatives are off.
    pub fn spend(
        &mut self,
        amount: i64,
        carryover_live: bool,
        allow_negative: bool,
    ) -> Result<Spend> {
        if amount < 0 {
            return Err(Error::Internal("a negative amount cannot be spent".into()));
        }
        let from_carryover = if carryover_live {
            amount.min(self.carryover_remaining().max(0))
        } else {
            0
        };
        let after = Self {
            carryover_used: self.carryover_used + from_carryover,
            taken: self.taken + amount,
            ..*self
        };
        if !allow_negative && after.remaining(carryover_live) < 0 {
            return Err(Error::conflict(
                crate::error::code::INSUFFICIENT_ALLOWANCE,
                None,
                format!(
                    "this needs {amount} but only {} remains",
                    self.remaining(carryover_live).max(0)
                ),
            ));
        }
        *self = after;
        Ok(Spend {
            amount,
            from_carryover,
        })
    }

    /// Gives back what a [`Spend`] took, to the buckets it came from.
    pub fn refund(&mut self, spend: Spend) {
        self.taken -= spend.amount;
        self.carryover_used -= spend.from_carryover;
    }

    /// Changes the entitlement by `amount` (positive or negative). The opening plus
    /// adjustments may never fall below zero, nor (negatives off) what remains.
    pub fn adjust(&mut self, amount: i64, allow_negative: bool) -> Result<()> {
        if self.opening + self.adjustments + amount < 0 {
            return Err(Error::invalid(
                "amount",
                "this adjustment would make the entitlement negative",
            ));
        }
        let after = Self {
            adjustments: self.adjustments + amount,
            ..*self
        };
        if !allow_negative && amount < 0 && after.remaining(false) < 0 {
            return Err(Error::invalid(
                "amount",
                "this adjustment would take the balance below zero",
            ));
        }
        *self = after;
        Ok(())
    }

    /// The carry-over into the next year: what remains at the end of this one, capped.
    pub fn carry_forward(&self, cap: i64) -> i64 {
        self.remaining(false).clamp(0, cap.max(0))
    }
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::*;

    #[test]
    fn carried_leave_is_spent_first() {
        let mut balance = Balance {
            opening: 2000,
            carryover_opening: 500,
            ..Balance::default()
        };
        let spend = balance.spend(700, true, false).unwrap();
        assert_eq!(
            spend,
            Spend {
                amount: 700,
                from_carryover: 500
            }
        );
        assert_eq!(balance.remaining(true), 1800);
        assert_eq!(balance.carryover_remaining(), 0);
    }

    #[test]
    fn carry_over_lapses_at_expiry() {
        let mut balance = Balance {
            opening: 1000,
            carryover_opening: 500,
            ..Balance::default()
        };
        assert_eq!(balance.remaining(true), 1500);
        assert_eq!(balance.remaining(false), 1000);
        let spend = balance.spend(300, false, false).unwrap();
        assert_eq!(spend.from_carryover, 0);
        assert_eq!(balance.remaining(false), 700);
    }

    #[test]
    fn overspending_is_refused_unless_negatives_are_allowed() {
        let mut balance = Balance {
            opening: 100,
            ..Balance::default()
        };
        assert!(balance.spend(150, true, false).is_err());
        assert_eq!(
            balance,
            Balance {
                opening: 100,
                ..Balance::default()
            },
            "a refused spend changes nothing"
        );
        balance.spend(150, true, true).unwrap();
        assert_eq!(balance.remaining(true), -50);
    }

    #[test]
    fn an_adjustment_cannot_make_the_entitlement_negative() {
        let mut balance = Balance {
            opening: 100,
            ..Balance::default()
        };
        assert!(balance.adjust(-150, false).is_err());
        balance.adjust(-100, false).unwrap();
        assert_eq!(balance.remaining(true), 0);
    }

    #[derive(Debug, Clone)]
    enum Step {
        Request(i64),
        Approve(usize),
        Decline(usize),
        Cancel(usize),
        Adjust(i64),
    }

    fn step() -> impl Strategy<Value = Step> {
        prop_oneof![
            (0i64..800).prop_map(Step::Request),
            (0usize..20).prop_map(Step::Approve),
            (0usize..20).prop_map(Step::Decline),
            (0usize..20).prop_map(Step::Cancel),
            (-500i64..500).prop_map(Step::Adjust),
        ]
    }

    #[derive(Debug, Clone, Copy, PartialEq)]
    enum State {
        Pending,
        Approved(Spend),
        Closed,
    }

    proptest! {
        /// Any sequence of requests, approvals, declines, cancellations and adjustments keeps
        /// remaining = opening + adjustments + carry-over remaining − (taken − carry-over used),
        /// taken equal to the sum of what approved requests spent, and never below zero.
        #[test]
        fn the_balance_identity_holds_for_any_history(
            opening in 0i64..3000,
            carry in 0i64..1000,
            live in any::<bool>(),
            steps in proptest::collection::vec(step(), 0..60),
        ) {
            let mut balance = Balance { opening, carryover_opening: carry, ..Balance::default() };
            let mut requests: Vec<(i64, State)> = Vec::new();
            for step in steps {
                match step {
                    Step::Request(amount) => {
                        balance.pending += amount;
                        requests.push((amount, State::Pending));
                    }
                    Step::Approve(i) | Step::Decline(i) | Step::Cancel(i) if i >= requests.len() => {}
                    Step::Approve(i) => {
                        if let (amount, State::Pending) = requests[i] {
                            balance.pending -= amount;
                            match balance.spend(amount, live, false) {
                                Ok(spend) => requests[i].1 = State::Approved(spend),
                                Err(_) => {
                                    balance.pending += amount;
                                }
                            }
                        }
                    }
                    Step::Decline(i) => {
                        if let (amount, State::Pending) = requests[i] {
                            balance.pending -= amount;
                            requests[i].1 = State::Closed;
                        }
                    }
                    Step::Cancel(i) => match requests[i] {
                        (amount, State::Pending) => {
                            balance.pending -= amount;
                            requests[i].1 = State::Closed;
                        }
                        (_, State::Approved(spend)) => {
                            balance.refund(spend);
                            requests[i].1 = State::Closed;
                        }
                        _ => {}
                    },
                    Step::Adjust(amount) => {
                        let _ = balance.adjust(amount, false);
                    }
                }
                let taken: i64 = requests.iter().map(|r| match r.1 { State::Approved(s) => s.amount, _ => 0 }).sum();
                let from_carry: i64 = requests.iter().map(|r| match r.1 { State::Approved(s) => s.from_carryover, _ => 0 }).sum();
                let pending: i64 = requests.iter().map(|r| if r.1 == State::Pending { r.0 } else { 0 }).sum();
                prop_assert_eq!(balance.taken, taken);
                prop_assert_eq!(balance.carryover_used, from_carry);
                prop_assert_eq!(balance.pending, pending);
                let carry_left = if live { balance.carryover_remaining() } else { 0 };
                prop_assert_eq!(
                    balance.remaining(live),
                    balance.opening + balance.adjustments + carry_left - (balance.taken - balance.carryover_used)
                );
                prop_assert!(balance.remaining(live) >= 0);
                prop_assert!(balance.carryover_used <= balance.carryover_opening);
                prop_assert!(balance.opening + balance.adjustments >= 0);
            }
        }
    }
}
