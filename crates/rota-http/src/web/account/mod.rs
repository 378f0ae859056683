//! A person's own account and the company's sign-in security: the MFA page
//! (`/account/mfa`: status, enrol with a QR code, confirm, recovery codes, switch off), the
//! enrolment a sign-in leads into when MFA is demanded of someone who has none
//! (`/sign-in/enrol`), and the super user's security page (`/company/security`: MFA
//! demanded of everyone). Each calls the core service the native API calls
//! (`rota_core::mfa`, `mfa::challenge`, `company::update`).
//!
//! The pages mailed links open (`/invitation/{token}`, `/forgot-password`,
//! `/reset-password/{token}`) are here too, over `rota_core::auth::link`.
//!
//! - [`links`]: invitations and password resets by a mailed link
//! - [`mfa`]: the signed-in person's own factor
//! - [`enrol`]: enrolling halfway through a sign-in
//! - [`security`]: the company's demand for MFA

pub mod enrol;
pub mod links;
pub mod mfa;
pub mod security;

use base64::Engine;
use rota_core::mfa::MfaEnrolment;
use rota_core::secret::Issued;

/// A started enrolment as a page shows it, once: the QR code as an `<img>` data URI (the
/// CSP allows `img-src data:`; an inline `<svg>` would be the page's markup), the seed
/// for typing in by hand, and the `otpauth://` link for an app on the same phone.
pub struct Shown {
    pub qr: String,
    pub secret: String,
    pub uri: String,
}

impl From<&MfaEnrolment> for Shown {
    fn from(enrolment: &MfaEnrolment) -> Self {
        let svg = base64::engine::general_purpose::STANDARD.encode(enrolment.qr_code_svg.expose());
        Self {
            qr: format!("data:image/svg+xml;base64,{svg}"),
            secret: enrolment.secret.expose().to_owned(),
            uri: enrolment.otpauth_uri.expose().to_owned(),
        }
    }
}

/// Recovery codes as a page lists them, this once.
pub fn codes(codes: &[Issued]) -> Vec<String> {
    codes.iter().map(|code| code.expose().to_owned()).collect()
}
