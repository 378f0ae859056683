//! People: users, their roles and code lists, and the operations on them.

pub mod apply;
pub mod directory;
pub mod import;
pub mod model;
pub mod password;
pub mod record;
pub mod service;
pub mod sheet;
pub mod tagging;
pub mod types;
pub mod view;
