//! Small SVG charts for pages and PDF reports: vertical, horizontal and stacked bars, a
//! trend line, and a curve with gaps, marked bands and named points (the calculator's
//! net-income curve), and a heatmap (the roster scan's staffing by weekday and hour).
//!
//! Every chart is a self-contained `<svg>`: no scripts, no external fonts or styles
//! (generic `sans-serif`), `role="img"` with a `<title>` and a `<desc>` that states the
//! data in words for screen readers, and a `<title>` per bar/point for hover. Numbers in
//! labels are Dutch ([`crate::nl`]). Coordinates are written with one decimal so the
//! output is stable text (snapshot-tested): the same data gives the same bytes.

use crate::nl;
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
    nl::decimal_f64(v, decimals)
}

/// Opens the `<svg>` with its `<title>` and `<desc>` and writes the visible title at
/// `title_x`.
fn open(out: &mut String, id: &str, title: &str, desc: &str, height: f64, title_x: f64) {
    let id = escape(id);
    let _ = write!(
        out,
        "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 {WIDTH:.0} {height:.0}\" width=\"{WIDTH:.0}\" height=\"{height:.0}\" role=\"img\" aria-labelledby=\"{id}-title {id}-desc\" font-family=\"sans-serif\" font-size=\"12\">\n<title id=\"{id}-title\">{}</title>\n<desc id=\"{id}-desc\">{}</desc>\n",
        escape(title),
        escape(desc)
    );
    let _ = writeln!(
        out,
        "<text x=\"{title_x:.1}\" y=\"20.0\" fill=\"{TEXT}\" font-size=\"14\" font-weight=\"bold\">{}</text>",
        escape(title)
    );
}

