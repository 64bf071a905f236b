//! The CSV contract of DOMAIN.md, table by table: which columns each file has (and which
//! are required), and how one row becomes a typed row of `model.rs`, with its keys and
//! references checked against the tables read before it.

use super::fields::{self, Row};
use super::references::Keys;
use crate::model::{
    Application, Case, CaseWorker, Followup, Goal, Indicator, IndicatorValue, InsatsType,
    Interruption, Intervention, Unit,
};

/// One column of a table's file.
#[derive(Debug, Clone, Copy)]
pub struct Column {
    pub name: &'static str,
    pub required: bool,
}

const fn req(name: &'static str) -> Column {
    Column {
        name,
        required: true,
    }
}

const fn opt(name: &'static str) -> Column {
    Column {
        name,
        required: false,
    }
}

/// One table's file: its name, whether it must be there, and its columns.
#[derive(Debug)]
pub struct TableSpec {
    pub table: &'static str,
    pub required: bool,
    /// The primary key's columns.
    pub key: &'static [&'static str],
    pub columns: &'static [Column],
}

impl TableSpec {
    /// `units.csv` for `units`.
    #[must_use]
    pub fn file_name(&self) -> String {
        format!("{}.csv", self.table)
    }

    /// The column a header names: exactly, or else ignoring case.
    #[must_use]
    pub fn column(&self, written: &str) -> Option<&Column> {
        self.columns.iter().find(|c| c.name == written).or_else(|| {
            self.columns
                .iter()
                .find(|c| c.name.eq_ignore_ascii_case(written))
        })
    }

    /// The column names, for messages.
    #[must_use]
    pub fn column_names(&self) -> String {
        let names: Vec<&str> = self.columns.iter().map(|c| c.name).collect();
        names.join(", ")
    }
}

/// Every table's file, in `model::TABLES` order (referenced tables first).
///
/// The columns added by version 2 of the snapshot (`case_workers.login`, `cases.sex`,
/// `interventions.offered` and `.delay_reason`) and the file `interruptions.csv` are
/// optional, so that a version 1 export imports as it did.
pub const SPECS: [TableSpec; 11] = [
    TableSpec {
        table: "units",
        required: true,
        key: &["unit_id"],
        columns: &[req("unit_id"), req("name"), opt("district"), opt("area")],
    },
    TableSpec {
        table: "case_workers",
        required: true,
        key: &["worker_id"],
        columns: &[
            req("worker_id"),
            req("name"),
            req("unit_id"),
            opt("team"),
            opt("login"),
        ],
    },
    TableSpec {
        table: "insats_types",
        required: true,
        key: &["insats_code"],
        columns: &[
            req("insats_code"),
            req("name"),
            req("area"),
            opt("law"),
            opt("target_days"),
        ],
    },
    TableSpec {
        table: "cases",
        required: true,
        key: &["case_id"],
        columns: &[
            req("case_id"),
            req("unit_id"),
            opt("team"),
            opt("worker_id"),
            opt("client_label"),
            req("opened"),
            opt("closed"),
            opt("sex"),
        ],
    },
    TableSpec {
        table: "applications",
        required: false,
        key: &["application_id"],
        columns: &[
            req("application_id"),
            req("case_id"),
            req("insats_code"),
            req("received"),
            opt("investigation_started"),
            opt("decided"),
            opt("outcome"),
            opt("worker_id"),
        ],
    },
    TableSpec {
        table: "interventions",
        required: false,
        key: &["intervention_id"],
        columns: &[
            req("intervention_id"),
            req("case_id"),
            opt("application_id"),
            req("insats_code"),
            opt("decided"),
            opt("start"),
            opt("end"),
            opt("provider"),
            opt("ordered"),
            opt("plan_received"),
            opt("last_followup"),
            opt("offered"),
            opt("delay_reason"),
        ],
    },
    TableSpec {
        table: "interruptions",
        required: false,
        key: &["interruption_id"],
        columns: &[
            req("interruption_id"),
            req("intervention_id"),
            req("interrupted"),
            opt("resumed"),
            opt("reason"),
        ],
    },
    TableSpec {
        table: "followups",
        required: false,
        key: &["followup_id"],
        columns: &[
            req("followup_id"),
            req("case_id"),
            req("kind"),
            req("due"),
            opt("done"),
            opt("worker_id"),
            opt("note"),
        ],
    },
    TableSpec {
        table: "goals",
        required: false,
        key: &["goal_id"],
        columns: &[
            req("goal_id"),
            opt("parent_id"),
            opt("unit_id"),
            req("level"),
            opt("code"),
            req("title"),
            opt("assessment"),
            opt("start"),
            opt("end"),
            opt("comment"),
        ],
    },
    TableSpec {
        table: "indicators",
        required: false,
        key: &["indicator_id"],
        columns: &[
            req("indicator_id"),
            opt("goal_id"),
            opt("unit_id"),
            req("name"),
            req("year"),
            opt("measure"),
            req("direction"),
            opt("periodicity"),
            opt("target"),
            opt("target_text"),
            opt("city_target"),
            opt("city_target_text"),
            opt("tolerance"),
        ],
    },
    TableSpec {
        table: "indicator_values",
        required: false,
        key: &["indicator_id", "period"],
        columns: &[
            req("indicator_id"),
            req("period"),
            req("value"),
            opt("comment"),
        ],
    },
];

