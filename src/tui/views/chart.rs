//! A line chart drawn with characters, readable at 80×24 and in any terminal: a labelled
//! count axis with its scale, the months on the time axis, and the points joined. The same
//! drawing in UTF-8 (`●`, `·`, box lines) and ASCII (`*`, `.`, `|`, `-`); told apart by
//! shape, not colour, so `NO_COLOR` loses nothing.

use chrono::{Datelike, NaiveDate};
use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::style::Style;

use crate::tui::app::App;

/// One series: a count on each date.
pub struct Series<'a> {
    pub points: &'a [u64],
    pub dates: &'a [NaiveDate],
}

/// Swedish month abbreviations, January first.
const MONTHS: [&str; 12] = [
    "jan", "feb", "mar", "apr", "maj", "jun", "jul", "aug", "sep", "okt", "nov", "dec",
];

/// The axis's range: from zero, or, when every value is well above zero, from a round
/// number below the lowest, so that a change of a few cases shows; always labelled.
fn range(min: u64, max: u64) -> (u64, u64) {
    let hi = max.max(1);
    if min.saturating_mul(2) <= max {
        return (0, hi);
    }
    let span = (max - min).max(1);
    let step = 10_u64.pow(span.ilog10());
    let lo = (min / step).saturating_sub(1) * step;
    (lo, hi.max(lo + 1))
}

/// One line of a chart of several: its name in the legend and its counts.
pub struct Named<'a> {
    pub label: &'a str,
    pub points: &'a [u64],
}

/// The markers of a chart's lines, in order: told apart by shape, so that `NO_COLOR`
/// loses nothing.
const MARKERS: [&str; 4] = ["●", "▲", "■", "◆"];
const ASCII_MARKERS: [&str; 4] = ["*", "+", "o", "x"];

/// The style of line `i`: the first in the title's colour, the others in their own.
fn line_style(app: &App, i: usize) -> Style {
    use ratatui::style::Color;
    if !app.theme.color {
        return Style::new();
    }
    match i {
        0 => app.theme.title(),
        1 => Style::new().fg(Color::Magenta),
        2 => Style::new().fg(Color::Yellow),
        _ => Style::new().fg(Color::Green),
    }
}

/// Draws `series` in `area`: a line of figures at the top (the latest, the lowest and the
/// highest), the chart, the time axis and its labels.
pub fn line(app: &App, area: Rect, buf: &mut Buffer, series: &Series<'_>) {
    lines(
        app,
        area,
        buf,
        series.dates,
        &[Named {
            label: "",
            points: series.points,
        }],
    );
}

