//! Product parts, each with its pages and API handlers (`{part}/{pages,api}.rs`).

pub mod report;
