//! Small SVG charts (bars, horizontal bars, a trend line) for pages and PDF reports.
//!
//! Every chart is a self-contained `<svg>`: no scripts, no external fonts or styles
//! (generic `sans-serif`), `role="img"` with a `<title>` and a `<desc>` that states the
//! data in words for screen readers, and a `<title>` per bar/point for hover. Coordinates
//! are written with one decimal so the output is stable text (snapshot-tested).

use crate::picture::{Breakdown, Figures};
use crate::pnil::PnilSummary;
use crate::suppress::Suppression;
use rust_decimal::Decimal;
use std::fmt::Write;

const WIDTH: f64 = 640.0;
const BAR_FILL: &str = "#2f6f8f";
const REF_STROKE: &str = "#b03a2e";
const GRID: &str = "#d0d0d0";
const TEXT: &str = "#222222";
const MUTED: &str = "#6b6b6b";

/// One bar. `value: None` draws no bar and shows `value_label` (e.g. "te klein").
#[derive(Debug, Clone, PartialEq)]
pub struct Bar {
    pub label: String,
    pub value: Option<f64>,
    pub value_label: String,
}

/// A reference line (e.g. the sector average) with its label.
#[derive(Debug, Clone, PartialEq)]
pub struct Reference {
    pub value: f64,
    pub label: String,
}

/// Escape text for XML.
pub fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c if c.is_control() => {}
            c => out.push(c),
        }
    }
    out
}

/// A "nice" axis maximum and step (1, 2 or 5 × 10ⁿ) with about five steps.
fn nice_axis(max: f64) -> (f64, f64) {
    if !(max.is_finite()) || max <= 0.0 {
        return (1.0, 0.2);
    }
    let raw = max / 5.0;
    let mag = 10f64.powf(raw.log10().floor());
    let step = [1.0, 2.0, 5.0, 10.0]
        .into_iter()
        .map(|m| m * mag)
        .find(|s| *s >= raw)
        .unwrap_or(10.0 * mag);
    ((max / step).ceil() * step, step)
}

fn fmt_nl(v: f64, decimals: u32) -> String {
    let d = Decimal::try_from(v).unwrap_or_default();
    import::format_number_nl(d, decimals)
}

fn open(out: &mut String, id: &str, title: &str, desc: &str, height: f64) {
    let id = escape(id);
    let _ = write!(
        out,
        "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 {WIDTH:.0} {height:.0}\" width=\"{WIDTH:.0}\" height=\"{height:.0}\" role=\"img\" aria-labelledby=\"{id}-title {id}-desc\" font-family=\"sans-serif\" font-size=\"12\">\n<title id=\"{id}-title\">{}</title>\n<desc id=\"{id}-desc\">{}</desc>\n",
        escape(title),
        escape(desc)
    );
}

fn data_sentence(bars: &[Bar]) -> String {
    bars.iter()
        .map(|b| format!("{}: {}", b.label, b.value_label))
        .collect::<Vec<_>>()
        .join("; ")
}

