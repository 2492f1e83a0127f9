//! Signing in and out, one-time password links, and the user's own account (password,
//! personal API keys).

mod login;
pub mod pages;
