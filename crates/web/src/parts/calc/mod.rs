//! The public WerkUrenBerekenaar: the page at `/berekenaar` and `POST /api/v1/calc`.

pub mod api;
pub mod pages;
