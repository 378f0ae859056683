//! Webhooks: a company subscribes a URL to events, and Rota POSTs each event there, signed.
//!
//! - [`subscriptions`]: create, change, rotate the secret of, and delete subscriptions
//!   (super users; every write audited).
//! - [`events`]: [`events::emit`] writes one delivery per matching subscription into the
//!   `webhook_deliveries` outbox *inside the caller's transaction*, so an event is owed if
//!   and only if its change commits, and survives any crash once it has.
//! - [`worker`]: sends what is due, signed ([`signing`]), and retries failures with the
//!   shared back-off ([`crate::retry`]); every attempt lands in the delivery log, read
//!   through [`log`].
//! - [`address`]: which URLs may be called at all (public addresses only, unless the
//!   operator allows private ones), checked on save and again at every send.
//!
//! **Why the signing secret is not a digest.** Credentials that Rota *checks* (session
//! tokens, client secrets, API keys) are kept only as digests. A webhook secret is the
//! other way round: Rota *signs* with it, and the receiver checks with the same secret, so
//! the server must be able to read it; a digest could not sign. It is 256 random bits,
//! shown once when issued (create, rotate) and never returned by any read, logged or
//! audited. At rest it is sealed with a key from the configuration when the operator gives
//! one ([`sealing`], `ROTA_SECRET_KEY`), and stored as issued otherwise.

pub mod address;
pub mod events;
pub mod log;
pub mod sealing;
pub mod signing;
pub mod subscriptions;
pub mod worker;

pub use events::emit;

/// What the operator decides about webhooks, for the API and the worker alike.
#[derive(Debug, Clone, Default)]
pub struct WebhookSettings {
    /// Let URLs lead to loopback, private and other internal addresses (see [`address`]).
    pub allow_private: bool,
    /// The server's secret key (the one that seals MFA seeds too), which seals signing
    /// secrets at rest (see [`sealing`]); absent, they are stored as issued.
    pub secret_key: Option<crate::sealing::SecretKey>,
}
