//! A small document model for reports, with two renderers: [`to_html`] (a fragment the
//! pages embed) and [`to_typst`] (typst markup for the PDF renderer).
//!
//! Text in the model is plain: a paragraph or bullet may mark **bold** spans with double
//! asterisks and nothing else. Both renderers escape everything else, so text from users
//! or data never becomes markup. Figures are SVG strings made by [`crate::chart`]; they
//! are trusted markup and embedded as they are.

use crate::chart::escape;
use crate::nl;
use chrono::NaiveDate;
use std::fmt::Write;

/// What a suppressed table cell means; shown under every table that has one.
pub const SUPPRESSED_NOTE: &str = "– = niet getoond: de groep is te klein om iets over te zeggen zonder dat iemand herkenbaar wordt.";

/// A report: a title page with the organisation and date, then sections.
#[derive(Debug, Clone, PartialEq)]
pub struct Document {
    pub title: String,
    pub subtitle: Option<String>,
    pub org_name: String,
    /// The report's date: shown on the title page and in every page footer, and the
    /// PDF's creation date (so the same document gives the same bytes).
    pub date: NaiveDate,
    pub sections: Vec<Section>,
}

/// A numbered section with a heading (listed in the table of contents).
#[derive(Debug, Clone, PartialEq)]
pub struct Section {
    pub heading: String,
    pub blocks: Vec<Block>,
}

#[derive(Debug, Clone, PartialEq)]
pub enum Block {
    /// A sub-heading inside a section.
    Heading(String),
    /// Plain text; `**bold**` spans allowed.
    Paragraph(String),
    /// Plain text items; `**bold**` spans allowed.
    Bullets(Vec<String>),
    /// A row of key figures.
    KeyFigures(Vec<KeyFigure>),
    Table(Table),
    Figure(Figure),
    Quote(Quote),
}

/// One key figure: "Gemiddelde contractomvang" / "24,9 uur" / "sector: 26,1 uur".
#[derive(Debug, Clone, PartialEq)]
pub struct KeyFigure {
    pub label: String,
    pub value: String,
    pub note: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Align {
    #[default]
    Left,
    Right,
    Center,
}

impl Align {
    fn css(self) -> &'static str {
        match self {
            Align::Left => "align-left",
            Align::Right => "align-right",
            Align::Center => "align-center",
        }
    }

    fn typst(self) -> &'static str {
        match self {
            Align::Left => "left",
            Align::Right => "right",
            Align::Center => "center",
        }
    }
}

/// A table cell: text, or a figure hidden to protect a small group (shown as `–` with
/// [`SUPPRESSED_NOTE`] under the table).
#[derive(Debug, Clone, PartialEq)]
pub enum Cell {
    Text(String),
    Suppressed,
}

impl From<&str> for Cell {
    fn from(s: &str) -> Self {
        Cell::Text(s.to_owned())
    }
}

impl From<String> for Cell {
    fn from(s: String) -> Self {
        Cell::Text(s)
    }
}

/// A table with a header row; `align` gives each column's alignment (missing: left).
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Table {
    pub caption: Option<String>,
    pub header: Vec<String>,
    pub align: Vec<Align>,
    pub rows: Vec<Vec<Cell>>,
}

impl Table {
    fn align_of(&self, column: usize) -> Align {
        self.align.get(column).copied().unwrap_or_default()
    }

    fn columns(&self) -> usize {
        self.rows
            .iter()
            .map(Vec::len)
            .chain([self.header.len()])
            .max()
            .unwrap_or(0)
    }

    fn has_suppressed(&self) -> bool {
        self.rows.iter().flatten().any(|c| *c == Cell::Suppressed)
    }
}

/// An SVG chart (from [`crate::chart`]) with a caption.
#[derive(Debug, Clone, PartialEq)]
pub struct Figure {
    pub svg: String,
    pub caption: String,
}

/// A quotation and who said it ("medewerker, team Noord").
#[derive(Debug, Clone, PartialEq)]
pub struct Quote {
    pub text: String,
    pub who: String,
}

/// Splits text at `**` into (bold, text) spans; an unpaired `**` stays as it is.
fn spans(text: &str) -> Vec<(bool, &str)> {
    let mut out = Vec::new();
    let mut rest = text;
    while let Some(start) = rest.find("**") {
        let after = &rest[start + 2..];
        match after.find("**") {
            Some(end) if end > 0 => {
                if start > 0 {
                    out.push((false, &rest[..start]));
                }
                out.push((true, &after[..end]));
                rest = &after[end + 2..];
            }
            _ => break,
        }
    }
    if !rest.is_empty() {
        out.push((false, rest));
    }
    out
}

