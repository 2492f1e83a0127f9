//! Dutch display formats for the pages: the functions of [`report::nl`] under the names
//! the pages and templates use (`€ 1.234,56` · `24,9` · `23-11-2026` ·
//! `23-11-2026 14:05`, Amsterdam time). Their tests live with `report::nl`.

pub use report::nl::{
    date_unix as date, datetime_unix as datetime, euro, hours, iso_date, number, percent,
};
