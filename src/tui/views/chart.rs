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

/// Draws `series` in `area`: a line of figures at the top (the latest, the lowest and the
/// highest), the chart, the time axis and its labels.
pub fn line(app: &App, area: Rect, buf: &mut Buffer, series: &Series<'_>) {
    // Taller than this, a month's step is lost between rows: the rest stays empty.
    let area = Rect {
        height: area.height.min(16),
        ..area
    };
    let ascii = app.theme.ascii;
    let n = series.points.len().min(series.dates.len());
    let (points, dates) = (&series.points[..n], &series.dates[..n]);
    let (Some(&min), Some(&max), Some(&last), Some(&last_day)) = (
        points.iter().min(),
        points.iter().max(),
        points.last(),
        dates.last(),
    ) else {
        buf.set_string(area.x, area.y, "Ingen serie", Style::new());
        return;
    };
    let sep = app.theme.sep();
    let summary = format!("senast {last} ({last_day}){sep}lägst {min}{sep}högst {max}");
    buf.set_stringn(
        area.x,
        area.y,
        app.txt(&summary),
        usize::from(area.width),
        Style::new(),
    );
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
    let (vertical, corner, horizontal, dot, marker) = if ascii {
        ("|", "+", "-", ".", "*")
    } else {
        ("│", "└", "─", "·", "●")
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
    for k in 1..n {
        let (x0, x1) = (col_of(k - 1), col_of(k));
        let (y0, y1) = (
            f64::from(row_of(points[k - 1])),
            f64::from(row_of(points[k])),
        );
        for x in x0 + 1..x1 {
            let t = f64::from(x - x0) / f64::from(x1 - x0);
            let y = (y0 + (y1 - y0) * t).round();
            // Between the plot's first and last row, so the cast cannot wrap.
            let y = y.clamp(f64::from(plot.y), f64::from(axis_y - 1)) as u16;
            buf.set_string(x, y, dot, Style::new());
        }
    }
    for (k, &v) in points.iter().enumerate() {
        buf.set_string(col_of(k), row_of(v), marker, app.theme.title());
    }
    // The months: each January as its year, the first point as its month; none over
    // another.
    let mut free_from = plot.x;
    for (k, d) in dates.iter().enumerate() {
        let label = if k == 0 && d.month() != 1 {
            format!("{} {}", MONTHS[d.month0() as usize], d.year() % 100)
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
}
