//! store crate (being written).
