//! income crate (being written).
