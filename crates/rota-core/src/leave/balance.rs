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

/// The largest opening, carry-over or adjustment a balance is set to, in its unit.
const MAX_SET: i64 = 1_000_000;

/// What an allowance shows, in its unit: the opening (the entitlement as set, without
/// adjustments), what remains, and the carry-over and what is left of it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Shown {
    pub opening: i64,
    pub remaining: i64,
    pub carryover_opening: i64,
    pub carryover_remaining: i64,
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
        self.adjust_naming(amount, allow_negative, "amount")
    }

    /// [`Balance::adjust`], a refusal naming `field`, the input the amount came from.
    fn adjust_naming(
        &mut self,
        amount: i64,
        allow_negative: bool,
        field: &'static str,
    ) -> Result<()> {
        if self.opening + self.adjustments + amount < 0 {
            return Err(Error::invalid(
                field,
                "this adjustment would make the entitlement negative",
            ));
        }
        let after = Self {
            adjustments: self.adjustments + amount,
            ..*self
        };
        if !allow_negative && amount < 0 && after.remaining(false) < 0 {
            return Err(Error::invalid(
                field,
                "this adjustment would take the balance below zero",
            ));
        }
        *self = after;
        Ok(())
    }

    /// The figures the balance shows with carry-over `live` (WhosOff's user-allowance).
    pub fn shown(&self, live: bool) -> Shown {
        Shown {
            opening: self.opening,
            remaining: self.remaining(live),
            carryover_opening: self.carryover_opening,
            carryover_remaining: if live { self.carryover_remaining() } else { 0 },
        }
    }

    /// Sets the balance to show `wanted` (with carry-over `live`): the opening and the
    /// carry-over opening as given, and the adjustment that brings what remains to the
    /// figure wanted, which it answers (0 when none is needed). Carry-over remaining is
    /// what leave taken has left of the carry-over, never set: `wanted` must state it as
    /// it is. The rules of [`Balance::adjust`] hold for the adjustment.
    pub fn set_to(&mut self, wanted: Shown, live: bool, allow_negative: bool) -> Result<i64> {
        if !(0..=MAX_SET).contains(&wanted.opening) {
            return Err(Error::invalid(
                "opening",
                format!("opening must be between 0 and {MAX_SET}"),
            ));
        }
        if !(self.carryover_used..=MAX_SET).contains(&wanted.carryover_opening) {
            return Err(Error::invalid(
                "carryover_opening",
                format!(
                    "carryover_opening must be between the {} already taken from it and {MAX_SET}",
                    self.carryover_used
                ),
            ));
        }
        let mut after = Self {
            opening: wanted.opening,
            carryover_opening: wanted.carryover_opening,
            ..*self
        };
        let carried = after.shown(live).carryover_remaining;
        if wanted.carryover_remaining != carried {
            return Err(Error::invalid(
                "carryover_remaining",
                format!(
                    "carry-over remaining follows from the leave taken: with this carryover_opening it is {carried}"
                ),
            ));
        }
        let amount = wanted.remaining - after.remaining(live);
        if amount.abs() > MAX_SET {
            return Err(Error::invalid(
                "remaining",
                "remaining is too far from what the opening leaves",
            ));
        }
        after.adjust_naming(amount, allow_negative, "remaining")?;
        *self = after;
        Ok(amount)
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

    fn field_of(error: &Error) -> Option<&str> {
        match error {
            Error::Invalid { field, .. } => field.as_deref(),
            _ => None,
        }
    }

    #[test]
    fn setting_the_figures_adjusts_what_remains_to_the_figure_wanted() {
        // 25 days, 2 carried over of which 1.5 used, 5 taken in all, 1 pending.
        let mut balance = Balance {
            opening: 2500,
            adjustments: 100,
            carryover_opening: 200,
            carryover_used: 150,
            taken: 500,
            pending: 100,
        };
        assert_eq!(
            balance.shown(true),
            Shown {
                opening: 2500,
                remaining: 2300,
                carryover_opening: 200,
                carryover_remaining: 50
            }
        );
        let wanted = Shown {
            opening: 2000,
            remaining: 1900,
            carryover_opening: 300,
            carryover_remaining: 150,
        };
        // Opening 20 and carry-over 3 leave 20 + 1 + 3 - 5 = 19: the adjustment stays.
        assert_eq!(balance.set_to(wanted, true, false).expect("set"), 0);
        assert_eq!(balance.shown(true), wanted);
        assert_eq!(balance.adjustments, 100);
        // Remaining 10 wanted: 9 more days taken off the entitlement.
        let wanted = Shown {
            remaining: 1000,
            ..wanted
        };
        assert_eq!(balance.set_to(wanted, true, false).expect("set"), -900);
        assert_eq!(balance.shown(true), wanted);
        assert_eq!(balance.adjustments, -800);
        assert_eq!(
            (balance.taken, balance.pending, balance.carryover_used),
            (500, 100, 150)
        );
    }

    #[test]
    fn a_lapsed_carry_over_shows_and_is_set_as_none_left() {
        let mut balance = Balance {
            opening: 1000,
            carryover_opening: 200,
            ..Balance::default()
        };
        let wanted = Shown {
            opening: 1000,
            remaining: 1000,
            carryover_opening: 200,
            carryover_remaining: 0,
        };
        assert_eq!(balance.shown(false), wanted);
        assert_eq!(balance.set_to(wanted, false, false).expect("set"), 0);
    }

    #[test]
    fn figures_the_balance_cannot_show_are_refused_naming_the_field() {
        let balance = Balance {
            opening: 1000,
            carryover_opening: 200,
            carryover_used: 150,
            taken: 300,
            ..Balance::default()
        };
        let fine = balance.shown(true);
        for (wanted, field) in [
            (
                Shown {
                    opening: -1,
                    ..fine
                },
                "opening",
            ),
            (
                Shown {
                    opening: MAX_SET + 1,
                    ..fine
                },
                "opening",
            ),
            (
                Shown {
                    carryover_opening: 100,
                    ..fine
                },
                "carryover_opening",
            ),
            (
                Shown {
                    carryover_remaining: 200,
                    ..fine
                },
                "carryover_remaining",
            ),
            // Remaining -1 with negatives off; and an entitlement below zero.
            (
                Shown {
                    remaining: -1,
                    ..fine
                },
                "remaining",
            ),
            (
                Shown {
                    opening: 0,
                    remaining: -2000,
                    ..fine
                },
                "remaining",
            ),
        ] {
            let mut changed = balance;
            let error = changed.set_to(wanted, true, false).expect_err(field);
            assert_eq!(field_of(&error), Some(field), "{wanted:?}");
            assert_eq!(changed, balance, "a refusal changes nothing");
        }
        let mut changed = balance;
        let amount = changed.set_to(
            Shown {
                remaining: -50,
                ..fine
            },
            true,
            true,
        );
        assert_eq!(amount.expect("negatives allowed"), -950);
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