/// Draws several lines over the same dates in `area`, each with its marker (a legend with
/// each line's latest count at the top); one line without a label is drawn as [`line`]
/// describes.
pub fn lines(app: &App, area: Rect, buf: &mut Buffer, dates: &[NaiveDate], series: &[Named<'_>]) {
    // Taller than this, a month's step is lost between rows: the rest stays empty.
    let area = Rect {
        height: area.height.min(16),
        ..area
    };
    let ascii = app.theme.ascii;
    let n = series
        .iter()
        .map(|s| s.points.len())
        .min()
        .unwrap_or(0)
        .min(dates.len());
    let dates = &dates[..n];
    let all = || series.iter().flat_map(|s| s.points[..n].iter().copied());
    let (Some(min), Some(max), Some(&last_day)) = (all().min(), all().max(), dates.last()) else {
        buf.set_string(area.x, area.y, "Ingen serie", Style::new());
        return;
    };
    let sep = app.theme.sep();
    if let [one] = series
        && one.label.is_empty()
    {
        let last = one.points[n - 1];
        let summary = format!("senast {last} ({last_day}){sep}lägst {min}{sep}högst {max}");
        buf.set_stringn(
            area.x,
            area.y,
            app.txt(&summary),
            usize::from(area.width),
            Style::new(),
        );
    } else {
        // The legend: each line's marker, name and latest count.
        let mut x = area.x;
        let end = area.x + area.width;
        let head = format!("{last_day}: ");
        buf.set_stringn(x, area.y, &head, usize::from(area.width), Style::new());
        x += u16::try_from(head.len()).unwrap_or(0);
        for (i, s) in series.iter().enumerate() {
            let part = format!(
                "{}{} {} {}",
                if i == 0 { "" } else { "  " },
                self::marker(app, i),
                app.txt(s.label),
                s.points[n - 1]
            );
            if x >= end {
                break;
            }
            buf.set_stringn(x, area.y, &part, usize::from(end - x), line_style(app, i));
            x += u16::try_from(crate::text::width(&part)).unwrap_or(u16::MAX);
        }
    }
    let (lo, hi) = range(min, max);
    let label_w = u16::try_from(hi.to_string().len()).unwrap_or(5) + 1;
    // Rows: the figures line, the plot, the axis line, the labels.
    if area.height < 5 || area.width < label_w + 12 {
        return;
    }
    let plot = Rect {
        x: area.x + label_w + 1,
        y: area.y + 1,
        width: area.width - label_w - 1,
        height: area.height - 3,
    };
    let axis_y = plot.y + plot.height;
    let (vertical, corner, horizontal, dot) = if ascii {
        ("|", "+", "-", ".")
    } else {
        ("│", "└", "─", "·")
    };
    // The count axis: its line, and the top, middle and bottom of the scale.
    for y in plot.y..axis_y {
        buf.set_string(plot.x - 1, y, vertical, app.theme.dim());
    }
    buf.set_string(plot.x - 1, axis_y, corner, app.theme.dim());
    for x in plot.x..plot.x + plot.width {
        buf.set_string(x, axis_y, horizontal, app.theme.dim());
    }
    let row_of = |v: u64| -> u16 {
        let h = u64::from(plot.height.saturating_sub(1));
        let above = (v.saturating_sub(lo) * h + (hi - lo) / 2) / (hi - lo).max(1);
        axis_y - 1 - u16::try_from(above.min(h)).unwrap_or(0)
    };
    let mid = lo + (hi - lo) / 2;
    for tick in [hi, mid, lo] {
        let text = format!("{tick:>w$}", w = usize::from(label_w - 1));
        buf.set_string(area.x, row_of(tick), text, app.theme.dim());
    }
    // The points, joined: each column between two points at the height between them.
    let col_of = |k: usize| -> u16 {
        if n < 2 {
            return plot.x;
        }
        let w = usize::from(plot.width.saturating_sub(1));
        plot.x + u16::try_from(k * w / (n - 1)).unwrap_or(0)
    };
    let single = series.len() == 1;
    let braille = (!ascii).then(|| Braille::new(plot, lo, hi));
    if let Some(mut dots) = braille.clone() {
        // UTF-8: the lines in Braille dots, two across and four down a cell.
        for (i, s) in series.iter().enumerate() {
            let at: Vec<(i64, i64)> = (0..n).map(|k| dots.point(k, n, s.points[k])).collect();
            for (k, &a) in at.iter().enumerate() {
                dots.line(at[k.saturating_sub(1)], a, i);
            }
        }
        let styles: Vec<Style> = (0..series.len())
            .map(|i| {
                if single {
                    Style::new()
                } else {
                    line_style(app, i)
                }
            })
            .collect();
        dots.render(buf, &styles);
    }
    for (i, s) in series.iter().enumerate() {
        if braille.is_some() {
            break;
        }
        let style = if single {
            Style::new()
        } else {
            line_style(app, i)
        };
        for k in 1..n {
            let (x0, x1) = (col_of(k - 1), col_of(k));
            let (y0, y1) = (
                f64::from(row_of(s.points[k - 1])),
                f64::from(row_of(s.points[k])),
            );
            for x in x0 + 1..x1 {
                let t = f64::from(x - x0) / f64::from(x1 - x0);
                let y = (y0 + (y1 - y0) * t).round();
                // Between the plot's first and last row, so the cast cannot wrap.
                let y = y.clamp(f64::from(plot.y), f64::from(axis_y - 1)) as u16;
                buf.set_string(x, y, dot, style);
            }
            // More points than columns: each point where it falls (the joins above are
            // between columns only).
            if x0 == x1 {
                buf.set_string(x1, row_of(s.points[k]), dot, style);
                buf.set_string(x0, row_of(s.points[k - 1]), dot, style);
            }
        }
    }
    // The markers: on every point where they stand apart; else one line's only on its last
    // point, and several lines' on every few points (the last always), some eight columns
    // apart, so that they are told apart without colour and the dots between still read.
    let apart = if n * 3 <= usize::from(plot.width) {
        1
    } else if single {
        n
    } else {
        8
    };
    let stride = (n * apart).div_ceil(usize::from(plot.width).max(1)).max(1);
    for (i, s) in series.iter().enumerate() {
        for (k, &v) in s.points[..n].iter().enumerate() {
            if k % stride != (n - 1) % stride {
                continue;
            }
            let (x, y) = match &braille {
                Some(dots) => dots.cell_of(dots.point(k, n, v)),
                None => (col_of(k), row_of(v)),
            };
            buf.set_string(
                x,
                y,
                self::marker(app, i),
                if single {
                    app.theme.title()
                } else {
                    line_style(app, i)
                },
            );
        }
    }
    // The months: each January as its year, the first point as its month; none over
    // another.
    let mut free_from = plot.x;
    for (k, d) in dates.iter().enumerate() {
        let label = if k == 0 && d.month() != 1 {
            format!("{} {:02}", MONTHS[d.month0() as usize], d.year() % 100)
        } else if d.month() == 1 {
            d.year().to_string()
        } else {
            continue;
        };
        let x = col_of(k);
        let width = u16::try_from(label.len()).unwrap_or(u16::MAX);
        if x < free_from || x + width > plot.x + plot.width {
            continue;
        }
        buf.set_string(x, axis_y + 1, &label, app.theme.dim());
        free_from = x + width + 1;
    }
}

/// A canvas of Braille dots over a plot: two dots across and four down each cell, so a
/// line of many points keeps its shape where one character a point would not.
#[derive(Debug, Clone)]
struct Braille {
    plot: Rect,
    lo: u64,
    hi: u64,
    /// Per cell, row by row: its dots (the bits of U+2800) and the last line drawn in it.
    cells: Vec<(u8, usize)>,
}

impl Braille {
    fn new(plot: Rect, lo: u64, hi: u64) -> Self {
        Self {
            plot,
            lo,
            hi,
            cells: vec![(0, 0); usize::from(plot.width) * usize::from(plot.height)],
        }
    }

    fn size(&self) -> (i64, i64) {
        (
            i64::from(self.plot.width) * 2,
            i64::from(self.plot.height) * 4,
        )
    }

    /// The dot of point `k` of `n`, of value `v`: spread over the width, scaled from `lo`
    /// (the bottom row) to `hi` (the top).
    fn point(&self, k: usize, n: usize, v: u64) -> (i64, i64) {
        let (w, h) = self.size();
        let x = if n < 2 {
            0
        } else {
            i64::try_from(k).unwrap_or(0) * (w - 1) / i64::try_from(n - 1).unwrap_or(1)
        };
        let span = self.hi.saturating_sub(self.lo).max(1);
        let above = (v.saturating_sub(self.lo).min(span) * u64::try_from(h - 1).unwrap_or(0)
            + span / 2)
            / span;
        (x, h - 1 - i64::try_from(above).unwrap_or(0))
    }

    /// The cell a dot is in.
    fn cell_of(&self, (x, y): (i64, i64)) -> (u16, u16) {
        let (w, h) = self.size();
        let (x, y) = (x.clamp(0, w - 1), y.clamp(0, h - 1));
        (
            self.plot.x + u16::try_from(x / 2).unwrap_or(0),
            self.plot.y + u16::try_from(y / 4).unwrap_or(0),
        )
    }

    fn set(&mut self, (x, y): (i64, i64), line: usize) {
        let (w, h) = self.size();
        if !(0..w).contains(&x) || !(0..h).contains(&y) {
            return;
        }
        const BITS: [[u8; 4]; 2] = [[0x01, 0x02, 0x04, 0x40], [0x08, 0x10, 0x20, 0x80]];
        let cell = usize::try_from((y / 4) * (w / 2) + x / 2).unwrap_or(usize::MAX);
        if let Some(c) = self.cells.get_mut(cell) {
            c.0 |= BITS[usize::try_from(x % 2).unwrap_or(0)][usize::try_from(y % 4).unwrap_or(0)];
            c.1 = line;
        }
    }

    /// The dots from `a` to `b` (Bresenham's line).
    fn line(&mut self, a: (i64, i64), b: (i64, i64), line: usize) {
        let (mut x, mut y) = a;
        let (dx, dy) = ((b.0 - x).abs(), -(b.1 - y).abs());
        let (sx, sy) = (if x < b.0 { 1 } else { -1 }, if y < b.1 { 1 } else { -1 });
        let mut err = dx + dy;
        loop {
            self.set((x, y), line);
            if (x, y) == b {
                return;
            }
            let e2 = 2 * err;
            if e2 >= dy {
                err += dy;
                x += sx;
            }
            if e2 <= dx {
                err += dx;
                y += sy;
            }
        }
    }

    /// Writes the cells with dots, each in the style of the last line drawn in it.
    fn render(&self, buf: &mut Buffer, styles: &[Style]) {
        let width = usize::from(self.plot.width).max(1);
        for (i, &(bits, line)) in self.cells.iter().enumerate() {
            if bits == 0 {
                continue;
            }
            let (Ok(cx), Ok(cy)) = (u16::try_from(i % width), u16::try_from(i / width)) else {
                continue;
            };
            let ch = char::from_u32(0x2800 + u32::from(bits)).unwrap_or('·');
            buf.set_string(
                self.plot.x + cx,
                self.plot.y + cy,
                ch.to_string(),
                styles.get(line).copied().unwrap_or_default(),
            );
        }
    }
}

/// A figure for each period of a review: the points with their values, a target line, the
/// periods under the axis and the share within target under them.
pub struct PeriodChart<'a> {
    /// Each period's label under its point: the long ("Q4 14") where there is room for all,
    /// else the short ("Q4").
    pub labels: &'a [(String, String)],
    /// The figure of each period (`None`: no decisions in it).
    pub values: &'a [Option<f64>],
    /// The share within target of each period, 0–1 (empty: no row of shares).
    pub shares: &'a [Option<f64>],
    /// The chosen period, shown reversed under the axis.
    pub selected: usize,
    /// The target line: its height on the axis and its label at the line's end.
    pub target: Option<(f64, String)>,
    /// The figures line above the chart: as many of its parts as fit.
    pub summary: Vec<String>,
    /// The unit after the axis's figures (`d`, `%`; empty for none).
    pub unit: &'a str,
    /// Lines beside the figures' (the review's per kön): a name and a figure per period,
    /// each drawn with its own marker ([`marker`] `1 + i`) and without its figures written.
    pub parts: &'a [(String, Vec<Option<f64>>)],
}

