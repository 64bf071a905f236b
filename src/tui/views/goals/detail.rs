//! The detail of one indicator (its series across the years, each period's analys, the
//! rule that gave the status) and the filter popup of the Mål och indikatorer view.

use ratatui::buffer::Buffer;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Paragraph, Widget, Wrap};

use super::{arrows, fit, long, status_mark, trend_mark};
use crate::domain::indicators::{
    Assessed, Point, Span as PeriodSpan, level_label, period_label, with_measure,
};
use crate::report::indicators::cells;
use crate::tui::app::App;
use crate::tui::goals_state::Field;

/// The series as a grid: a line per year with T1, T2, T3 and the full year, then any
/// quarters, months and periods that do not parse.
fn series_lines(app: &App, a: &Assessed, points: &[Point]) -> Vec<Line<'static>> {
    let m = a.indicator.measure.as_deref();
    let mut years: Vec<i32> = points
        .iter()
        .filter_map(|p| p.parsed.map(|q| q.year))
        .collect();
    years.dedup();
    let col = 10;
    let mut lines = vec![Line::from(Span::styled(
        format!(
            "{}{}{}{}{}",
            fit(app, "År", 6, true),
            fit(app, "T1", col, false),
            fit(app, "T2", col, false),
            fit(app, "T3", col, false),
            fit(app, "Helår (VB)", col + 2, false)
        ),
        app.theme.header(),
    ))];
    for y in years {
        let find = |span: PeriodSpan| {
            points
                .iter()
                .find(|p| p.parsed.is_some_and(|q| q.year == y && q.span == span))
                .map_or_else(|| "–".to_string(), |p| with_measure(p.value, m))
        };
        let mut line = fit(app, &y.to_string(), 6, true);
        for t in 1..=3 {
            line.push_str(&fit(app, &find(PeriodSpan::Tertial(t)), col, false));
        }
        line.push_str(&fit(app, &find(PeriodSpan::Year), col + 2, false));
        let style = if y == a.indicator.year {
            app.theme.header()
        } else {
            Style::new()
        };
        lines.push(Line::from(Span::styled(line, style)));
    }
    let others: Vec<String> = points
        .iter()
        .filter(|p| {
            !matches!(
                p.parsed.map(|q| q.span),
                Some(PeriodSpan::Tertial(_) | PeriodSpan::Year)
            )
        })
        .map(|p| format!("{} {}", period_label(&p.period), with_measure(p.value, m)))
        .collect();
    if !others.is_empty() {
        lines.push(Line::from(
            app.txt(&format!("Övriga perioder: {}", others.join(", ")))
                .into_owned(),
        ));
    }
    lines
}

pub(super) fn detail(app: &App, i: usize, area: Rect, buf: &mut Buffer) {
    let s = &app.goals;
    let a = &s.data.indicators[i];
    let ind = &a.indicator;
    let sep = app.theme.sep();
    let head = |t: &str| Span::styled(app.txt(t).into_owned(), app.theme.header());
    let c = cells(a);
    let mut lines = vec![Line::from(Span::styled(
        long(app, &ind.name),
        app.theme.title(),
    ))];
    if let Some(n) = a.node {
        let g = &s.data.nodes[n].goal;
        let code = g
            .code
            .as_deref()
            .map(|c| format!(" {c}"))
            .unwrap_or_default();
        lines.push(Line::from(vec![
            head("Mål: "),
            Span::raw(
                app.txt(&format!("{}{code}: {}", level_label(g.level), g.title))
                    .into_owned(),
            ),
        ]));
    }
    let better = crate::domain::indicators::direction_label(ind.direction);
    let facts = format!(
        "Mått: {}{sep}Periodicitet: {}{sep}{better}",
        ind.measure.as_deref().unwrap_or("–"),
        ind.periodicity.as_deref().unwrap_or("–"),
    );
    lines.push(Line::from(app.txt(&facts).into_owned()));
    let dash = |t: &str| {
        if t.is_empty() {
            "–".to_string()
        } else {
            t.to_string()
        }
    };
    let targets = format!(
        "Årsmål: {}{sep}KF:s årsmål: {}{sep}Utfall föregående år: {}",
        dash(&c[2]),
        dash(&c[3]),
        dash(&c[1])
    );
    lines.push(Line::from(app.txt(&targets).into_owned()));
    let (symbol, style) = status_mark(app, a.status);
    lines.push(Line::from(vec![
        head(&format!("Status {}: ", s.data.year)),
        Span::styled(format!("{symbol} {}", app.txt(a.status.label())), style),
    ]));
    if let Some(since) = &a.since {
        let (arrow, style) = trend_mark(app, Some(since.movement));
        lines.push(Line::from(vec![
            head("Trend: "),
            Span::styled(
                app.txt(&format!(
                    "{arrow} {} än {} ({})",
                    since.movement.label(),
                    period_label(&since.period),
                    with_measure(since.value, ind.measure.as_deref())
                ))
                .into_owned(),
                style,
            ),
        ]));
    }
    lines.push(Line::from(vec![
        head("Regel: "),
        Span::raw(app.txt(&a.explanation).into_owned()),
    ]));
    lines.push(Line::from(""));
    lines.push(Line::from(head("Utfall per period")));
    let points = s.data.series(i);
    lines.extend(series_lines(app, a, &points));
    let comments: Vec<&Point> = points.iter().filter(|p| p.comment.is_some()).collect();
    if !comments.is_empty() {
        lines.push(Line::from(""));
        lines.push(Line::from(head("Analys")));
        for p in comments.iter().rev() {
            let label = period_label(&p.period);
            lines.push(Line::from(vec![
                head(&format!("{label}: ")),
                Span::raw(long(app, p.comment.as_deref().unwrap_or(""))),
            ]));
        }
    }
    let width = area.width.saturating_sub(2).min(104);
    // The chart of the series below the text, where there are two points to join.
    let chart_h = if points.len() >= 2 { CHART_ROWS } else { 0 };
    // As tall as the wrapped text and the chart, at most the screen.
    let inner = usize::from(width.saturating_sub(2)).max(1);
    let wrapped: usize = lines.iter().map(|l| l.width().div_ceil(inner).max(1)).sum();
    let height = u16::try_from(wrapped + 2)
        .unwrap_or(u16::MAX)
        .saturating_add(chart_h)
        .min(area.height.saturating_sub(2))
        .max(3);
    let rect = area.centered(Constraint::Length(width), Constraint::Length(height));
    crate::tui::views::clear_popup(rect, area, buf);
    let block = Block::bordered()
        .border_set(app.theme.border())
        .border_style(app.theme.focused_border())
        .title(
            app.txt(&format!(
                " Indikator ({} bläddrar, Esc stänger) ",
                arrows(app, "↑↓", "j k")
            ))
            .into_owned(),
        )
        .title_style(app.theme.title());
    let body = block.inner(rect);
    block.render(rect, buf);
    // On a small screen the chart is two rows of plot shorter, so that the text keeps
    // the indicator's facts, status and rule in view.
    let chart_h = if body.height < 26 {
        chart_h.min(CHART_ROWS - 2)
    } else {
        chart_h
    }
    .min(body.height / 2);
    let [text_area, chart_area] =
        Layout::vertical([Constraint::Min(0), Constraint::Length(chart_h)]).areas(body);
    Paragraph::new(lines)
        .wrap(Wrap { trim: false })
        .scroll((s.detail_scroll, 0))
        .render(text_area, buf);
    if chart_h > 0 {
        series_chart(app, a, &points, chart_area, buf);
    }
}

