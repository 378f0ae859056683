//! The web app, to come: server-rendered pages (askama) over the same [`crate::AppState`],
//! a sibling of the native API under `/api/v1`. Pages call the same core services as the
//! API and hold no rule; which buttons a page shows comes from the core's permission
//! decision, never from a role compared here.
//!
//! Its way in is a cookie holding a session token (`rota_s_…`, from the same sign-in as
//! `POST /api/v1/auth/login`): an extractor here will read the cookie into
//! `crate::auth::Credential::Session` and end in `crate::auth::admit`, exactly as a bearer
//! session does, with the router declaring its area through `crate::auth::declare` (a
//! session is not scoped, so the declaration only matters to the API credentials that
//! pages never accept). Writes from a page add a CSRF check on top, in this module.
