//! PDF output for [`report::Document`] through typst as a library.
//!
//! [`TypstRenderer`] renders the typst markup of [`report::to_typst`] in a closed world:
//! the only files are the main source and the figures it names (`fig-N.svg`), the only
//! fonts are the ones embedded in the binary (typst-assets: Libertinus Serif, New
//! Computer Modern, DejaVu Sans Mono), there are no packages and no network, and "today"
//! and the PDF's creation date are the document's own date. So the same document gives
//! the same bytes, on any machine.
//!
//! Architecture invariant: a leaf crate. Only the command line links it; `web` and `app`
//! hold an `Arc<dyn report::PdfRenderer>` and their test builds never compile typst.

use report::{Document, PdfError, PdfRenderer, TypstSource};
use std::collections::HashMap;
use std::sync::{Arc, LazyLock};
use typst::diag::{FileError, FileResult, SourceDiagnostic};
use typst::foundations::{Bytes, Datetime, Smart};
use typst::syntax::{FileId, RootedPath, Source, VirtualPath, VirtualRoot};
use typst::text::{Font, FontBook};
use typst::utils::LazyHash;
use typst::{Library, LibraryExt, World};
use typst_layout::PagedDocument;
use typst_pdf::{PdfOptions, Timestamp};

/// The embedded fonts, parsed once per process.
struct Fonts {
    book: LazyHash<FontBook>,
    fonts: Vec<Font>,
}

static FONTS: LazyLock<Fonts> = LazyLock::new(|| {
    let fonts: Vec<Font> = typst_assets::fonts()
        .flat_map(|data| Font::iter(Bytes::new(data)))
        .collect();
    Fonts {
        book: LazyHash::new(FontBook::from_fonts(&fonts)),
        fonts,
    }
});

/// Renders documents as A4 PDF with typst. Cheap to clone and share (`Send + Sync`).
#[derive(Clone)]
pub struct TypstRenderer {
    library: Arc<LazyHash<Library>>,
}

impl Default for TypstRenderer {
    fn default() -> Self {
        Self::new()
    }
}

impl TypstRenderer {
    pub fn new() -> Self {
        Self {
            library: Arc::new(LazyHash::new(Library::default())),
        }
    }

    /// Typesets typst source (as made by [`report::to_typst`]) as PDF, with `date` as the
    /// document's date and creation timestamp.
    pub fn render_source(
        &self,
        source: &TypstSource,
        date: chrono::NaiveDate,
    ) -> Result<Vec<u8>, PdfError> {
        let today = today(date)?;
        let document = self.typeset(source, today)?;
        let options = PdfOptions {
            ident: Smart::Custom("urenwinst-report".into()),
            creator: Smart::Custom(Some("Urenwinst".into())),
            timestamp: Some(Timestamp::new_utc(today)),
            ..PdfOptions::default()
        };
        typst_pdf::pdf(&document, &options).map_err(|errors| PdfError::Export(messages(&errors)))
    }
}

impl TypstRenderer {
    /// How many pages the document has as PDF.
    pub fn page_count(&self, doc: &Document) -> Result<usize, PdfError> {
        Ok(self
            .typeset(&report::to_typst(doc), today(doc.date)?)?
            .pages()
            .len())
    }

    /// Lays the source out in pages (the step before PDF export).
    fn typeset(&self, source: &TypstSource, today: Datetime) -> Result<PagedDocument, PdfError> {
        let world = ReportWorld::new(&self.library, source, today)?;
        typst::compile(&world)
            .output
            .map_err(|errors| PdfError::Typeset(messages(&errors)))
    }
}

impl PdfRenderer for TypstRenderer {
    fn render(&self, doc: &Document) -> Result<Vec<u8>, PdfError> {
        self.render_source(&report::to_typst(doc), doc.date)
    }
}

/// A date as typst's date.
fn today(date: chrono::NaiveDate) -> Result<Datetime, PdfError> {
    use chrono::Datelike;
    Datetime::from_ymd(
        date.year(),
        u8::try_from(date.month()).unwrap_or(1),
        u8::try_from(date.day()).unwrap_or(1),
    )
    .ok_or_else(|| PdfError::Typeset(format!("datum buiten bereik: {date}")))
}

fn messages(errors: &[SourceDiagnostic]) -> String {
    errors
        .iter()
        .map(|e| e.message.as_str())
        .collect::<Vec<_>>()
        .join("; ")
}

fn file_id(path: &str) -> Result<FileId, PdfError> {
    let vpath = VirtualPath::new(path)
        .map_err(|e| PdfError::Typeset(format!("ongeldig pad {path}: {e:?}")))?;
    Ok(FileId::new(RootedPath::new(VirtualRoot::Project, vpath)))
}

/// A closed typst world: one source, its figure files, the embedded fonts, a fixed day.
struct ReportWorld<'a> {
    library: &'a LazyHash<Library>,
    main: Source,
    files: HashMap<FileId, Bytes>,
    today: Datetime,
}