// ---------------------------------------------------------------- HTML

fn html_text(out: &mut String, text: &str) {
    for (bold, span) in spans(text) {
        if bold {
            let _ = write!(out, "<strong>{}</strong>", escape(span));
        } else {
            out.push_str(&escape(span));
        }
    }
}

/// The document as an HTML fragment (`<article class="report">`): escaped text, CSS
/// classes for styling, no inline styles or scripts (the pages' CSP allows neither).
pub fn to_html(doc: &Document) -> String {
    let mut out = String::new();
    out.push_str("<article class=\"report\">\n<header class=\"report-head\">\n");
    let _ = writeln!(out, "<h1>{}</h1>", escape(&doc.title));
    if let Some(sub) = &doc.subtitle {
        let _ = writeln!(out, "<p class=\"report-subtitle\">{}</p>", escape(sub));
    }
    let _ = writeln!(
        out,
        "<p class=\"report-meta\">{} · <time datetime=\"{}\">{}</time></p>\n</header>",
        escape(&doc.org_name),
        doc.date.format("%Y-%m-%d"),
        nl::date_long(doc.date)
    );
    for (i, section) in doc.sections.iter().enumerate() {
        let _ = writeln!(
            out,
            "<section class=\"report-section\">\n<h2>{} {}</h2>",
            i + 1,
            escape(&section.heading)
        );
        for block in &section.blocks {
            html_block(&mut out, block);
        }
        out.push_str("</section>\n");
    }
    out.push_str("</article>\n");
    out
}

/// Blocks without a document around them (a section of a page), as [`to_html`] writes them.
pub fn blocks_to_html(blocks: &[Block]) -> String {
    let mut out = String::new();
    for block in blocks {
        html_block(&mut out, block);
    }
    out
}

fn html_block(out: &mut String, block: &Block) {
    match block {
        Block::Heading(h) => {
            let _ = writeln!(out, "<h3>{}</h3>", escape(h));
        }
        Block::Paragraph(p) => {
            out.push_str("<p>");
            html_text(out, p);
            out.push_str("</p>\n");
        }
        Block::Bullets(items) => {
            out.push_str("<ul>\n");
            for item in items {
                out.push_str("<li>");
                html_text(out, item);
                out.push_str("</li>\n");
            }
            out.push_str("</ul>\n");
        }
        Block::KeyFigures(figures) => {
            out.push_str("<dl class=\"key-figures\">\n");
            for f in figures {
                let _ = write!(
                    out,
                    "<div class=\"key-figure\"><dt>{}</dt><dd class=\"key-value\">{}</dd>",
                    escape(&f.label),
                    escape(&f.value)
                );
                if let Some(note) = &f.note {
                    let _ = write!(out, "<dd class=\"key-note\">{}</dd>", escape(note));
                }
                out.push_str("</div>\n");
            }
            out.push_str("</dl>\n");
        }
        Block::Table(t) => html_table(out, t),
        Block::Figure(f) => {
            let _ = writeln!(
                out,
                "<figure class=\"report-figure\">\n{}\n<figcaption>{}</figcaption>\n</figure>",
                f.svg.trim_end(),
                escape(&f.caption)
            );
        }
        Block::Quote(q) => {
            let _ = writeln!(
                out,
                "<blockquote class=\"report-quote\"><p>{}</p><footer>{}</footer></blockquote>",
                escape(&q.text),
                escape(&q.who)
            );
        }
    }
}

fn html_table(out: &mut String, t: &Table) {
    out.push_str("<table class=\"report-table\">\n");
    if let Some(c) = &t.caption {
        let _ = writeln!(out, "<caption>{}</caption>", escape(c));
    }
    if !t.header.is_empty() {
        out.push_str("<thead><tr>");
        for (i, h) in t.header.iter().enumerate() {
            if h.is_empty() {
                // An empty corner is no header (axe-core: empty-table-header).
                let _ = write!(out, "<td class=\"{}\"></td>", t.align_of(i).css());
                continue;
            }
            let _ = write!(
                out,
                "<th scope=\"col\" class=\"{}\">{}</th>",
                t.align_of(i).css(),
                escape(h)
            );
        }
        out.push_str("</tr></thead>\n");
    }
    out.push_str("<tbody>\n");
    for row in &t.rows {
        out.push_str("<tr>");
        for (i, cell) in row.iter().enumerate() {
            let class = t.align_of(i).css();
            match cell {
                Cell::Text(s) => {
                    let _ = write!(out, "<td class=\"{class}\">{}</td>", escape(s));
                }
                Cell::Suppressed => {
                    let _ = write!(
                        out,
                        "<td class=\"{class} suppressed\" title=\"te klein om te tonen\">–</td>"
                    );
                }
            }
        }
        out.push_str("</tr>\n");
    }
    out.push_str("</tbody>\n</table>\n");
    if t.has_suppressed() {
        let _ = writeln!(
            out,
            "<p class=\"table-note\">{}</p>",
            escape(SUPPRESSED_NOTE)
        );
    }
}