/// Vertical bars with labels under them.
pub fn bar_chart(
    id: &str,
    title: &str,
    desc: &str,
    bars: &[Bar],
    reference: Option<&Reference>,
) -> String {
    let height = 320.0;
    let (left, right, top, bottom) = (56.0, 16.0, 36.0, 56.0);
    let plot_w = WIDTH - left - right;
    let plot_h = height - top - bottom;
    let max = bars
        .iter()
        .filter_map(|b| b.value)
        .chain(reference.map(|r| r.value))
        .fold(0.0, f64::max);
    // 10 % headroom so value labels above the tallest bar stay inside.
    let (axis_max, step) = nice_axis(max * 1.1);
    let y = |v: f64| top + plot_h - v / axis_max * plot_h;
    let mut out = String::new();
    let full_desc = if bars.is_empty() {
        format!("{desc} Geen gegevens.")
    } else {
        format!("{desc} {}.", data_sentence(bars))
    };
    open(&mut out, id, title, &full_desc, height);
    let _ = writeln!(
        out,
        "<text x=\"{left:.1}\" y=\"20.0\" fill=\"{TEXT}\" font-size=\"14\" font-weight=\"bold\">{}</text>",
        escape(title)
    );
    // Grid and axis labels.
    let mut v = 0.0;
    while v <= axis_max + step / 2.0 {
        let _ = writeln!(
            out,
            "<line x1=\"{left:.1}\" y1=\"{yy:.1}\" x2=\"{x2:.1}\" y2=\"{yy:.1}\" stroke=\"{GRID}\"/><text x=\"{tx:.1}\" y=\"{ty:.1}\" text-anchor=\"end\" fill=\"{MUTED}\">{}</text>",
            fmt_nl(v, 1),
            yy = y(v),
            x2 = WIDTH - right,
            tx = left - 6.0,
            ty = y(v) + 4.0
        );
        v += step;
    }
    let n = bars.len().max(1) as f64;
    let slot = plot_w / n;
    let bar_w = (slot * 0.7).min(56.0);
    for (i, b) in bars.iter().enumerate() {
        let cx = left + slot * (i as f64 + 0.5);
        let _ = write!(
            out,
            "<g><title>{}: {}</title>",
            escape(&b.label),
            escape(&b.value_label)
        );
        match b.value {
            Some(v) => {
                let _ = write!(
                    out,
                    "<rect x=\"{:.1}\" y=\"{:.1}\" width=\"{bar_w:.1}\" height=\"{:.1}\" fill=\"{BAR_FILL}\"/><text x=\"{cx:.1}\" y=\"{:.1}\" text-anchor=\"middle\" fill=\"{TEXT}\">{}</text>",
                    cx - bar_w / 2.0,
                    y(v),
                    (top + plot_h - y(v)).max(0.0),
                    y(v) - 4.0,
                    escape(&b.value_label)
                );
            }
            None => {
                let _ = write!(
                    out,
                    "<text x=\"{cx:.1}\" y=\"{:.1}\" text-anchor=\"middle\" fill=\"{MUTED}\">{}</text>",
                    top + plot_h - 4.0,
                    escape(&b.value_label)
                );
            }
        }
        let _ = writeln!(
            out,
            "<text x=\"{cx:.1}\" y=\"{:.1}\" text-anchor=\"middle\" fill=\"{TEXT}\">{}</text></g>",
            top + plot_h + 18.0,
            escape(&b.label)
        );
    }
    if let Some(r) = reference {
        let _ = writeln!(
            out,
            "<line x1=\"{left:.1}\" y1=\"{yy:.1}\" x2=\"{x2:.1}\" y2=\"{yy:.1}\" stroke=\"{REF_STROKE}\" stroke-dasharray=\"6 4\"/><text x=\"{x2:.1}\" y=\"{ty:.1}\" text-anchor=\"end\" fill=\"{REF_STROKE}\">{}</text>",
            escape(&r.label),
            yy = y(r.value),
            x2 = WIDTH - right,
            ty = y(r.value) - 4.0
        );
    }
    let _ = writeln!(
        out,
        "<line x1=\"{left:.1}\" y1=\"{b:.1}\" x2=\"{x2:.1}\" y2=\"{b:.1}\" stroke=\"{TEXT}\"/>\n</svg>",
        b = top + plot_h,
        x2 = WIDTH - right
    );
    out
}