/// Rows of the series chart in the detail: the figures line, six rows of plot, the axis
/// and the periods.
const CHART_ROWS: u16 = 9;

/// A period's label under its point: long (`T1 13`, `2014`) and short (`T1`, `14`).
fn point_label(p: &Point) -> (String, String) {
    let Some(q) = p.parsed else {
        let t = period_label(&p.period);
        return (t.clone(), t);
    };
    let yy = q.year.rem_euclid(100);
    match q.span {
        PeriodSpan::Year => (q.year.to_string(), format!("{yy:02}")),
        PeriodSpan::Tertial(n) => (format!("T{n} {yy:02}"), format!("T{n}")),
        PeriodSpan::Quarter(n) => (format!("Q{n} {yy:02}"), format!("Q{n}")),
        PeriodSpan::Month(m) => (format!("{m:02}-{yy:02}"), format!("{m:02}")),
    }
}

/// The indicator's values over the periods of every year, the årsmål as a line, the
/// counted period marked under the axis.
fn series_chart(app: &App, a: &Assessed, points: &[Point], area: Rect, buf: &mut Buffer) {
    let ind = &a.indicator;
    let m = ind.measure.as_deref();
    let labels: Vec<(String, String)> = points.iter().map(point_label).collect();
    let values: Vec<Option<f64>> = points.iter().map(|p| Some(p.value)).collect();
    let selected = a
        .period
        .as_deref()
        .and_then(|period| points.iter().position(|p| p.period == period))
        .unwrap_or(usize::MAX);
    let target = ind
        .target
        .map(|t| (t, format!("årsmål {}", with_measure(t, m))));
    let mut summary = vec!["Utfall per period".to_string()];
    if let Some(t) = ind.target {
        summary.push(format!(
            "årsmål {}: {} (linjen)",
            ind.year,
            with_measure(t, m)
        ));
    }
    super::super::chart::periods(
        app,
        area,
        buf,
        &super::super::chart::PeriodChart {
            labels: &labels,
            values: &values,
            shares: &[],
            selected,
            target,
            summary,
            unit: m.unwrap_or(""),
            parts: &[],
        },
    );
}

pub(super) fn popup(app: &App, field: Field, area: Rect, buf: &mut Buffer) {
    let s = &app.goals;
    let value = |f: Field| -> String {
        match f {
            Field::Year => s.data.year.to_string(),
            Field::Status if s.unfulfilled => "ej uppfyllda".into(),
            Field::Status => "alla".into(),
            Field::Level => s.level.map_or("alla", |l| l.label()).into(),
        }
    };
    let fields: Vec<(&str, String)> = Field::ALL.iter().map(|f| (f.label(), value(*f))).collect();
    let selected = Field::ALL.iter().position(|f| *f == field).unwrap_or(0);
    crate::tui::views::popup::filter(app, &fields, selected, area, buf);
}