/// The marker of line `i` of a chart (0: the first, the whole).
#[must_use]
pub fn marker(app: &App, i: usize) -> &'static str {
    let markers = if app.theme.ascii {
        ASCII_MARKERS
    } else {
        MARKERS
    };
    markers[i % markers.len()]
}

/// A figure as the chart shows it: whole where it is whole, else one decimal ("17,5").
fn short_days(v: f64) -> String {
    if (v - v.round()).abs() < 0.05 {
        format!("{v:.0}")
    } else {
        format!("{v:.1}").replace('.', ",")
    }
}

/// The scale of a day axis: from zero, or, where every figure is well above zero, from a
/// round step below the lowest (so that 17 and 20 days read apart), to a round step at or
/// above the highest; steps of 1, 2, 5 × 10ⁿ, at most `ticks` of them. Returns (low, high,
/// step).
fn day_scale(min: f64, max: f64, ticks: u16) -> (f64, f64, f64) {
    let ticks = f64::from(ticks.max(1));
    // Whole days at least; a smaller unit where the figures span less than one.
    let span = max - min.min(max);
    // Not below a tenth: the figures are written with one decimal.
    let mut step: f64 = if span >= 1.0 || max >= 10.0 || max <= 0.0 {
        1.0
    } else {
        10_f64.powf(span.max(max).log10().floor() - 1.0).max(0.1)
    };
    loop {
        for m in [1.0, 2.0, 5.0] {
            let s = step * m;
            let lo = if min * 2.0 <= max {
                0.0
            } else {
                (min / s).floor() * s
            };
            let hi = ((max / s).ceil() * s).max(lo + s);
            if (hi - lo) / s <= ticks + 1e-9 {
                return (lo, hi, s);
            }
        }
        step *= 10.0;
    }
}

