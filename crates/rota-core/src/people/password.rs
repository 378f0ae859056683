//! Whose password an update changes, and what it must prove: people changing their own
//! give the current one (a session left open on a shared machine must not be enough to
//! take the account over); a super user setting someone else's resets it, as before.

use crate::error::{Error, Result};
use crate::people::model::UserInput;
use crate::secret::Secret;

/// The password part of a user update.
#[derive(Debug, PartialEq, Eq)]
pub enum PasswordChange<'a> {
    /// No password in the update.
    None,
    /// The user changes their own: `current` must match before `new` is set, and their
    /// other sessions end.
    Own {
        current: &'a Secret,
        new: &'a Secret,
    },
    /// Someone else's password, set by a super user (the policy decides who may): every
    /// session of that user ends.
    Reset { new: &'a Secret },
}

impl UserInput {
    /// The password change this input asks of user `target` when `actor` sends it: a 422
    /// on `current_password` when one's own password comes without it, or when it comes
    /// where it proves nothing (no new password, or someone else's).
    pub fn password_change(&self, actor: i64, target: i64) -> Result<PasswordChange<'_>> {
        let own = actor == target;
        match (&self.password, &self.current_password) {
            (None, None) => Ok(PasswordChange::None),
            (Some(new), Some(current)) if own => Ok(PasswordChange::Own { current, new }),
            (Some(_), None) if own => Err(Error::invalid(
                "current_password",
                "current_password is required to change your own password",
            )),
            (Some(new), None) => Ok(PasswordChange::Reset { new }),
            (_, Some(_)) => Err(Error::invalid(
                "current_password",
                "current_password goes only with password, when changing your own",
            )),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn input(password: Option<&str>, current: Option<&str>) -> UserInput {
        UserInput {
            password: password.map(Secret::from),
            current_password: current.map(Secret::from),
            ..UserInput::default()
        }
    }

    fn refused_field(result: Result<PasswordChange<'_>>) -> Option<String> {
        match result {
            Err(Error::Invalid { field, .. }) => field.map(|f| f.into_owned()),
            other => panic!("expected a 422, got {other:?}"),
        }
    }

    #[test]
    fn changing_your_own_password_needs_the_current_one() {
        let with = input(Some("new password 1"), Some("old password 1"));
        assert_eq!(
            with.password_change(7, 7).unwrap(),
            PasswordChange::Own {
                current: &Secret::from("old password 1"),
                new: &Secret::from("new password 1"),
            }
        );
        let without = input(Some("new password 1"), None);
        assert_eq!(
            refused_field(without.password_change(7, 7)).as_deref(),
            Some("current_password")
        );
    }

    #[test]
    fn setting_someone_elses_password_is_a_reset_without_the_current_one() {
        let reset = input(Some("new password 1"), None);
        assert_eq!(
            reset.password_change(1, 7).unwrap(),
            PasswordChange::Reset {
                new: &Secret::from("new password 1")
            }
        );
        let with_current = input(Some("new password 1"), Some("old password 1"));
        assert_eq!(
            refused_field(with_current.password_change(1, 7)).as_deref(),
            Some("current_password")
        );
    }

    #[test]
    fn a_current_password_alone_is_refused_and_no_password_is_no_change() {
        assert_eq!(
            refused_field(input(None, Some("old password 1")).password_change(7, 7)).as_deref(),
            Some("current_password")
        );
        assert_eq!(
            input(None, None).password_change(7, 7).unwrap(),
            PasswordChange::None
        );
    }
}
