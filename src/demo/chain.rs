//! The small builder the units' goal chains (målkedjor) and indicators are written with.
//!
//! The seed documents are one year's reports; the demo moves them to `as_of`'s year Y so
//! that they read as this year's: text is written with `{Y}`, `{Y-1}` and `{Y+1}`, and
//! periods and activity dates are relative to Y.

use chrono::{Months, NaiveDate};

use crate::model::{Assessment, Dataset, Direction, Goal, GoalLevel, Indicator, IndicatorValue};

/// A period of an indicator value, relative to the report year Y.
#[derive(Debug, Clone, Copy)]
pub(crate) enum Period {
    /// The full year Y + offset (the VB value).
    Year(i32),
    /// Tertial 1 or 2 of Y + offset.
    Tertial(i32, u8),
}

/// An indicator row and its values. Text may contain `{Y}`, `{Y-1}` and `{Y+1}`.
#[derive(Debug)]
pub(crate) struct Ind {
    pub name: &'static str,
    pub measure: &'static str,
    pub direction: Direction,
    pub periodicity: &'static str,
    pub target: Option<f64>,
    pub target_text: Option<&'static str>,
    pub city_target: Option<f64>,
    pub city_target_text: Option<&'static str>,
    pub values: &'static [(Period, f64, Option<&'static str>)],
}

/// Appends one unit's goals and indicators to a dataset, numbering them `BFN-G01`, `BFN-I01`.
pub(crate) struct Chain<'d> {
    data: &'d mut Dataset,
    unit: &'static str,
    year: i32,
    goals: u32,
    indicators: u32,
}

impl<'d> Chain<'d> {
    pub(crate) fn new(data: &'d mut Dataset, unit: &'static str, year: i32) -> Self {
        Self {
            data,
            unit,
            year,
            goals: 0,
            indicators: 0,
        }
    }

    /// The document's text with its report year moved to Y.
    pub(crate) fn text(&self, text: &str) -> String {
        text.replace("{Y-1}", &(self.year - 1).to_string())
            .replace("{Y+1}", &(self.year + 1).to_string())
            .replace("{Y}", &self.year.to_string())
    }

    /// A goal row with the next id; the other fields are filled in by the callers.
    fn next(&mut self, parent: Option<&str>, level: GoalLevel, title: &str) -> Goal {
        self.goals += 1;
        Goal {
            goal_id: format!("{}-G{:02}", self.unit, self.goals),
            parent_id: parent.map(str::to_owned),
            unit_id: Some(self.unit.to_owned()),
            level,
            code: None,
            title: self.text(title),
            assessment: None,
            start: None,
            end: None,
            comment: None,
        }
    }

    fn push(&mut self, goal: Goal) -> String {
        let id = goal.goal_id.clone();
        self.data.goals.push(goal);
        id
    }

    /// A goal of any level but aktivitet.
    pub(crate) fn goal(
        &mut self,
        parent: Option<&str>,
        level: GoalLevel,
        code: Option<&str>,
        title: &str,
        comment: Option<&str>,
    ) -> String {
        let goal = Goal {
            code: code.map(str::to_owned),
            comment: comment.map(|c| self.text(c)),
            ..self.next(parent, level, title)
        };
        self.push(goal)
    }

    /// An åtagande (or enhetsmål) and how it was assessed.
    pub(crate) fn atagande(
        &mut self,
        parent: &str,
        title: &str,
        assessment: Option<Assessment>,
        comment: &str,
    ) -> String {
        let goal = Goal {
            assessment,
            comment: Some(self.text(comment)),
            ..self.next(Some(parent), GoalLevel::Atagande, title)
        };
        self.push(goal)
    }

    /// An aktivitet running from 1 January of Y to the end of `end_month` in Y +
    /// `end_offset` (the documents' "Startdatum Slutdatum").
    pub(crate) fn aktivitet(
        &mut self,
        parent: &str,
        title: &str,
        end_offset: i32,
        end_month: u32,
        comment: Option<&str>,
    ) -> String {
        let end = NaiveDate::from_ymd_opt(self.year + end_offset, end_month, 1)
            .and_then(|d| d.checked_add_months(Months::new(1)))
            .and_then(|d| d.pred_opt());
        let goal = Goal {
            start: NaiveDate::from_ymd_opt(self.year, 1, 1),
            end,
            comment: comment.map(|c| self.text(c)),
            ..self.next(Some(parent), GoalLevel::Aktivitet, title)
        };
        self.push(goal)
    }

    pub(crate) fn indicator(&mut self, goal: &str, ind: &Ind) {
        self.indicators += 1;
        let id = format!("{}-I{:02}", self.unit, self.indicators);
        self.data.indicators.push(Indicator {
            indicator_id: id.clone(),
            goal_id: Some(goal.to_owned()),
            unit_id: Some(self.unit.to_owned()),
            name: ind.name.to_owned(),
            year: self.year,
            measure: Some(ind.measure.to_owned()),
            direction: ind.direction,
            periodicity: Some(ind.periodicity.to_owned()),
            target: ind.target,
            target_text: ind.target_text.map(str::to_owned),
            city_target: ind.city_target,
            city_target_text: ind.city_target_text.map(|t| self.text(t)),
            tolerance: None,
        });
        for &(period, value, comment) in ind.values {
            let period = match period {
                Period::Year(offset) => format!("{}", self.year + offset),
                Period::Tertial(offset, t) => format!("{}-T{t}", self.year + offset),
            };
            let comment = comment.map(|c| self.text(c));
            self.data.indicator_values.push(IndicatorValue {
                indicator_id: id.clone(),
                period,
                value,
                comment,
            });
        }
    }
}
