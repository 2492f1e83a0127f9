//! The HR baseline (nulmeting): uploads with a column mapping, the contract picture, the
//! hours gap, PNIL, snapshots and the sector benchmarks.

pub mod api;
pub mod pages;
