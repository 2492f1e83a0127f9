//! Times the PDF rendering of a sample report of about ten pages.
//!
//! `cargo run -p report-pdf --release --example bench` (record results in
//! docs/benchmarks.md). Not a test: timings depend on the machine.

use report::PdfRenderer;
use std::time::Instant;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let sections: usize = std::env::args()
        .nth(1)
        .map(|s| s.parse())
        .transpose()?
        .unwrap_or(9);
    let doc = report::doc::sample(sections);
    let renderer = report_pdf::TypstRenderer::new();
    // The first rendering also parses the embedded fonts.
    let start = Instant::now();
    let first = renderer.render(&doc)?;
    let cold = start.elapsed();
    let runs = 5;
    let start = Instant::now();
    for _ in 0..runs {
        let again = renderer.render(&doc)?;
        assert_eq!(again, first, "deterministic");
    }
    let warm = start.elapsed() / runs;
    let pages = renderer.page_count(&doc)?;
    println!(
        "{sections} sections, {pages} pages, {} bytes: first render {:.0} ms, then {:.0} ms per render (mean of {runs})",
        first.len(),
        cold.as_secs_f64() * 1000.0,
        warm.as_secs_f64() * 1000.0
    );
    Ok(())
}
