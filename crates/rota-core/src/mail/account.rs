//! The messages of mailed links (`crate::auth::link`): an invitation to set one's first
//! password, and a password-reset link. Plain text, sent whatever the person's e-mail
//! preference: they are how someone gets into their account at all.

use crate::auth::link::Purpose;
use crate::mail::Message;
use crate::people::record::UserRecord;

/// The message carrying `link` (which works until `expires_at`) to `user`.
pub fn message(
    purpose: Purpose,
    company_name: &str,
    user: &UserRecord,
    link: &str,
    expires_at: i64,
) -> Message {
    let until = crate::time::rfc3339(expires_at);
    let (subject, text_body) = match purpose {
        Purpose::Invitation => (
            format!("{company_name} invites you to Rota"),
            format!(
                "Hello {},\n\n{company_name} has given you an account in Rota, where you ask \
                 for leave and see who is off. Set your password to sign in:\n\n{link}\n\n\
                 The link works once, until {until}. If it has expired, ask whoever runs Rota \
                 at {company_name} to send a new one.\n",
                user.first_name
            ),
        ),
        Purpose::Reset => (
            "Reset your Rota password".to_owned(),
            format!(
                "Hello {},\n\nSomeone (we hope you) asked to reset the password of your Rota \
                 account at {company_name}. Set a new one here:\n\n{link}\n\nThe link works \
                 once, for an hour (until {until}); setting a new password signs you out \
                 everywhere. If you did not ask, ignore this message: your password stays \
                 as it is.\n",
                user.first_name
            ),
        ),
    };
    Message {
        recipient_user_id: Some(user.id),
        recipient_address: user.email.clone(),
        subject,
        text_body,
        html_body: None,
    }
}
