//! The code lists a user carries, with the WhosOff codes they map to.

use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::error::{Error, Result};

/// A user's role, by its WhosOff `user_type_id` code.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(try_from = "i64", into = "i64")]
pub enum UserType {
    /// 100
    Staff,
    /// 200
    Approver,
    /// 210: may also add leave for their staff.
    ApproverPlusAdd,
    /// 220: may also add, edit and cancel leave for their staff.
    ApproverPlusAddEditCancel,
    /// 300
    SuperUser,
    /// 310
    SuperUserWithStaffHub,
}

impl UserType {
    pub const ALL: [UserType; 6] = [
        Self::Staff,
        Self::Approver,
        Self::ApproverPlusAdd,
        Self::ApproverPlusAddEditCancel,
        Self::SuperUser,
        Self::SuperUserWithStaffHub,
    ];

    pub fn code(self) -> i64 {
        match self {
            Self::Staff => 100,
            Self::Approver => 200,
            Self::ApproverPlusAdd => 210,
            Self::ApproverPlusAddEditCancel => 220,
            Self::SuperUser => 300,
            Self::SuperUserWithStaffHub => 310,
        }
    }

    pub fn is_super_user(self) -> bool {
        matches!(self, Self::SuperUser | Self::SuperUserWithStaffHub)
    }

    /// Approvers of any kind, and super users, who approve too.
    pub fn is_approver(self) -> bool {
        self != Self::Staff
    }
}

impl utoipa::PartialSchema for UserType {
    fn schema() -> utoipa::openapi::RefOr<utoipa::openapi::schema::Schema> {
        utoipa::openapi::schema::ObjectBuilder::new()
            .schema_type(utoipa::openapi::schema::Type::Integer)
            .enum_values(Some(Self::ALL.map(Self::code)))
            .description(Some(
                "Role, by WhosOff user_type_id: 100 staff, 200 approver, 210 approver plus add, \
                 220 approver plus add/edit/cancel, 300 super user, 310 super user with staff hub",
            ))
            .into()
    }
}

impl ToSchema for UserType {}

impl TryFrom<i64> for UserType {
    type Error = String;

    fn try_from(code: i64) -> Result<Self, String> {
        Self::ALL
            .into_iter()
            .find(|t| t.code() == code)
            .ok_or_else(|| {
                format!("unknown user_type_id {code}: expected one of 100, 200, 210, 220, 300, 310")
            })
    }
}

impl From<UserType> for i64 {
    fn from(value: UserType) -> Self {
        value.code()
    }
}

macro_rules! text_enum {
    ($(#[$meta:meta])* $name:ident { $($variant:ident = $text:literal),+ $(,)? }) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, ToSchema)]
        #[serde(rename_all = "snake_case")]
        pub enum $name { $($variant),+ }

        impl $name {
            pub fn as_str(self) -> &'static str {
                match self { $(Self::$variant => $text),+ }
            }

            /// Reads the stored text form; anything else is a corrupt row.
            pub fn from_stored(text: &str) -> Result<Self> {
                match text {
                    $($text => Ok(Self::$variant),)+
                    other => Err(Error::Internal(
                        format!(concat!("stored ", stringify!($name), " {:?} is not known"), other).into(),
                    )),
                }
            }
        }

        /// Decodes a stored row's column (`#[sqlx(try_from = "String")]`, see [`crate::stored`]).
        impl TryFrom<String> for $name {
            type Error = Error;

            fn try_from(text: String) -> Result<Self> {
                Self::from_stored(&text)
            }
        }
    };
}
pub(crate) use text_enum;

text_enum! {
    /// Whether a user may sign in and is counted. WhosOff's `disabled` is `archived`.
    UserStatus { Active = "active", Pending = "pending", Archived = "archived" }
}

text_enum! {
    /// What an approver or notifier slot does for leave and overtime (WhosOff role ids 0–6).
    ApproverRole {
        None = "none",
        ApproverBoth = "approver_both",
        ApproverLeave = "approver_leave",
        ApproverOvertime = "approver_overtime",
        NotifierBoth = "notifier_both",
        NotifierLeave = "notifier_leave",
        NotifierOvertime = "notifier_overtime",
    }
}

text_enum! {
    /// Which e-mails a user gets (WhosOff email_type_id 0, 1, 2).
    EmailType { None = "none", Text = "text", Html = "html" }
}

text_enum! {
    /// The unit a user's allowance is kept in (WhosOff allowance_type_id 0, 1).
    AllowanceUnit { Days = "days", Hours = "hours" }
}

text_enum! {
    /// A day of the week, for working days and the company's week start.
    Weekday {
        Monday = "monday",
        Tuesday = "tuesday",
        Wednesday = "wednesday",
        Thursday = "thursday",
        Friday = "friday",
        Saturday = "saturday",
        Sunday = "sunday",
    }
}

