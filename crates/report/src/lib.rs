//! Reports: data in, bytes and text out.
//!
//! - [`nl`]: the one Dutch formatter and parser for numbers, euros, percentages, hours
//!   and dates, used by every other crate that shows or reads such values;
//! - [`chart`]: deterministic, accessible SVG charts;
//! - [`doc`]: a small document model with an HTML renderer (for pages) and a typst
//!   renderer (for PDF);
//! - [`PdfRenderer`]: the seam to PDF output. The typst-based implementation lives in
//!   the leaf crate `report-pdf`, so crates that only hold an `Arc<dyn PdfRenderer>`
//!   never compile typst.
//!
//! Architecture invariant: this crate does no IO (no files, network, clock or
//! environment) and depends on no other crate of the workspace.

pub mod chart;
pub mod csv_cell;
pub mod doc;
pub mod nl;

pub use doc::{
    Align, Block, Cell, Document, Figure, KeyFigure, Quote, Section, Table, TypstSource, to_html,
    to_typst,
};

/// Why a document could not be rendered as PDF.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PdfError {
    /// The typeset source did not compile (a bug in the renderer or a broken figure).
    #[error("het document kon niet worden opgemaakt: {0}")]
    Typeset(String),
    /// The typeset document could not be written as PDF.
    #[error("de PDF kon niet worden gemaakt: {0}")]
    Export(String),
}

/// Renders a [`Document`] as PDF bytes. The same document gives the same bytes.
pub trait PdfRenderer: Send + Sync {
    fn render(&self, doc: &Document) -> Result<Vec<u8>, PdfError>;
}