pub fn unit(r: &mut Row<'_>, k: &mut Keys) -> Option<Unit> {
    let unit_id = r.required_text("unit_id");
    r.unique(&mut k.units, "unit_id", unit_id.as_deref());
    let name = r.required_text("name");
    let district = r.text("district");
    let area = r.text("area");
    Some(Unit {
        unit_id: unit_id?,
        name: name?,
        district,
        area,
    })
}

pub fn case_worker(r: &mut Row<'_>, k: &mut Keys) -> Option<CaseWorker> {
    let worker_id = r.required_text("worker_id");
    r.unique(&mut k.case_workers, "worker_id", worker_id.as_deref());
    let name = r.required_text("name");
    let unit_id = r.required_text("unit_id");
    r.refers("unit_id", unit_id.as_deref(), &k.units, "units.unit_id");
    let team = r.text("team");
    let login = r.text("login");
    Some(CaseWorker {
        worker_id: worker_id?,
        name: name?,
        unit_id: unit_id?,
        team,
        login,
    })
}

pub fn insats_type(r: &mut Row<'_>, k: &mut Keys) -> Option<InsatsType> {
    let insats_code = r.required_text("insats_code");
    r.unique(&mut k.insats_types, "insats_code", insats_code.as_deref());
    let name = r.required_text("name");
    let area = r.required_text("area");
    let law = r.text("law");
    let target_days = r.parsed("target_days", fields::target_days);
    Some(InsatsType {
        insats_code: insats_code?,
        name: name?,
        area: area?,
        law,
        target_days,
    })
}

pub fn case(r: &mut Row<'_>, k: &mut Keys) -> Option<Case> {
    let case_id = r.required_text("case_id");
    r.unique(&mut k.cases, "case_id", case_id.as_deref());
    let unit_id = r.required_text("unit_id");
    r.refers("unit_id", unit_id.as_deref(), &k.units, "units.unit_id");
    let team = r.text("team");
    let worker_id = r.text("worker_id");
    r.refers(
        "worker_id",
        worker_id.as_deref(),
        &k.case_workers,
        "case_workers.worker_id",
    );
    let client_label = r.text("client_label");
    let opened = r.required_date("opened");
    let closed = r.date("closed");
    if let (Some(opened), Some(closed)) = (opened, closed)
        && closed < opened
    {
        let message = format!("avslutat före öppnat (opened {opened})");
        r.error("closed", Some(&closed.to_string()), message);
    }
    let sex = r.parsed("sex", fields::sex);
    Some(Case {
        case_id: case_id?,
        unit_id: unit_id?,
        team,
        worker_id,
        client_label,
        opened: opened?,
        closed,
        sex,
    })
}