impl<'a> ReportWorld<'a> {
    fn new(
        library: &'a LazyHash<Library>,
        source: &TypstSource,
        today: Datetime,
    ) -> Result<Self, PdfError> {
        let main = Source::new(file_id("/main.typ")?, source.main.clone());
        let mut files = HashMap::new();
        for (name, bytes) in &source.files {
            files.insert(file_id(&format!("/{name}"))?, Bytes::new(bytes.clone()));
        }
        Ok(Self {
            library,
            main,
            files,
            today,
        })
    }
}

impl World for ReportWorld<'_> {
    fn library(&self) -> &LazyHash<Library> {
        self.library
    }

    fn book(&self) -> &LazyHash<FontBook> {
        &FONTS.book
    }

    fn main(&self) -> FileId {
        self.main.id()
    }

    fn source(&self, id: FileId) -> FileResult<Source> {
        if id == self.main.id() {
            Ok(self.main.clone())
        } else {
            Err(FileError::NotSource)
        }
    }

    fn file(&self, id: FileId) -> FileResult<Bytes> {
        if id == self.main.id() {
            return Ok(Bytes::from_string(self.main.clone()));
        }
        self.files
            .get(&id)
            .cloned()
            .ok_or_else(|| FileError::NotFound(id.get().vpath().get_without_slash().into()))
    }

    fn font(&self, index: usize) -> Option<Font> {
        FONTS.fonts.get(index).cloned()
    }

    fn today(&self, _offset: Option<typst::foundations::Duration>) -> Option<Datetime> {
        Some(self.today)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pdf(sections: usize) -> Vec<u8> {
        TypstRenderer::new()
            .render(&report::doc::sample(sections))
            .expect("renders")
    }

    /// The text of every laid-out page, in reading order of typst's frames: the text
    /// the PDF export writes (typst subsets and compresses fonts, so the PDF bytes hold
    /// glyph ids, not text).
    fn page_texts(doc: &report::Document) -> Vec<String> {
        fn collect(frame: &typst::layout::Frame, out: &mut String) {
            for (_, item) in frame.items() {
                match item {
                    typst::layout::FrameItem::Group(g) => collect(&g.frame, out),
                    typst::layout::FrameItem::Text(t) => {
                        out.push_str(t.text.as_str());
                        out.push(' ');
                    }
                    _ => {}
                }
            }
        }
        let today = Datetime::from_ymd(2026, 11, 23).expect("date");
        let paged = TypstRenderer::new()
            .typeset(&report::to_typst(doc), today)
            .expect("typesets");
        paged
            .pages()
            .iter()
            .map(|page| {
                let mut text = String::new();
                collect(&page.frame, &mut text);
                text.split_whitespace().collect::<Vec<_>>().join(" ")
            })
            .collect()
    }

    #[test]
    fn same_document_gives_the_same_bytes() {
        let a = pdf(2);
        let b = pdf(2);
        assert!(a.starts_with(b"%PDF-"));
        assert!(a.ends_with(b"%%EOF\n") || a.ends_with(b"%%EOF"));
        assert!(a == b, "two renderings differ");
        // Another date is another document.
        let mut doc = report::doc::sample(2);
        doc.date = chrono::NaiveDate::from_ymd_opt(2027, 1, 2).expect("date");
        let c = TypstRenderer::new().render(&doc).expect("renders");
        assert!(a != c);
    }

    #[test]
    fn title_table_cell_org_and_page_numbers_are_in_the_text() {
        let pages = page_texts(&report::doc::sample(3));
        assert!(pages.len() >= 2, "title and contents, then sections");
        let flat = pages.join(" ");
        assert!(flat.contains("Nulmeting uren & contracten"), "{flat}");
        assert!(flat.contains("Inhoud"), "table of contents");
        assert!(flat.contains("Noord <1>"), "a table cell, escaped: {flat}");
        assert!(flat.contains("#tags, $tekens$ en [haken]"), "{flat}");
        assert!(flat.contains("€ 1.234.567,89"), "{flat}");
        let total = pages.len();
        for (i, flat) in pages.iter().enumerate() {
            assert!(
                flat.contains(&format!("pagina {} van {total}", i + 1)),
                "page {}: {flat}",
                i + 1
            );
            assert!(
                flat.contains("Zorggroep De Linde"),
                "page {}: {flat}",
                i + 1
            );
            assert!(flat.contains("23-11-2026"), "page {}: {flat}", i + 1);
        }
    }

    #[test]
    fn a_broken_figure_is_an_error_not_a_panic() {
        let mut doc = report::doc::sample(1);
        doc.sections[0]
            .blocks
            .push(report::Block::Figure(report::Figure {
                svg: "<svg".into(),
                caption: "kapot".into(),
            }));
        assert!(matches!(
            TypstRenderer::new().render(&doc),
            Err(PdfError::Typeset(_))
        ));
    }
}