// ---------------------------------------------------------------- typst

/// Typst source and the files it refers to (`fig-1.svg`, …).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TypstSource {
    pub main: String,
    pub files: Vec<(String, Vec<u8>)>,
}

/// Escapes text for typst markup: every character with a meaning in markup
/// (`\ # $ * _ < > @ [ ] ~ / ` and `= - +`, which start headings and lists or make
/// dashes) gets a backslash, line breaks become spaces, and a number followed by a dot at the start
/// (which would start a numbered list) has its dot escaped too.
pub fn typst_escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 8);
    let mut only_digits = true;
    for c in text.chars() {
        match c {
            '\\' | '#' | '$' | '*' | '_' | '<' | '>' | '@' | '[' | ']' | '~' | '/' | '`' | '='
            | '-' | '+' => {
                out.push('\\');
                out.push(c);
            }
            '.' if only_digits && !out.is_empty() => out.push_str("\\."),
            '\n' | '\r' | '\t' => out.push(' '),
            c if c.is_control() => {}
            c => out.push(c),
        }
        only_digits &= c.is_ascii_digit();
    }
    out
}

/// Escapes text for a typst string literal.
fn typst_string(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 2);
    out.push('"');
    for c in text.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            '"' => out.push_str("\\\""),
            '\n' | '\r' | '\t' => out.push(' '),
            c if c.is_control() => {}
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// Markup for text with `**bold**` spans, as a content block `[...]`.
fn typst_text(text: &str) -> String {
    let mut out = String::from("[");
    let mut after_bold = false;
    for (bold, span) in spans(text) {
        if bold {
            let _ = write!(out, "#strong[{}]", typst_escape(span));
        } else if after_bold && span.starts_with('.') {
            // "#strong[x].y" would read as a field access.
            let _ = write!(out, "\\.{}", typst_escape(&span[1..]));
        } else {
            out.push_str(&typst_escape(span));
        }
        after_bold = bold;
    }
    out.push(']');
    out
}

fn typst_content(text: &str) -> String {
    format!("[{}]", typst_escape(text))
}

/// The document as typst markup: A4, a title block, a table of contents, numbered
/// sections, the organisation's name and the date in every page's header and footer
/// and "pagina 3 van 12" in the footer. Figures are returned as files `fig-N.svg`.
pub fn to_typst(doc: &Document) -> TypstSource {
    let mut files = Vec::new();
    let mut out = String::new();
    let date = doc.date;
    let _ = writeln!(
        out,
        "#set document(title: {}, author: {}, date: datetime(year: {}, month: {}, day: {}))",
        typst_string(&doc.title),
        typst_string(&doc.org_name),
        chrono::Datelike::year(&date),
        chrono::Datelike::month(&date),
        chrono::Datelike::day(&date)
    );
    let org = typst_content(&doc.org_name);
    let title = typst_content(&doc.title);
    let day = typst_content(&nl::date(date));
    let _ = writeln!(
        out,
        "#set text(lang: \"nl\", font: \"Libertinus Serif\", size: 10.5pt)\n\
         #set par(justify: false, leading: 0.65em)\n\
         #set page(paper: \"a4\", margin: (x: 2.2cm, top: 2.6cm, bottom: 2.6cm),\n  \
         header: context {{ if here().page() > 1 {{ set text(size: 8pt, fill: luma(90)); {org} ; h(1fr); {title} }} }},\n  \
         footer: context {{ set text(size: 8pt, fill: luma(90)); {org} ; [ · ]; {day} ; h(1fr); [pagina #counter(page).display() van #counter(page).final().first()] }},\n)\n\
         #set heading(numbering: \"1.1\")\n\
         #show heading.where(level: 1): it => block(above: 1.6em, below: 0.8em, text(size: 15pt, it))\n\
         #set table(stroke: (x, y) => if y == 0 {{ (bottom: 0.7pt) }} else {{ (bottom: 0.3pt + luma(200)) }}, inset: 5pt)\n"
    );
    let _ = writeln!(
        out,
        "#block(below: 1.5em)[\n  #text(size: 22pt, weight: \"bold\")[{}]",
        typst_escape(&doc.title)
    );
    if let Some(sub) = &doc.subtitle {
        let _ = writeln!(
            out,
            "  #v(0.2em)\n  #text(size: 13pt)[{}]",
            typst_escape(sub)
        );
    }
    let _ = writeln!(
        out,
        "  #v(0.6em)\n  #text(size: 10pt)[{} · {}]\n]",
        typst_escape(&doc.org_name),
        typst_escape(&nl::date_long(date))
    );
    out.push_str("#outline(title: [Inhoud])\n#pagebreak(weak: true)\n\n");
    for section in &doc.sections {
        let _ = writeln!(out, "= {}\n", typst_escape(&section.heading));
        for block in &section.blocks {
            typst_block(&mut out, block, &mut files);
            out.push('\n');
        }
    }
    TypstSource { main: out, files }
}