/// Draws a [`PeriodChart`] in `area`: the figures line, the chart with its day axis, the
/// periods under it and, where there is room, the share within target under them.
pub fn periods(app: &App, area: Rect, buf: &mut Buffer, chart: &PeriodChart<'_>) {
    let ascii = app.theme.ascii;
    let mut summary = String::new();
    for part in &chart.summary {
        let next = if summary.is_empty() {
            part.clone()
        } else {
            format!("{summary}{}{part}", app.theme.sep())
        };
        if crate::text::width(&next) > usize::from(area.width) && !summary.is_empty() {
            break;
        }
        summary = next;
    }
    buf.set_stringn(
        area.x,
        area.y,
        app.txt(&summary),
        usize::from(area.width),
        Style::new(),
    );
    let n = chart.values.len().min(chart.labels.len());
    if n == 0 || area.height < 6 || area.width < 24 {
        return;
    }
    let with_shares = !chart.shares.is_empty() && area.height >= 8;
    let below = if with_shares { 3 } else { 2 };
    let plot_h = area.height - 1 - below;
    let figures = || {
        chart
            .values
            .iter()
            .flatten()
            .copied()
            .chain(chart.target.as_ref().map(|t| t.0))
            .chain(
                chart
                    .parts
                    .iter()
                    .flat_map(|p| p.1.iter().flatten().copied()),
            )
    };
    let max = figures().fold(0.0_f64, f64::max);
    let min = figures().fold(max, f64::min);
    let (lo, hi, step) = day_scale(min, max, (plot_h.saturating_sub(1) / 2).max(1));
    let ticks: Vec<f64> = (0..)
        .map(|i| lo + f64::from(i) * step)
        .take_while(|v| *v <= hi + 1e-9)
        .collect();
    let tick_labels: Vec<String> = ticks
        .iter()
        .map(|v| {
            if chart.unit.is_empty() {
                short_days(*v)
            } else {
                format!("{} {}", short_days(*v), chart.unit)
            }
        })
        .collect();
    let margin = tick_labels
        .iter()
        .map(|t| crate::text::width(t))
        .max()
        .unwrap_or(0)
        .max(4);
    let margin = u16::try_from(margin).unwrap_or(6) + 1;
    // The target line's label stands after its end, outside the points' way.
    let target_label = chart.target.as_ref().map(|t| app.txt(&t.1).into_owned());
    let label_room = target_label
        .as_ref()
        .map_or(0, |l| u16::try_from(crate::text::width(l)).unwrap_or(0) + 1);
    let plot = Rect {
        x: area.x + margin + 1,
        y: area.y + 1,
        width: area.width.saturating_sub(margin + 1 + label_room),
        height: plot_h,
    };
    let axis_y = plot.y + plot.height;
    let (vertical, corner, horizontal, dot, marker, target_dash) = if ascii {
        ("|", "+", "-", ".", "*", "- ")
    } else {
        ("│", "└", "─", "·", "●", "┄")
    };
    for y in plot.y..axis_y {
        buf.set_string(plot.x - 1, y, vertical, app.theme.dim());
    }
    buf.set_string(plot.x - 1, axis_y, corner, app.theme.dim());
    for x in plot.x..plot.x + plot.width {
        buf.set_string(x, axis_y, horizontal, app.theme.dim());
    }
    let row_of = |v: f64| -> u16 {
        let h = f64::from(plot.height.saturating_sub(1));
        let above = ((v - lo).max(0.0) / (hi - lo) * h).round().clamp(0.0, h);
        // Within the plot's rows, so the cast cannot wrap.
        axis_y - 1 - above as u16
    };
    for (tick, label) in ticks.iter().zip(&tick_labels) {
        let text = format!("{label:>w$}", w = usize::from(margin - 1));
        buf.set_string(area.x, row_of(*tick), text, app.theme.dim());
    }
    // The points, spread over the width, half a label in from each end.
    let long_fits = {
        let widest = chart.labels[..n]
            .iter()
            .map(|l| crate::text::width(&l.0))
            .max()
            .unwrap_or(0);
        n < 2 || usize::from(plot.width) / n > widest
    };
    let label_of = |k: usize| -> &str {
        if long_fits {
            &chart.labels[k].0
        } else {
            &chart.labels[k].1
        }
    };
    let pad = u16::try_from(crate::text::width(label_of(0)).div_ceil(2)).unwrap_or(2);
    let col_of = |k: usize| -> u16 {
        let w = usize::from(plot.width.saturating_sub(2 * pad + 1));
        if n < 2 {
            return plot.x + pad;
        }
        plot.x + pad + u16::try_from(k * w / (n - 1)).unwrap_or(0)
    };
    if let (Some((days, _)), Some(label)) = (&chart.target, target_label) {
        let y = row_of(*days);
        let mut x = plot.x;
        while x < plot.x + plot.width {
            buf.set_stringn(
                x,
                y,
                target_dash,
                usize::from(plot.x + plot.width - x),
                app.theme.area_heading(),
            );
            x += u16::try_from(crate::text::width(target_dash)).unwrap_or(1);
        }
        buf.set_string(plot.x + plot.width + 1, y, label, app.theme.area_heading());
    }
    // A line's points joined where both neighbours have a figure.
    let joins = |buf: &mut Buffer, point: &dyn Fn(usize) -> Option<f64>, style: Style| {
        for k in 1..n {
            let (Some(a), Some(b)) = (point(k - 1), point(k)) else {
                continue;
            };
            let (x0, x1) = (col_of(k - 1), col_of(k));
            let (y0, y1) = (f64::from(row_of(a)), f64::from(row_of(b)));
            for x in x0 + 1..x1 {
                let t = f64::from(x - x0) / f64::from(x1 - x0);
                let y = (y0 + (y1 - y0) * t).round();
                let y = y.clamp(f64::from(plot.y), f64::from(axis_y - 1)) as u16;
                buf.set_string(x, y, dot, style);
            }
        }
    };
    joins(buf, &|k| chart.values[k], app.theme.dim());
    for k in 0..n {
        let x = col_of(k);
        let style = if k == chart.selected {
            app.theme.selected()
        } else {
            Style::new()
        };
        // The label under the axis, centred on its point.
        let label = label_of(k);
        let lw = u16::try_from(crate::text::width(label)).unwrap_or(0);
        buf.set_string(x.saturating_sub(lw / 2), axis_y + 1, label, style);
        if with_shares {
            let share =
                chart.shares[k].map_or_else(|| "–".to_string(), |s| format!("{:.0}%", s * 100.0));
            let sw = u16::try_from(share.len()).unwrap_or(0);
            if n < 2 || col_of(1) - col_of(0) > sw {
                buf.set_string(x.saturating_sub(sw / 2), axis_y + 2, share, Style::new());
            }
        }
        let Some(v) = chart.values[k] else {
            continue;
        };
        let y = row_of(v);
        buf.set_string(x, y, marker, app.theme.title());
        // The figure above its point (below it where the point is at the top); with parts
        // drawn over them the figures would be cut, and the legend has the chosen period's.
        if !chart.parts.is_empty() {
            continue;
        }
        let text = short_days(v);
        let tw = u16::try_from(text.len()).unwrap_or(0);
        let ty = if y > plot.y { y - 1 } else { y + 1 };
        if ty < axis_y {
            buf.set_string(x.saturating_sub(tw / 2), ty, text, style);
        }
    }
    // The parts: their joins and markers, over the whole's (asked for, they are what the
    // eye looks for; the whole's figures are in the line above).
    // The first part on top: drawn last (where points share a cell, one marker shows).
    for (i, (_, values)) in chart.parts.iter().enumerate().rev() {
        let style = line_style(app, i + 1);
        let point = |k: usize| values.get(k).copied().flatten();
        joins(buf, &point, style);
        for k in 0..n {
            if let Some(v) = point(k) {
                buf.set_string(col_of(k), row_of(v), self::marker(app, i + 1), style);
            }
        }
    }
    if with_shares {
        buf.set_string(area.x, axis_y + 2, "inom", app.theme.dim());
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_scale_starts_at_zero_unless_every_value_is_well_above_it() {
        assert_eq!(range(0, 0), (0, 1));
        assert_eq!(range(3, 20), (0, 20));
        assert_eq!(range(98, 118), (80, 118));
        assert_eq!(range(105, 108), (104, 108));
        assert_eq!(range(1000, 1000), (999, 1000));
    }

    #[test]
    fn a_day_scale_is_round_steps_around_the_figures() {
        // From zero where the lowest is at most half the highest.
        assert_eq!(day_scale(7.0, 20.0, 3), (0.0, 20.0, 10.0));
        assert_eq!(day_scale(40.0, 92.0, 3), (0.0, 100.0, 50.0));
        assert_eq!(day_scale(0.0, 0.0, 3), (0.0, 1.0, 1.0));
        // Else from a step below the lowest: 17 and 20 days read apart.
        assert_eq!(day_scale(14.0, 20.0, 3), (14.0, 20.0, 2.0));
        assert_eq!(day_scale(17.0, 20.0, 3), (17.0, 20.0, 1.0));
        assert_eq!(day_scale(80.0, 140.0, 6), (80.0, 140.0, 10.0));
        // Small figures (an indicator's 1,7 %): steps of a tenth.
        assert_eq!(day_scale(1.7, 2.6, 3), (1.5, 3.0, 0.5));
    }
}