pub fn application(r: &mut Row<'_>, k: &mut Keys) -> Option<Application> {
    let application_id = r.required_text("application_id");
    r.unique(
        &mut k.applications,
        "application_id",
        application_id.as_deref(),
    );
    let case_id = r.required_text("case_id");
    r.refers("case_id", case_id.as_deref(), &k.cases, "cases.case_id");
    let insats_code = r.required_text("insats_code");
    r.refers(
        "insats_code",
        insats_code.as_deref(),
        &k.insats_types,
        "insats_types.insats_code",
    );
    let received = r.required_date("received");
    let investigation_started = r.date("investigation_started");
    let decided = r.date("decided");
    // A decision before its application would give a negative handläggningstid, and pull
    // the quarter's median and mean down with it.
    if let (Some(received), Some(decided)) = (received, decided)
        && decided < received
    {
        let message = format!("beslutat före mottaget (received {received})");
        r.error("decided", Some(&decided.to_string()), message);
    }
    let outcome = r.parsed("outcome", fields::choice);
    let worker_id = r.text("worker_id");
    r.refers(
        "worker_id",
        worker_id.as_deref(),
        &k.case_workers,
        "case_workers.worker_id",
    );
    Some(Application {
        application_id: application_id?,
        case_id: case_id?,
        insats_code: insats_code?,
        received: received?,
        investigation_started,
        decided,
        outcome,
        worker_id,
    })
}

pub fn intervention(r: &mut Row<'_>, k: &mut Keys) -> Option<Intervention> {
    let intervention_id = r.required_text("intervention_id");
    r.unique(
        &mut k.interventions,
        "intervention_id",
        intervention_id.as_deref(),
    );
    let case_id = r.required_text("case_id");
    r.refers("case_id", case_id.as_deref(), &k.cases, "cases.case_id");
    let application_id = r.text("application_id");
    r.refers(
        "application_id",
        application_id.as_deref(),
        &k.applications,
        "applications.application_id",
    );
    let insats_code = r.required_text("insats_code");
    r.refers(
        "insats_code",
        insats_code.as_deref(),
        &k.insats_types,
        "insats_types.insats_code",
    );
    let decided = r.date("decided");
    let start = r.date("start");
    let end = r.date("end");
    let provider = r.text("provider");
    let ordered = r.date("ordered");
    let plan_received = r.date("plan_received");
    let last_followup = r.date("last_followup");
    let offered = r.date("offered");
    let delay_reason = r.text("delay_reason");
    Some(Intervention {
        intervention_id: intervention_id?,
        case_id: case_id?,
        application_id,
        insats_code: insats_code?,
        decided,
        start,
        end,
        provider,
        ordered,
        plan_received,
        last_followup,
        offered,
        delay_reason,
    })
}

pub fn interruption(r: &mut Row<'_>, k: &mut Keys) -> Option<Interruption> {
    let interruption_id = r.required_text("interruption_id");
    r.unique(
        &mut k.interruptions,
        "interruption_id",
        interruption_id.as_deref(),
    );
    let intervention_id = r.required_text("intervention_id");
    r.refers(
        "intervention_id",
        intervention_id.as_deref(),
        &k.interventions,
        "interventions.intervention_id",
    );
    let interrupted = r.required_date("interrupted");
    let resumed = r.date("resumed");
    // The schema refuses it too, but only here can the export's line be named; and an
    // avbrott that ends before it starts would count negative days in the IVO report.
    if let (Some(interrupted), Some(resumed)) = (interrupted, resumed)
        && resumed < interrupted
    {
        let message = format!("återupptaget före avbrottet (interrupted {interrupted})");
        r.error("resumed", Some(&resumed.to_string()), message);
    }
    let reason = r.text("reason");
    Some(Interruption {
        interruption_id: interruption_id?,
        intervention_id: intervention_id?,
        interrupted: interrupted?,
        resumed,
        reason,
    })
}

pub fn followup(r: &mut Row<'_>, k: &mut Keys) -> Option<Followup> {
    let followup_id = r.required_text("followup_id");
    r.unique(&mut k.followups, "followup_id", followup_id.as_deref());
    let case_id = r.required_text("case_id");
    r.refers("case_id", case_id.as_deref(), &k.cases, "cases.case_id");
    let kind = r.required_text("kind");
    let due = r.required_date("due");
    let done = r.date("done");
    let worker_id = r.text("worker_id");
    r.refers(
        "worker_id",
        worker_id.as_deref(),
        &k.case_workers,
        "case_workers.worker_id",
    );
    let note = r.text("note");
    Some(Followup {
        followup_id: followup_id?,
        case_id: case_id?,
        kind: kind?,
        due: due?,
        done,
        worker_id,
        note,
    })
}