fn typst_block(out: &mut String, block: &Block, files: &mut Vec<(String, Vec<u8>)>) {
    match block {
        Block::Heading(h) => {
            let _ = writeln!(
                out,
                "#heading(level: 2, outlined: false, numbering: none)[{}]",
                typst_escape(h)
            );
        }
        Block::Paragraph(p) => {
            let _ = writeln!(out, "#par{}", typst_text(p));
        }
        Block::Bullets(items) => {
            out.push_str("#list(\n");
            for item in items {
                let _ = writeln!(out, "  {},", typst_text(item));
            }
            out.push_str(")\n");
        }
        Block::KeyFigures(figures) => {
            let _ = writeln!(
                out,
                "#grid(columns: ({}), gutter: 8pt,",
                vec!["1fr"; figures.len().max(1)].join(", ")
            );
            for f in figures {
                let note = f
                    .note
                    .as_deref()
                    .map(|n| {
                        format!(
                            " #linebreak() #text(size: 8pt, fill: luma(90)){}",
                            typst_content(n)
                        )
                    })
                    .unwrap_or_default();
                let _ = writeln!(
                    out,
                    "  block(width: 100%, fill: luma(242), inset: 8pt, radius: 3pt)[#text(size: 8.5pt){} #linebreak() #text(size: 15pt, weight: \"bold\"){}{note}],",
                    typst_content(&f.label),
                    typst_content(&f.value)
                );
            }
            out.push_str(")\n");
        }
        Block::Table(t) => typst_table(out, t),
        Block::Figure(f) => {
            let name = format!("fig-{}.svg", files.len() + 1);
            let _ = writeln!(
                out,
                "#figure(image({}, width: 100%), caption: {})",
                typst_string(&name),
                typst_content(&f.caption)
            );
            files.push((name, f.svg.as_bytes().to_vec()));
        }
        Block::Quote(q) => {
            let _ = writeln!(
                out,
                "#quote(block: true, attribution: {}){}",
                typst_content(&q.who),
                typst_content(&q.text)
            );
        }
    }
}

fn typst_table(out: &mut String, t: &Table) {
    let columns = t.columns().max(1);
    let align: Vec<&str> = (0..columns).map(|i| t.align_of(i).typst()).collect();
    out.push_str("#figure(kind: table, supplement: [Tabel],");
    if let Some(c) = &t.caption {
        let _ = write!(out, " caption: {},", typst_content(c));
    }
    let _ = writeln!(
        out,
        "\n  table(columns: {columns}, align: ({},),",
        align.join(", ")
    );
    if !t.header.is_empty() {
        out.push_str("    table.header(");
        for h in &t.header {
            let _ = write!(out, "[*{}*], ", typst_escape(h));
        }
        out.push_str("),\n");
    }
    for row in &t.rows {
        out.push_str("   ");
        for i in 0..columns {
            match row.get(i) {
                Some(Cell::Text(s)) => {
                    let _ = write!(out, " {},", typst_content(s));
                }
                Some(Cell::Suppressed) => out.push_str(" [–],"),
                None => out.push_str(" [],"),
            }
        }
        out.push('\n');
    }
    out.push_str("  ),\n)\n");
    if t.has_suppressed() {
        let _ = writeln!(
            out,
            "#text(size: 8pt, fill: luma(90)){}",
            typst_content(SUPPRESSED_NOTE)
        );
    }
}

