//! The detail of one indicator (its series across the years, each period's analys, the
//! rule that gave the status) and the filter popup of the Mål och indikatorer view.

use ratatui::buffer::Buffer;
use ratatui::layout::{Constraint, Rect};
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Paragraph, Widget, Wrap};

use super::{arrows, fit, long, status_mark};
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
    // As tall as the wrapped text, at most the screen.
    let inner = usize::from(width.saturating_sub(2)).max(1);
    let wrapped: usize = lines.iter().map(|l| l.width().div_ceil(inner).max(1)).sum();
    let height = u16::try_from(wrapped + 2)
        .unwrap_or(u16::MAX)
        .min(area.height.saturating_sub(2))
        .max(3);
    let rect = area.centered(Constraint::Length(width), Constraint::Length(height));
    crate::tui::views::clear_popup(rect, area, buf);
    Paragraph::new(lines)
        .wrap(Wrap { trim: false })
        .scroll((s.detail_scroll, 0))
        .block(
            Block::bordered()
                .border_set(app.theme.border())
                .border_style(app.theme.focused_border())
                .title(
                    app.txt(&format!(
                        " Indikator ({} bläddrar, Esc stänger) ",
                        arrows(app, "↑↓", "j k")
                    ))
                    .into_owned(),
                )
                .title_style(app.theme.title()),
        )
        .render(rect, buf);
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
