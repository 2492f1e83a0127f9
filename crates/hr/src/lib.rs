//! HR baseline (nulmeting) for Urenwinst: read an organisation's HR extract and PNIL
//! costs, pseudonymise them, and compute the contract picture, the hours gap, the PNIL
//! picture and the comparison between two snapshots; SVG charts for pages and reports.
//!
//! Architecture invariant: pure. No database, no HTTP, no files, no clock: tables come in
//! from the `import` crate, the peildatum, full-time hours, key and wage cost from the
//! caller. Names are never carried: name columns are dropped or refused, employee numbers
//! leave this crate only as keyed hashes, birth dates only as age bands.

pub mod bands;
pub mod benchmark;
pub mod chart;
pub mod codes;
pub mod compare;
pub mod extract;
pub mod fields;
pub mod gap;
pub mod picture;
pub mod pnil;
pub mod pseudo;
pub mod suppress;

pub use bands::{HoursBand, fte, round_fte};
pub use benchmark::{SectorBenchmarks, SectorComparison, compare_with_sector};
pub use codes::UnknownCode;
pub use compare::{
    Change, EmployeeChange, SnapshotComparison, compare_snapshot_totals, compare_snapshots,
};
pub use extract::{
    ContractKind, Employee, HrImport, ImportOptions, NameColumnPolicy, Preview, PreviewColumn,
    PreviewRow, import_extract, preview,
};
pub use fields::{HrField, HrMapping, HrMappingProposal, is_name_column, propose_mapping};
pub use gap::{GapScenario, Growth, HoursGap, hours_gap};
pub use picture::{
    Breakdown, ContractPicture, Dimension, Figures, Group, PictureOptions, contract_picture,
    contract_total,
};
pub use pnil::{
    PnilImport, PnilMapping, PnilOptions, PnilSummary, import_pnil, pnil_summary,
    propose_pnil_mapping,
};
pub use pseudo::{AgeBand, Pseudonymiser};
pub use suppress::Suppression;
