//! import crate (being written).