/// A goal row; its `parent_id` is checked once the whole file is read, since a parent may
/// come after its children.
pub fn goal(r: &mut Row<'_>, k: &mut Keys) -> Option<Goal> {
    let goal_id = r.required_text("goal_id");
    r.unique(&mut k.goals, "goal_id", goal_id.as_deref());
    if let Some(goal) = &goal_id
        && !k.goal_lines.contains_key(goal.as_str())
    {
        k.goal_lines.insert(goal.clone(), r.line);
    }
    let parent_id = r.text("parent_id");
    if let (Some(goal), Some(parent)) = (&goal_id, &parent_id) {
        k.goal_parents.push((r.line, goal.clone(), parent.clone()));
    }
    let unit_id = r.text("unit_id");
    r.refers("unit_id", unit_id.as_deref(), &k.units, "units.unit_id");
    let level = r.required("level", fields::choice);
    let code = r.text("code");
    let title = r.required_text("title");
    let assessment = r.parsed("assessment", fields::choice);
    let start = r.date("start");
    let end = r.date("end");
    let comment = r.text("comment");
    Some(Goal {
        goal_id: goal_id?,
        parent_id,
        unit_id,
        level: level?,
        code,
        title: title?,
        assessment,
        start,
        end,
        comment,
    })
}

pub fn indicator(r: &mut Row<'_>, k: &mut Keys) -> Option<Indicator> {
    let indicator_id = r.required_text("indicator_id");
    r.unique(&mut k.indicators, "indicator_id", indicator_id.as_deref());
    let goal_id = r.text("goal_id");
    r.refers("goal_id", goal_id.as_deref(), &k.goals, "goals.goal_id");
    let unit_id = r.text("unit_id");
    r.refers("unit_id", unit_id.as_deref(), &k.units, "units.unit_id");
    let name = r.required_text("name");
    let year = r.required("year", fields::year);
    let measure = r.text("measure");
    let direction = r.required("direction", fields::choice);
    let periodicity = r.text("periodicity");
    let target = r.parsed("target", fields::real);
    let target_text = r.text("target_text");
    let city_target = r.parsed("city_target", fields::real);
    let city_target_text = r.text("city_target_text");
    let tolerance = r.parsed("tolerance", fields::non_negative_real);
    Some(Indicator {
        indicator_id: indicator_id?,
        goal_id,
        unit_id,
        name: name?,
        year: year?,
        measure,
        direction: direction?,
        periodicity,
        target,
        target_text,
        city_target,
        city_target_text,
        tolerance,
    })
}

pub fn indicator_value(r: &mut Row<'_>, k: &mut Keys) -> Option<IndicatorValue> {
    let indicator_id = r.required_text("indicator_id");
    r.refers(
        "indicator_id",
        indicator_id.as_deref(),
        &k.indicators,
        "indicators.indicator_id",
    );
    let period = r.required("period", fields::period);
    if let (Some(id), Some(period)) = (&indicator_id, &period) {
        let key = format!("{id}\u{1f}{period}");
        let shown = format!("{id}, {period}");
        r.unique_as(
            &mut k.indicator_values,
            &key,
            "indicator_id, period",
            &shown,
            "(indicator_id, period)",
        );
    }
    let value = r.required("value", fields::real);
    let comment = r.text("comment");
    Some(IndicatorValue {
        indicator_id: indicator_id?,
        period: period?,
        value: value?,
        comment,
    })
}

#[cfg(test)]
mod tests {
    use super::SPECS;
    use crate::model::TABLES;

    #[test]
    fn specs_follow_the_snapshot_table_order() {
        let specs: Vec<&str> = SPECS.iter().map(|s| s.table).collect();
        assert_eq!(specs, TABLES);
    }

    #[test]
    fn version_2_adds_only_optional_columns_and_an_optional_file() {
        let added = [
            ("case_workers", "login"),
            ("cases", "sex"),
            ("interventions", "offered"),
            ("interventions", "delay_reason"),
        ];
        for (table, name) in added {
            let spec = SPECS.iter().find(|s| s.table == table).expect("table");
            let column = spec.column(name).expect("column");
            assert!(!column.required, "{table}.{name}");
        }
        let interruptions = SPECS.iter().find(|s| s.table == "interruptions");
        assert!(!interruptions.expect("interruptions").required);
    }
}