/// A document with every kind of block, for tests here and in `report-pdf`.
#[doc(hidden)]
pub fn sample(sections: usize) -> Document {
    use crate::chart::{Bar, bar_chart};
    let svg = bar_chart(
        "uren",
        "Uren per team",
        "Gemiddeld aantal contracturen per week per team.",
        &[
            Bar {
                label: "Noord".into(),
                value: Some(24.5),
                value_label: "24,5 uur".into(),
            },
            Bar {
                label: "Zuid".into(),
                value: None,
                value_label: "te klein om te tonen".into(),
            },
        ],
        None,
    );
    let section = |n: usize| Section {
        heading: format!("Uren en contracten {n}"),
        blocks: vec![
            Block::Paragraph(format!(
                "In deel {n} staat **wat er nu is**. Cijfers over minder dan 5 mensen tonen we niet; #tags, $tekens$ en [haken] blijven tekst."
            )),
            Block::KeyFigures(vec![
                KeyFigure {
                    label: "Gemiddelde contractomvang".into(),
                    value: "24,9 uur".into(),
                    note: Some("sector: 26,1 uur".into()),
                },
                KeyFigure {
                    label: "Loonkosten".into(),
                    value: nl::euro_cents(123_456_789),
                    note: None,
                },
            ]),
            Block::Heading("Per team".into()),
            Block::Table(Table {
                caption: Some("Contracturen per team".into()),
                header: vec!["Team".into(), "Medewerkers".into(), "Gemiddeld".into()],
                align: vec![Align::Left, Align::Right, Align::Right],
                rows: vec![
                    vec!["Noord <1>".into(), "12".into(), "24,5".into()],
                    vec!["Zuid".into(), Cell::Suppressed, Cell::Suppressed],
                ],
            }),
            Block::Bullets(vec![
                "Meer uren voor **wie wil**".into(),
                "1. geen lijst".into(),
            ]),
            Block::Figure(Figure {
                svg: svg.clone(),
                caption: "Gemiddelde uren per team".into(),
            }),
            Block::Quote(Quote {
                text: "Ik wil graag 4 uur meer werken.".into(),
                who: "medewerker, team Noord".into(),
            }),
        ],
    };
    Document {
        title: "Nulmeting uren & contracten".into(),
        subtitle: Some("Waar staan we nu?".into()),
        org_name: "Zorggroep De Linde".into(),
        date: NaiveDate::from_ymd_opt(2026, 11, 23).unwrap_or_default(),
        sections: (1..=sections).map(section).collect(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn html_snapshot() {
        let html = to_html(&sample(1));
        assert!(html.contains("Noord &lt;1&gt;"));
        assert!(html.contains("<strong>wat er nu is</strong>"));
        assert!(html.contains("class=\"align-right suppressed\""));
        assert!(html.contains(SUPPRESSED_NOTE));
        assert!(html.contains("23 november 2026"));
        insta::assert_snapshot!(html);
    }

    #[test]
    fn typst_snapshot() {
        let src = to_typst(&sample(1));
        assert_eq!(src.files.len(), 1);
        assert_eq!(src.files[0].0, "fig-1.svg");
        assert!(src.main.contains("image(\"fig-1.svg\""));
        assert!(src.main.contains("\\#tags"));
        assert!(src.main.contains("#outline"));
        assert!(src.main.contains("pagina #counter(page).display() van"));
        insta::assert_snapshot!(src.main);
    }

    #[test]
    fn bold_spans() {
        assert_eq!(
            spans("a **b** c"),
            vec![(false, "a "), (true, "b"), (false, " c")]
        );
        assert_eq!(spans("**b**"), vec![(true, "b")]);
        assert_eq!(spans("a ** b"), vec![(false, "a ** b")]);
        assert_eq!(spans("a ****"), vec![(false, "a ****")]);
    }

    #[test]
    fn typst_special_characters_are_escaped() {
        assert_eq!(
            typst_escape("#let x = $y$ *z* _u_ <l> @r [c] ~ // \\ `c`"),
            "\\#let x \\= \\$y\\$ \\*z\\* \\_u\\_ \\<l\\> \\@r \\[c\\] \\~ \\/\\/ \\\\ \\`c\\`"
        );
        assert_eq!(typst_escape("12. Punt"), "12\\. Punt");
        assert_eq!(typst_escape("€ 1.234,56"), "€ 1.234,56");
        assert_eq!(typst_escape("a\nb"), "a b");
        assert_eq!(typst_string("a \"b\" \\"), "\"a \\\"b\\\" \\\\\"");
    }
}