impl ApproverRole {
    pub const ALL: [ApproverRole; 7] = [
        Self::None,
        Self::ApproverBoth,
        Self::ApproverLeave,
        Self::ApproverOvertime,
        Self::NotifierBoth,
        Self::NotifierLeave,
        Self::NotifierOvertime,
    ];

    /// WhosOff's numeric code for this role.
    pub fn code(self) -> i64 {
        match self {
            Self::None => 0,
            Self::ApproverBoth => 1,
            Self::ApproverLeave => 2,
            Self::ApproverOvertime => 3,
            Self::NotifierBoth => 4,
            Self::NotifierLeave => 5,
            Self::NotifierOvertime => 6,
        }
    }

    /// The role a WhosOff `approver_role_id` / `notifier_N_role_id` names.
    pub fn from_code(code: i64) -> Option<Self> {
        Self::ALL.into_iter().find(|role| role.code() == code)
    }

    pub fn approves_leave(self) -> bool {
        matches!(self, Self::ApproverBoth | Self::ApproverLeave)
    }

    pub fn approves_overtime(self) -> bool {
        matches!(self, Self::ApproverBoth | Self::ApproverOvertime)
    }

    pub fn approves_anything(self) -> bool {
        matches!(
            self,
            Self::ApproverBoth | Self::ApproverLeave | Self::ApproverOvertime
        )
    }
}

impl EmailType {
    pub const ALL: [EmailType; 3] = [Self::None, Self::Text, Self::Html];

    /// WhosOff's `email_type_id`: none 0, text 1, html 2.
    pub fn code(self) -> i64 {
        match self {
            Self::None => 0,
            Self::Text => 1,
            Self::Html => 2,
        }
    }

    pub fn from_code(code: i64) -> Option<Self> {
        Self::ALL.into_iter().find(|t| t.code() == code)
    }
}

impl AllowanceUnit {
    pub const ALL: [AllowanceUnit; 2] = [Self::Days, Self::Hours];

    /// WhosOff's `allowance_type_id`: days 0, hours 1.
    pub fn code(self) -> i64 {
        match self {
            Self::Days => 0,
            Self::Hours => 1,
        }
    }

    pub fn from_code(code: i64) -> Option<Self> {
        Self::ALL.into_iter().find(|u| u.code() == code)
    }
}

impl Weekday {
    pub const ALL: [Weekday; 7] = [
        Self::Monday,
        Self::Tuesday,
        Self::Wednesday,
        Self::Thursday,
        Self::Friday,
        Self::Saturday,
        Self::Sunday,
    ];

    /// The working days of a new person unless they are given: Monday to Friday.
    pub const WORKING_WEEK: [Weekday; 5] = [
        Self::Monday,
        Self::Tuesday,
        Self::Wednesday,
        Self::Thursday,
        Self::Friday,
    ];

    /// ISO number: Monday 1 … Sunday 7.
    pub fn number(self) -> i64 {
        match self {
            Self::Monday => 1,
            Self::Tuesday => 2,
            Self::Wednesday => 3,
            Self::Thursday => 4,
            Self::Friday => 5,
            Self::Saturday => 6,
            Self::Sunday => 7,
        }
    }

    pub fn from_number(number: i64) -> Option<Self> {
        Self::ALL.into_iter().find(|d| d.number() == number)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn user_types_round_trip_through_their_whosoff_codes() {
        for t in UserType::ALL {
            assert_eq!(UserType::try_from(t.code()), Ok(t));
        }
        assert!(UserType::try_from(150).is_err());
        assert_eq!(
            serde_json::to_string(&UserType::ApproverPlusAdd).unwrap(),
            "210"
        );
    }

    #[test]
    fn approver_roles_keep_whosoff_codes_in_order() {
        for (code, role) in ApproverRole::ALL.into_iter().enumerate() {
            assert_eq!(role.code(), code as i64);
            assert_eq!(ApproverRole::from_code(code as i64), Some(role));
            assert_eq!(ApproverRole::from_stored(role.as_str()).unwrap(), role);
        }
        assert_eq!(ApproverRole::from_code(7), None);
        assert_eq!(ApproverRole::from_code(-1), None);
    }

    #[test]
    fn email_types_and_allowance_units_keep_their_whosoff_codes() {
        for (code, kind) in EmailType::ALL.into_iter().enumerate() {
            assert_eq!(kind.code(), code as i64);
            assert_eq!(EmailType::from_code(code as i64), Some(kind));
        }
        assert_eq!(EmailType::from_code(3), None);
        assert_eq!(AllowanceUnit::from_code(0), Some(AllowanceUnit::Days));
        assert_eq!(AllowanceUnit::from_code(1), Some(AllowanceUnit::Hours));
        assert_eq!(AllowanceUnit::from_code(2), None);
    }
}