/// Horizontal grid lines with their labels at the left, from `range.0` to `range.1` in
/// steps of `range.2`.
fn y_grid(
    out: &mut String,
    left: f64,
    right: f64,
    (from, to, step): (f64, f64, f64),
    y: impl Fn(f64) -> f64,
    label: impl Fn(f64) -> String,
) {
    let mut v = from;
    while v <= to + step / 2.0 {
        let _ = writeln!(
            out,
            "<line x1=\"{left:.1}\" y1=\"{yy:.1}\" x2=\"{x2:.1}\" y2=\"{yy:.1}\" stroke=\"{GRID}\"/><text x=\"{tx:.1}\" y=\"{ty:.1}\" text-anchor=\"end\" fill=\"{MUTED}\">{}</text>",
            escape(&label(v)),
            yy = y(v),
            x2 = WIDTH - right,
            tx = left - 6.0,
            ty = y(v) + 4.0
        );
        v += step;
    }
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
    open(&mut out, id, title, &full_desc, height, left);
    // Grid and axis labels.
    y_grid(&mut out, left, right, (0.0, axis_max, step), y, |v| {
        fmt_nl(v, 1)
    });
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
    open(&mut out, id, title, &full_desc, height, 8.0);
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
    open(
        &mut out,
        id,
        title,
        &format!("{desc} {sentence}"),
        height,
        left,
    );
    y_grid(
        &mut out,
        left,
        right,
        (axis_min, axis_max, step),
        y,
        &value_label,
    );
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
    let shown = x_labels_shown(points, x);
    for (i, (label, v)) in points.iter().enumerate() {
        let _ = write!(
            out,
            "<g><title>{}: {}</title><circle cx=\"{:.1}\" cy=\"{:.1}\" r=\"3.5\" fill=\"{BAR_FILL}\"/>",
            escape(label),
            escape(&value_label(*v)),
            x(i),
            y(*v)
        );
        if shown.contains(&i) {
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

/// The width a label of the line chart's x axis takes at font size 12 (sans-serif, a
/// generous 7 px per character) plus a gap of 10 px to its neighbour.
fn x_label_room(label: &str) -> f64 {
    label.chars().count() as f64 * 7.0 + 10.0
}

/// Which points of a line chart get their label on the x axis: every k-th, with k as
/// small as the widest label allows (so labels never overlap), always the first and the
/// last; the last replaces the one before it when the two would touch.
fn x_labels_shown(points: &[(String, f64)], x: impl Fn(usize) -> f64) -> Vec<usize> {
    let n = points.len();
    if n == 0 {
        return Vec::new();
    }
    if n == 1 {
        return vec![0];
    }
    let room = points
        .iter()
        .map(|(l, _)| x_label_room(l))
        .fold(0.0, f64::max);
    let spacing = (x(1) - x(0)).abs().max(f64::EPSILON);
    let every = ((room / spacing).ceil() as usize).max(1);
    let mut shown: Vec<usize> = (0..n).step_by(every).collect();
    let last = n - 1;
    if shown.last() != Some(&last) {
        if shown.len() > 1 && (x(last) - x(shown[shown.len() - 1])).abs() < room {
            shown.pop();
        }
        shown.push(last);
    }
    shown
}

/// One series of a stacked bar chart: a name for the legend, a colour and one value per
/// bar (`None` where the bar's figure is suppressed or missing).
#[derive(Debug, Clone, PartialEq)]
pub struct Series {
    pub name: String,
    pub colour: String,
    pub values: Vec<Option<f64>>,
}

/// Vertical stacked bars: one bar per label, one segment per series, with a legend.
/// A bar with any suppressed segment shows `suppressed_label` instead of segments, so
/// that no segment can be derived from the total and the others.
pub fn stacked_bar_chart(
    id: &str,
    title: &str,
    desc: &str,
    labels: &[String],
    series: &[Series],
    suppressed_label: &str,
    value_label: impl Fn(f64) -> String,
) -> String {
    let height = 340.0;
    let (left, right, top, bottom) = (72.0, 16.0, 36.0, 76.0);
    let plot_w = WIDTH - left - right;
    let plot_h = height - top - bottom;
    let value = |s: &Series, i: usize| s.values.get(i).copied().flatten();
    let complete = |i: usize| series.iter().all(|s| value(s, i).is_some());
    let total = |i: usize| series.iter().filter_map(|s| value(s, i)).sum::<f64>();
    let max = (0..labels.len())
        .filter(|&i| complete(i))
        .map(total)
        .fold(0.0, f64::max);
    let (axis_max, step) = nice_axis(max * 1.1);
    let y = |v: f64| top + plot_h - v / axis_max * plot_h;
    let sentence = if labels.is_empty() {
        "Geen gegevens.".to_owned()
    } else {
        labels
            .iter()
            .enumerate()
            .map(|(i, l)| {
                if !complete(i) {
                    return format!("{l}: {suppressed_label}");
                }
                let parts: Vec<String> = series
                    .iter()
                    .filter_map(|s| value(s, i).map(|v| format!("{} {}", s.name, value_label(v))))
                    .collect();
                format!("{l}: {}", parts.join(", "))
            })
            .collect::<Vec<_>>()
            .join("; ")
            + "."
    };
    let mut out = String::new();
    open(
        &mut out,
        id,
        title,
        &format!("{desc} {sentence}"),
        height,
        left,
    );
    y_grid(
        &mut out,
        left,
        right,
        (0.0, axis_max, step),
        y,
        &value_label,
    );
    let n = labels.len().max(1) as f64;
    let slot = plot_w / n;
    let bar_w = (slot * 0.7).min(56.0);
    for (i, label) in labels.iter().enumerate() {
        let cx = left + slot * (i as f64 + 0.5);
        let _ = write!(out, "<g><title>{}</title>", escape(label));
        if complete(i) {
            let mut base = 0.0;
            for s in series {
                let v = value(s, i).unwrap_or(0.0);
                let _ = write!(
                    out,
                    "<rect x=\"{:.1}\" y=\"{:.1}\" width=\"{bar_w:.1}\" height=\"{:.1}\" fill=\"{}\"><title>{}: {}</title></rect>",
                    cx - bar_w / 2.0,
                    y(base + v),
                    (y(base) - y(base + v)).max(0.0),
                    escape(&s.colour),
                    escape(&s.name),
                    escape(&value_label(v))
                );
                base += v;
            }
            let _ = write!(
                out,
                "<text x=\"{cx:.1}\" y=\"{:.1}\" text-anchor=\"middle\" fill=\"{TEXT}\">{}</text>",
                y(base) - 4.0,
                escape(&value_label(base))
            );
        } else {
            let _ = write!(
                out,
                "<text x=\"{cx:.1}\" y=\"{:.1}\" text-anchor=\"middle\" fill=\"{MUTED}\">{}</text>",
                top + plot_h - 4.0,
                escape(suppressed_label)
            );
        }
        let _ = writeln!(
            out,
            "<text x=\"{cx:.1}\" y=\"{:.1}\" text-anchor=\"middle\" fill=\"{TEXT}\">{}</text></g>",
            top + plot_h + 18.0,
            escape(label)
        );
    }
    // Legend under the axis labels.
    let mut lx = left;
    let ly = height - 24.0;
    for s in series {
        let _ = writeln!(
            out,
            "<rect x=\"{lx:.1}\" y=\"{:.1}\" width=\"12.0\" height=\"12.0\" fill=\"{}\"/><text x=\"{:.1}\" y=\"{ly:.1}\" fill=\"{TEXT}\">{}</text>",
            ly - 10.0,
            escape(&s.colour),
            lx + 16.0,
            escape(&s.name)
        );
        lx += 24.0 + 7.0 * s.name.chars().count() as f64;
    }
    let _ = writeln!(
        out,
        "<line x1=\"{left:.1}\" y1=\"{b:.1}\" x2=\"{x2:.1}\" y2=\"{b:.1}\" stroke=\"{TEXT}\"/>\n</svg>",
        b = top + plot_h,
        x2 = WIDTH - right
    );
    out
}

/// A band on a [`Curve`]'s x axis (the calculator's "cliffs"), with its hover text.
#[derive(Debug, Clone, PartialEq)]
pub struct Band {
    pub from: f64,
    pub to: f64,
    pub title: String,
}

/// A named point on a [`Curve`] ("nu", "straks").
#[derive(Debug, Clone, PartialEq)]
pub struct Marker {
    pub x: f64,
    pub y: f64,
    pub label: String,
    pub colour: String,
}

/// A curve over a fixed x range: points (a `None` value breaks the line), marked bands
/// and named points. Drawn with presentation attributes only (the pages' CSP allows no
/// inline style) and the CSS class `chart`.
#[derive(Debug, Clone, PartialEq)]
pub struct Curve {
    /// Prefix of the ids of the `<title>` (`{id}-titel`) and `<desc>` (`{id}-uitleg`).
    pub id: String,
    pub title: String,
    pub desc: String,
    /// The x axis runs from 0 to `x_max` with a label every `x_tick` units.
    pub x_max: u32,
    pub x_tick: u32,
    pub x_label: String,
    pub points: Vec<(f64, Option<f64>)>,
    pub bands: Vec<Band>,
    pub markers: Vec<Marker>,
}

/// Draws a [`Curve`]; y labels are whole euros (`€ 1.500`) on a step of 100, 250, 500,
/// 1.000, 2.000 or 5.000 that gives at most five steps.
pub fn curve_chart(c: &Curve) -> String {
    const W: f64 = 640.0;
    const H: f64 = 300.0;
    const L: f64 = 84.0;
    const R: f64 = 16.0;
    const T: f64 = 16.0;
    const B: f64 = 44.0;
    let values: Vec<f64> = c.points.iter().filter_map(|p| p.1).collect();
    let (lo, hi) = if values.is_empty() {
        (0.0, 1.0)
    } else {
        (
            values.iter().copied().fold(f64::INFINITY, f64::min),
            values.iter().copied().fold(f64::NEG_INFINITY, f64::max),
        )
    };
    let span = (hi - lo).max(100.0);
    let step = [100.0, 250.0, 500.0, 1000.0, 2000.0]
        .into_iter()
        .find(|s| span / s <= 5.0)
        .unwrap_or(5000.0);
    let y0 = (lo / step).floor() * step;
    let y1 = ((hi / step).ceil() * step).max(y0 + step);
    let x_max = f64::from(c.x_max.max(1));
    let x = |h: f64| L + h / x_max * (W - L - R);
    let y = |v: f64| T + (y1 - v) / (y1 - y0) * (H - T - B);
    let id = escape(&c.id);
    let mut s = String::new();
    let _ = write!(
        s,
        r#"<svg class="chart" viewBox="0 0 {W} {H}" role="img" aria-labelledby="{id}-titel {id}-uitleg" xmlns="http://www.w3.org/2000/svg"><title id="{id}-titel">{}</title><desc id="{id}-uitleg">{}</desc>"#,
        escape(&c.title),
        escape(&c.desc)
    );
    // Grid and y labels.
    let mut v = y0;
    while v <= y1 + 0.01 {
        let _ = write!(
            s,
            r##"<line x1="{L}" x2="{:.1}" y1="{:.1}" y2="{:.1}" stroke="#d5dce4" stroke-width="1"/><text x="{:.1}" y="{:.1}" font-size="15" text-anchor="end" fill="#4a5563">{}</text>"##,
            W - R,
            y(v),
            y(v),
            L - 6.0,
            y(v) + 4.0,
            nl::euro(v).replace(",00", "")
        );
        v += step;
    }
    for h in (0..=c.x_max).step_by(c.x_tick.max(1) as usize) {
        let hf = f64::from(h);
        let _ = write!(
            s,
            r##"<text x="{:.1}" y="{:.1}" font-size="15" text-anchor="middle" fill="#4a5563">{h}</text>"##,
            x(hf),
            H - B + 18.0
        );
    }
    let _ = write!(
        s,
        r##"<text x="{:.1}" y="{:.1}" font-size="15" text-anchor="middle" fill="#4a5563">{}</text>"##,
        x(x_max / 2.0),
        H - 6.0,
        escape(&c.x_label)
    );
    for band in &c.bands {
        let (a, b) = (x(band.from), x(band.to));
        let _ = write!(
            s,
            r##"<rect class="cliff" x="{a:.1}" y="{T}" width="{:.1}" height="{:.1}" fill="#a3161f" fill-opacity="0.18"><title>{}</title></rect>"##,
            (b - a).max(3.0),
            H - T - B,
            escape(&band.title)
        );
    }
    // The line, broken where a value is missing.
    let mut path = String::new();
    let mut pen_down = false;
    for (h, val) in &c.points {
        match val {
            Some(v) => {
                let _ = write!(
                    path,
                    "{}{:.1},{:.1} ",
                    if pen_down { "L" } else { "M" },
                    x(*h),
                    y(*v)
                );
                pen_down = true;
            }
            None => pen_down = false,
        }
    }
    let _ = write!(
        s,
        r##"<path d="{}" fill="none" stroke="#0b5c7a" stroke-width="2.5"/>"##,
        path.trim_end()
    );
    for m in &c.markers {
        if m.x > x_max {
            continue;
        }
        let colour = escape(&m.colour);
        let _ = write!(
            s,
            r##"<circle cx="{:.1}" cy="{:.1}" r="5" fill="{colour}"/><text x="{:.1}" y="{:.1}" font-size="16" font-weight="600" text-anchor="middle" fill="{colour}">{}</text>"##,
            x(m.x),
            y(m.y),
            x(m.x),
            (y(m.y) - 10.0).max(T + 10.0),
            escape(&m.label)
        );
    }
    s.push_str("</svg>");
    s
}
/// A heatmap: rows × columns of values as shaded cells (e.g. weekday × hour), with some
/// cells marked (a peak) by a dark outline. Values are labelled in each cell's `<title>`.
#[derive(Debug, Clone, PartialEq)]
pub struct Heatmap {
    pub id: String,
    pub title: String,
    /// The data in words for screen readers.
    pub desc: String,
    pub row_labels: Vec<String>,
    pub col_labels: Vec<String>,
    /// `values[row][col]`.
    pub values: Vec<Vec<f64>>,
    /// Marked cells `(row, col)`.
    pub marked: Vec<(usize, usize)>,
    /// Unit for the cell titles (e.g. "mensen").
    pub unit: String,
}

/// Draws a [`Heatmap`]: darker is higher, scaled from 0 to the largest value.
pub fn heatmap(h: &Heatmap) -> String {
    let left = 44.0;
    let top = 34.0;
    let cols = h.col_labels.len().max(1);
    let cell_w = (WIDTH - left - 10.0) / cols as f64;
    let cell_h = 24.0;
    let rows = h.row_labels.len();
    let height = top + cell_h * rows as f64 + 42.0;
    let max = h
        .values
        .iter()
        .flatten()
        .copied()
        .filter(|v| v.is_finite())
        .fold(0.0, f64::max);
    let mut out = String::new();
    open(&mut out, &h.id, &h.title, &h.desc, height, left);
    for (r, label) in h.row_labels.iter().enumerate() {
        let y = top + r as f64 * cell_h;
        let _ = writeln!(
            out,
            "<text x=\"{:.1}\" y=\"{:.1}\" text-anchor=\"end\" fill=\"{TEXT}\">{}</text>",
            left - 6.0,
            y + cell_h / 2.0 + 4.0,
            escape(label)
        );
        for c in 0..cols {
            let v = h
                .values
                .get(r)
                .and_then(|row| row.get(c))
                .copied()
                .unwrap_or(0.0);
            let share = if max > 0.0 {
                (v / max).clamp(0.0, 1.0)
            } else {
                0.0
            };
            // From near-white to the bar colour (#2f6f8f).
            let mix = |to: f64| 247.0 + (to - 247.0) * share;
            let fill = format!(
                "#{:02x}{:02x}{:02x}",
                mix(47.0).round() as u8,
                mix(111.0).round() as u8,
                mix(143.0).round() as u8
            );
            let marked = h.marked.contains(&(r, c));
            let stroke = if marked {
                format!(" stroke=\"{REF_STROKE}\" stroke-width=\"2\"")
            } else {
                format!(" stroke=\"{GRID}\" stroke-width=\"0.5\"")
            };
            let _ = writeln!(
                out,
                "<rect x=\"{:.1}\" y=\"{:.1}\" width=\"{:.1}\" height=\"{:.1}\" fill=\"{fill}\"{stroke}><title>{} {}: {} {}{}</title></rect>",
                left + c as f64 * cell_w,
                y,
                cell_w,
                cell_h,
                escape(label),
                escape(h.col_labels.get(c).map_or("", String::as_str)),
                fmt_nl(v, 1),
                escape(&h.unit),
                if marked { " (piek)" } else { "" }
            );
        }
    }
    let base = top + rows as f64 * cell_h;
    for (c, label) in h.col_labels.iter().enumerate() {
        if c % 2 == 0 {
            let _ = writeln!(
                out,
                "<text x=\"{:.1}\" y=\"{:.1}\" text-anchor=\"middle\" fill=\"{MUTED}\">{}</text>",
                left + (c as f64 + 0.5) * cell_w,
                base + 16.0,
                escape(label)
            );
        }
    }
    let _ = writeln!(
        out,
        "<rect x=\"{left:.1}\" y=\"{:.1}\" width=\"12.0\" height=\"12.0\" fill=\"none\" stroke=\"{REF_STROKE}\" stroke-width=\"2\"/><text x=\"{:.1}\" y=\"{:.1}\" fill=\"{MUTED}\">piek (90% of meer van het drukste uur)</text>",
        base + 26.0,
        left + 18.0,
        base + 36.0
    );
    out.push_str("</svg>\n");
    out
}

/// One bar of a [`share_chart`]: a share in [0, 1] with its 95% interval. `share: None`
/// draws no bar and shows `value_label` (e.g. "verborgen").
#[derive(Debug, Clone, PartialEq)]
pub struct ShareBar {
    pub label: String,
    pub share: Option<f64>,
    pub ci95: Option<[f64; 2]>,
    pub value_label: String,
}

/// The width of a [`share_chart`]: about a phone's width, so it is drawn near 1:1 there
/// and never needs sideways scrolling (pages scale it down with `max-width: 100%`).
const SHARE_WIDTH: f64 = 360.0;

/// Splits a label into lines of at most `max` characters at spaces (a longer word stays
/// whole on its own line).
fn wrap(label: &str, max: usize) -> Vec<String> {
    let mut lines: Vec<String> = Vec::new();
    for word in label.split_whitespace() {
        match lines.last_mut() {
            Some(line) if line.chars().count() + 1 + word.chars().count() <= max => {
                line.push(' ');
                line.push_str(word);
            }
            _ => lines.push(word.to_string()),
        }
    }
    if lines.is_empty() {
        lines.push(String::new());
    }
    lines
}

/// Shares (0–100 %) as horizontal bars, one per answer, each with its 95% interval drawn
/// as a dark line with end ticks across the bar. The label stands above its bar, so long
/// Dutch answer texts fit; the chart is narrow ([`SHARE_WIDTH`]) for phones. The `title`
/// is not drawn (the page shows the question as a heading) but names the chart for
/// screen readers, and the `desc` states every share with its interval in words.
pub fn share_chart(id: &str, title: &str, desc: &str, bars: &[ShareBar]) -> String {
    let (left, right, top) = (4.0, 60.0, 6.0);
    let line_h = 16.0;
    let bar_h = 16.0;
    let gap = 12.0;
    let plot_w = SHARE_WIDTH - left - right;
    let x = |v: f64| left + v.clamp(0.0, 1.0) * plot_w;
    let wrapped: Vec<Vec<String>> = bars.iter().map(|b| wrap(&b.label, 44)).collect();
    let rows_h: f64 = wrapped
        .iter()
        .map(|l| l.len() as f64 * line_h + bar_h + gap)
        .sum();
    let axis_y = top + rows_h.max(bar_h + gap);
    let height = axis_y + 22.0;
    let sentence = bars
        .iter()
        .map(|b| match (b.share, b.ci95) {
            (Some(_), Some(ci)) => format!(
                "{}: {} (95%-interval {} tot {})",
                b.label,
                b.value_label,
                nl::percent(ci[0], 0),
                nl::percent(ci[1], 0)
            ),
            _ => format!("{}: {}", b.label, b.value_label),
        })
        .collect::<Vec<_>>()
        .join("; ");
    let full_desc = if bars.is_empty() {
        format!("{desc} Geen gegevens.")
    } else {
        format!("{desc} {sentence}.")
    };
    let eid = escape(id);
    let mut out = String::new();
    let _ = write!(
        out,
        "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 {SHARE_WIDTH:.0} {height:.0}\" width=\"{SHARE_WIDTH:.0}\" height=\"{height:.0}\" role=\"img\" aria-labelledby=\"{eid}-title {eid}-desc\" font-family=\"sans-serif\" font-size=\"13\">\n<title id=\"{eid}-title\">{}</title>\n<desc id=\"{eid}-desc\">{}</desc>\n",
        escape(title),
        escape(&full_desc)
    );
    // Grid at 0, 25, 50, 75 and 100 %.
    for i in 0..=4 {
        let v = i as f64 / 4.0;
        let anchor = match i {
            0 => "start",
            4 => "end",
            _ => "middle",
        };
        let _ = writeln!(
            out,
            "<line x1=\"{xx:.1}\" y1=\"{top:.1}\" x2=\"{xx:.1}\" y2=\"{axis_y:.1}\" stroke=\"{GRID}\"/><text x=\"{xx:.1}\" y=\"{ty:.1}\" text-anchor=\"{anchor}\" fill=\"{MUTED}\">{}</text>",
            nl::percent(v, 0),
            xx = x(v),
            ty = axis_y + 16.0
        );
    }
    let mut y = top;
    for (b, lines) in bars.iter().zip(&wrapped) {
        let _ = write!(
            out,
            "<g><title>{}: {}</title>",
            escape(&b.label),
            escape(&b.value_label)
        );
        for line in lines {
            y += line_h;
            let _ = write!(
                out,
                "<text x=\"{left:.1}\" y=\"{:.1}\" fill=\"{TEXT}\">{}</text>",
                y - 4.0,
                escape(line)
            );
        }
        let mid = y + bar_h / 2.0;
        match b.share {
            Some(s) => {
                let mut label_x = x(s);
                let _ = write!(
                    out,
                    "<rect x=\"{left:.1}\" y=\"{y:.1}\" width=\"{:.1}\" height=\"{bar_h:.1}\" fill=\"{BAR_FILL}\"/>",
                    x(s) - left
                );
                if let Some([lo, hi]) = b.ci95 {
                    let (x1, x2) = (x(lo), x(hi));
                    label_x = label_x.max(x2);
                    // A white halo under the dark line keeps it visible on the bar.
                    let d = format!(
                        "M{x1:.1} {:.1}V{:.1}M{x1:.1} {mid:.1}H{x2:.1}M{x2:.1} {:.1}V{:.1}",
                        mid - 5.0,
                        mid + 5.0,
                        mid - 5.0,
                        mid + 5.0
                    );
                    let _ = write!(
                        out,
                        "<path d=\"{d}\" stroke=\"#ffffff\" stroke-width=\"4\" fill=\"none\"/><path d=\"{d}\" stroke=\"{TEXT}\" stroke-width=\"1.5\" fill=\"none\"/>"
                    );
                }
                let _ = write!(
                    out,
                    "<text x=\"{:.1}\" y=\"{:.1}\" fill=\"{TEXT}\">{}</text>",
                    label_x + 4.0,
                    mid + 4.5,
                    escape(&b.value_label)
                );
            }
            None => {
                let _ = write!(
                    out,
                    "<text x=\"{left:.1}\" y=\"{:.1}\" fill=\"{MUTED}\">{}</text>",
                    mid + 4.5,
                    escape(&b.value_label)
                );
            }
        }
        out.push_str("</g>\n");
        y += bar_h + gap;
    }
    out.push_str("</svg>\n");
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn heatmap_shades_cells_and_marks_peaks() {
        let h = Heatmap {
            id: "hm".into(),
            title: "Bezetting".into(),
            desc: "Mensen per uur".into(),
            row_labels: vec!["ma".into(), "di".into()],
            col_labels: vec!["0".into(), "1".into(), "2".into()],
            values: vec![vec![0.0, 2.0, 4.0], vec![1.0, 1.5, 0.0]],
            marked: vec![(0, 2)],
            unit: "mensen".into(),
        };
        let svg = heatmap(&h);
        assert_eq!(svg.matches("<rect").count(), 7, "6 cells and the legend");
        assert!(svg.contains("ma 2: 4 mensen (piek)"), "{svg}");
        assert!(
            svg.contains("fill=\"#2f6f8f\""),
            "the highest cell is darkest"
        );
        assert!(svg.contains("fill=\"#f7f7f7\""), "zero is near-white");
        assert_eq!(svg, heatmap(&h), "deterministic");
    }

    #[test]
    fn share_chart_draws_bars_intervals_and_hidden_answers() {
        let bars = vec![
            ShareBar {
                label: "Ja, onder voorwaarden".into(),
                share: Some(0.31),
                ci95: Some([0.23, 0.41]),
                value_label: "31%".into(),
            },
            ShareBar {
                label: "Nee & nooit".into(),
                share: None,
                ci95: None,
                value_label: "verborgen".into(),
            },
            ShareBar {
                label: "Een heel lang antwoord dat niet op één regel past omdat het zo lang is"
                    .into(),
                share: Some(0.0),
                ci95: Some([0.0, 0.04]),
                value_label: "0%".into(),
            },
        ];
        let svg = share_chart("q1", "Bereidheid", "Aandeel per antwoord.", &bars);
        assert_eq!(
            svg.matches("<rect").count(),
            2,
            "no bar for the hidden answer"
        );
        assert_eq!(
            svg.matches("stroke-width=\"1.5\"").count(),
            2,
            "an interval per shown bar"
        );
        assert!(
            svg.contains("<title id=\"q1-title\">Bereidheid</title>"),
            "{svg}"
        );
        assert!(
            svg.contains("Ja, onder voorwaarden: 31% (95%-interval 23% tot 41%)"),
            "{svg}"
        );
        assert!(svg.contains("Nee &amp; nooit: verborgen"), "{svg}");
        // The long label is wrapped over two lines; nothing is wider than the chart.
        assert!(
            svg.contains(">Een heel lang antwoord dat niet op één regel<"),
            "{svg}"
        );
        assert!(svg.contains(">past omdat het zo lang is<"), "{svg}");
        assert!(svg.contains("viewBox=\"0 0 360 "), "{svg}");
        assert_eq!(
            svg,
            share_chart("q1", "Bereidheid", "Aandeel per antwoord.", &bars)
        );
    }

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

    fn bars() -> Vec<Bar> {
        vec![
            Bar {
                label: "Noord".into(),
                value: Some(24.5),
                value_label: "24,5 uur".into(),
            },
            Bar {
                label: "Zuid & Oost".into(),
                value: None,
                value_label: "te klein om te tonen".into(),
            },
            Bar {
                label: "West".into(),
                value: Some(31.0),
                value_label: "31 uur".into(),
            },
        ]
    }

    #[test]
    fn text_is_escaped() {
        let svg = bar_chart(
            "x",
            "A <b> & \"c\"",
            "d",
            &[Bar {
                label: "<script>".into(),
                value: Some(1.0),
                value_label: "1".into(),
            }],
            Some(&Reference {
                value: 0.5,
                label: "r&d".into(),
            }),
        );
        assert!(!svg.contains("<script>"));
        assert!(!svg.contains("<b>"));
        assert!(svg.contains("&lt;script&gt;"));
        assert!(svg.contains("r&amp;d"));
    }

    #[test]
    fn bar_chart_snapshot() {
        let reference = Reference {
            value: 26.1,
            label: "sector 26,1 uur".into(),
        };
        let svg = bar_chart(
            "b",
            "Uren per team",
            "Gemiddelde uren.",
            &bars(),
            Some(&reference),
        );
        assert!(svg.contains("<title id=\"b-title\">Uren per team</title>"));
        assert!(svg.contains("aria-labelledby=\"b-title b-desc\""));
        insta::assert_snapshot!(svg);
    }

    #[test]
    fn horizontal_bar_chart_snapshot() {
        insta::assert_snapshot!(horizontal_bar_chart(
            "h",
            "Uren per team",
            "Gemiddelde uren.",
            &bars(),
            None
        ));
    }

    /// Issue 33: the PNIL chart's month labels overlapped. At any number of months no two
    /// shown labels come closer than their width, and the first and last are shown.
    #[test]
    fn line_chart_x_labels_never_overlap() {
        for n in 1..=60usize {
            let points: Vec<(String, f64)> = (0..n)
                .map(|i| {
                    (
                        format!("{} {}", nl::month_short((i % 12) as u32 + 1), 2024 + i / 12),
                        1000.0 + i as f64,
                    )
                })
                .collect();
            let svg = line_chart("p", "Kosten", "Per maand.", &points, nl::euro);
            // The x-axis labels: the text elements anchored in the middle.
            let xs: Vec<f64> = svg
                .split("<text ")
                .skip(1)
                .filter_map(|el| {
                    let tag = &el[..el.find('>')?];
                    if !tag.contains("text-anchor=\"middle\"") {
                        return None;
                    }
                    let x = tag.strip_prefix("x=\"")?;
                    x[..x.find('"')?].parse().ok()
                })
                .collect();
            let expected_first = points.first().map(|p| p.0.as_str()).unwrap();
            let expected_last = points.last().map(|p| p.0.as_str()).unwrap();
            assert!(svg.contains(&format!(">{expected_first}</text>")), "n={n}");
            assert!(svg.contains(&format!(">{expected_last}</text>")), "n={n}");
            for w in xs.windows(2) {
                assert!(
                    w[1] - w[0] >= x_label_room("sep 2024") - 0.01,
                    "n={n}: labels at {} and {} overlap",
                    w[0],
                    w[1]
                );
            }
        }
    }

    #[test]
    fn line_chart_snapshot() {
        let points: Vec<(String, f64)> = (1..=14)
            .map(|m| {
                (
                    format!("{} 2026", nl::month_short((m - 1) % 12 + 1)),
                    f64::from(m * 1250),
                )
            })
            .collect();
        let svg = line_chart("l", "Kosten", "Per maand.", &points, |v| {
            format!("€ {}", nl::decimal_f64(v, 0))
        });
        assert!(svg.contains("€ 17.500"));
        insta::assert_snapshot!(svg);
    }

    #[test]
    fn stacked_bar_chart_snapshot_hides_incomplete_bars() {
        let labels = vec!["2025".to_owned(), "2026".to_owned(), "Team X".to_owned()];
        let series = vec![
            Series {
                name: "Vast".into(),
                colour: "#2f6f8f".into(),
                values: vec![Some(120.0), Some(130.0), Some(3.0)],
            },
            Series {
                name: "Flex".into(),
                colour: "#b03a2e".into(),
                values: vec![Some(30.0), Some(20.0), None],
            },
        ];
        let svg = stacked_bar_chart(
            "s",
            "Medewerkers",
            "Vast en flexibel.",
            &labels,
            &series,
            "te klein om te tonen",
            |v| nl::decimal_f64(v, 0),
        );
        // The suppressed bar shows neither its segments nor its total.
        assert!(svg.contains("Team X: te klein om te tonen"));
        assert!(!svg.contains("Vast: 3<"));
        assert!(svg.contains("2026: Vast 130, Flex 20"));
        insta::assert_snapshot!(svg);
    }

    #[test]
    fn curve_chart_snapshot() {
        let curve = Curve {
            id: "grafiek".into(),
            title: "Netto per maand bij 0 tot 40 uur per week".into(),
            desc: "De lijn laat zien hoeveel je overhoudt.".into(),
            x_max: 40,
            x_tick: 8,
            x_label: "uren per week".into(),
            points: vec![
                (0.0, Some(1400.0)),
                (8.0, Some(1650.0)),
                (16.0, None),
                (24.0, Some(2100.0)),
                (32.0, Some(2150.0)),
                (40.0, Some(2500.0)),
            ],
            bands: vec![Band {
                from: 24.0,
                to: 32.0,
                title: "Klif: 24 naar 32 uur".into(),
            }],
            markers: vec![
                Marker {
                    x: 24.0,
                    y: 2100.0,
                    label: "nu".into(),
                    colour: "#1b2430".into(),
                },
                Marker {
                    x: 48.0,
                    y: 2600.0,
                    label: "buiten beeld".into(),
                    colour: "#1f6b34".into(),
                },
            ],
        };
        let svg = curve_chart(&curve);
        assert!(svg.contains("M84.0,"), "line starts");
        assert!(svg.contains(" M"), "line broken at the gap");
        assert!(!svg.contains("buiten beeld"));
        assert!(svg.contains("€ 2.500"));
        insta::assert_snapshot!(svg);
    }
}
