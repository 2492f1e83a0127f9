//! survey crate (being written).
