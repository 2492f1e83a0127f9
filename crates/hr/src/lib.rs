//! hr crate (being written).