/// Horizontal bars, one row per label (for many teams with long names).
pub fn horizontal_bar_chart(
    id: &str,
    title: &str,
    desc: &str,
    bars: &[Bar],
    reference: Option<&Reference>,
) -> String {
    let row_h = 24.0;
    let (left, right, top, bottom) = (180.0, 64.0, 36.0, 32.0);
    let height = top + bottom + row_h * bars.len().max(1) as f64;
    let plot_w = WIDTH - left - right;
    let max = bars
        .iter()
        .filter_map(|b| b.value)
        .chain(reference.map(|r| r.value))
        .fold(0.0, f64::max);
    // 15 % headroom so value labels right of the longest bar stay inside.
    let (axis_max, step) = nice_axis(max * 1.15);
    let x = |v: f64| left + v / axis_max * plot_w;
    let mut out = String::new();
    let full_desc = if bars.is_empty() {
        format!("{desc} Geen gegevens.")
    } else {
        format!("{desc} {}.", data_sentence(bars))
    };
    open(&mut out, id, title, &full_desc, height);
    let _ = writeln!(
        out,
        "<text x=\"8.0\" y=\"20.0\" fill=\"{TEXT}\" font-size=\"14\" font-weight=\"bold\">{}</text>",
        escape(title)
    );
    let bottom_y = height - bottom;
    let mut v = 0.0;
    while v <= axis_max + step / 2.0 {
        let _ = writeln!(
            out,
            "<line x1=\"{xx:.1}\" y1=\"{top:.1}\" x2=\"{xx:.1}\" y2=\"{bottom_y:.1}\" stroke=\"{GRID}\"/><text x=\"{xx:.1}\" y=\"{ty:.1}\" text-anchor=\"middle\" fill=\"{MUTED}\">{}</text>",
            fmt_nl(v, 1),
            xx = x(v),
            ty = bottom_y + 16.0
        );
        v += step;
    }
    for (i, b) in bars.iter().enumerate() {
        let ry = top + row_h * i as f64;
        let _ = write!(
            out,
            "<g><title>{}: {}</title><text x=\"{:.1}\" y=\"{:.1}\" text-anchor=\"end\" fill=\"{TEXT}\">{}</text>",
            escape(&b.label),
            escape(&b.value_label),
            left - 8.0,
            ry + row_h / 2.0 + 4.0,
            escape(&b.label)
        );
        match b.value {
            Some(v) => {
                let _ = write!(
                    out,
                    "<rect x=\"{left:.1}\" y=\"{:.1}\" width=\"{:.1}\" height=\"{:.1}\" fill=\"{BAR_FILL}\"/><text x=\"{:.1}\" y=\"{:.1}\" fill=\"{TEXT}\">{}</text>",
                    ry + 4.0,
                    (x(v) - left).max(0.0),
                    row_h - 8.0,
                    x(v) + 4.0,
                    ry + row_h / 2.0 + 4.0,
                    escape(&b.value_label)
                );
            }
            None => {
                let _ = write!(
                    out,
                    "<text x=\"{:.1}\" y=\"{:.1}\" fill=\"{MUTED}\">{}</text>",
                    left + 4.0,
                    ry + row_h / 2.0 + 4.0,
                    escape(&b.value_label)
                );
            }
        }
        out.push_str("</g>\n");
    }
    if let Some(r) = reference {
        let _ = writeln!(
            out,
            "<line x1=\"{xx:.1}\" y1=\"{top:.1}\" x2=\"{xx:.1}\" y2=\"{bottom_y:.1}\" stroke=\"{REF_STROKE}\" stroke-dasharray=\"6 4\"/><text x=\"{xx:.1}\" y=\"{ty:.1}\" text-anchor=\"middle\" fill=\"{REF_STROKE}\">{}</text>",
            escape(&r.label),
            xx = x(r.value),
            ty = top - 4.0
        );
    }
    out.push_str("</svg>\n");
    out
}

/// A line through points with labels on the x axis (at most 12 shown).
pub fn line_chart(
    id: &str,
    title: &str,
    desc: &str,
    points: &[(String, f64)],
    value_label: impl Fn(f64) -> String,
) -> String {
    let height = 320.0;
    let (left, right, top, bottom) = (88.0, 16.0, 36.0, 48.0);
    let plot_w = WIDTH - left - right;
    let plot_h = height - top - bottom;
    let max = points.iter().map(|p| p.1).fold(0.0, f64::max);
    let min = points.iter().map(|p| p.1).fold(0.0, f64::min);
    let (axis_max, step) = nice_axis(max);
    let axis_min = if min < 0.0 { -nice_axis(-min).0 } else { 0.0 };
    let span = axis_max - axis_min;
    let y = |v: f64| top + plot_h - (v - axis_min) / span * plot_h;
    let n = points.len();
    // Points sit 32 px inside the plot so the first and last x labels fit.
    let inset = 32.0;
    let x = |i: usize| {
        if n <= 1 {
            left + plot_w / 2.0
        } else {
            left + inset + (plot_w - 2.0 * inset) * i as f64 / (n - 1) as f64
        }
    };
    let sentence = if points.is_empty() {
        "Geen gegevens.".to_owned()
    } else {
        points
            .iter()
            .map(|(l, v)| format!("{l}: {}", value_label(*v)))
            .collect::<Vec<_>>()
            .join("; ")
            + "."
    };
    let mut out = String::new();
    open(&mut out, id, title, &format!("{desc} {sentence}"), height);
    let _ = writeln!(
        out,
        "<text x=\"{left:.1}\" y=\"20.0\" fill=\"{TEXT}\" font-size=\"14\" font-weight=\"bold\">{}</text>",
        escape(title)
    );
    let mut v = axis_min;
    while v <= axis_max + step / 2.0 {
        let _ = writeln!(
            out,
            "<line x1=\"{left:.1}\" y1=\"{yy:.1}\" x2=\"{x2:.1}\" y2=\"{yy:.1}\" stroke=\"{GRID}\"/><text x=\"{tx:.1}\" y=\"{ty:.1}\" text-anchor=\"end\" fill=\"{MUTED}\">{}</text>",
            escape(&value_label(v)),
            yy = y(v),
            x2 = WIDTH - right,
            tx = left - 6.0,
            ty = y(v) + 4.0
        );
        v += step;
    }
    if n > 1 {
        let pts: Vec<String> = points
            .iter()
            .enumerate()
            .map(|(i, p)| format!("{:.1},{:.1}", x(i), y(p.1)))
            .collect();
        let _ = writeln!(
            out,
            "<polyline points=\"{}\" fill=\"none\" stroke=\"{BAR_FILL}\" stroke-width=\"2\"/>",
            pts.join(" ")
        );
    }
    let every = n.div_ceil(12).max(1);
    for (i, (label, v)) in points.iter().enumerate() {
        let _ = write!(
            out,
            "<g><title>{}: {}</title><circle cx=\"{:.1}\" cy=\"{:.1}\" r=\"3.5\" fill=\"{BAR_FILL}\"/>",
            escape(label),
            escape(&value_label(*v)),
            x(i),
            y(*v)
        );
        if i % every == 0 || i == n - 1 {
            let _ = write!(
                out,
                "<text x=\"{:.1}\" y=\"{:.1}\" text-anchor=\"middle\" fill=\"{TEXT}\">{}</text>",
                x(i),
                top + plot_h + 18.0,
                escape(label)
            );
        }
        out.push_str("</g>\n");
    }
    out.push_str("</svg>\n");
    out
}

