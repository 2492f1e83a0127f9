//! web crate (being written).
