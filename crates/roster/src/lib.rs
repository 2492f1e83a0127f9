//! roster crate (being written).