/// Headcount per contract-hour band.
pub fn distribution_chart(id: &str, figures: &Figures) -> String {
    let bars: Vec<Bar> = figures
        .bands
        .iter()
        .map(|b| Bar {
            label: b.label.clone(),
            value: Some(b.count as f64),
            value_label: b.count.to_string(),
        })
        .collect();
    bar_chart(
        id,
        "Medewerkers per contractomvang",
        &format!(
            "Aantal medewerkers per contractomvang in uren per week, {} medewerkers in totaal.",
            figures.headcount
        ),
        &bars,
        None,
    )
}

fn suppressed_label(s: Option<Suppression>) -> String {
    match s {
        Some(Suppression::TooSmall) | None => "te klein om te tonen".to_owned(),
        Some(Suppression::Complementary) => "verborgen (privacy)".to_owned(),
    }
}

/// Average contract hours per group of a breakdown, with the sector average as a line.
pub fn group_average_chart(id: &str, breakdown: &Breakdown, sector_average: Option<f64>) -> String {
    let bars: Vec<Bar> = breakdown
        .groups
        .iter()
        .map(|g| match &g.figures {
            Some(f) => Bar {
                label: g.label.clone(),
                value: Some(f.average_hours),
                value_label: format!("{} uur", fmt_nl(f.average_hours, 1)),
            },
            None => Bar {
                label: g.label.clone(),
                value: None,
                value_label: suppressed_label(g.suppressed),
            },
        })
        .collect();
    let reference = sector_average.map(|v| Reference {
        value: v,
        label: format!("sector {} uur", fmt_nl(v, 1)),
    });
    let what = breakdown.dimension.label_nl();
    horizontal_bar_chart(
        id,
        &format!("Gemiddelde contractomvang per {what}"),
        &format!(
            "Gemiddeld aantal contracturen per week per {what}{}.",
            sector_average
                .map(|v| format!("; de sector gemiddeld {} uur", fmt_nl(v, 1)))
                .unwrap_or_default()
        ),
        &bars,
        reference.as_ref(),
    )
}

/// PNIL costs per month.
pub fn pnil_trend_chart(id: &str, summary: &PnilSummary) -> String {
    let points: Vec<(String, f64)> = summary
        .months
        .iter()
        .map(|m| (m.month.label_nl(), m.total_cents as f64 / 100.0))
        .collect();
    line_chart(
        id,
        "Kosten personeel niet in loondienst per maand",
        "Kosten van ZZP'ers, uitzendkrachten en detachering per maand in euro.",
        &points,
        |v| format!("€ {}", fmt_nl(v, 0)),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn axis() {
        assert_eq!(nice_axis(27.0), (30.0, 10.0));
        assert_eq!(nice_axis(9.0), (10.0, 2.0));
        assert_eq!(nice_axis(0.0), (1.0, 0.2));
        assert_eq!(nice_axis(36.0), (40.0, 10.0));
    }

    #[test]
    fn escaping() {
        assert_eq!(escape("a<b & \"c\"'"), "a&lt;b &amp; &quot;c&quot;&#39;");
    }
}
