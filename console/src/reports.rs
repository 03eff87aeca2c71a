//! The reports screen's rules, apart from the browser: its period and traffic as the screen's
//! URL fragment (`#/reports?from=…&to=…&env=test`, the records search's own pairs), the reports
//! API's address and the records list of the same tickets, and each chart's numbers as a table
//! (drawn beside the chart, and offered as a CSV file).
//!
//! The report itself is computed on the edge ([`Report`]) from the rows the records list reads
//! for the same filters; this module only lays it out.

use porchlight_shared::records::csv::{self, Cell};
use porchlight_shared::records::query::{Environment, RecordQuery};
use porchlight_shared::records::report::{Report, Spread};
use porchlight_shared::Millis;

use crate::records::{self, encode};
use crate::route::REPORTS_HASH;
use crate::words;

/// The reports API.
const API_PATH: &str = "/v1/console/reports";

/// A period the screen offers in one click.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Preset {
    /// Since midnight.
    Today,
    /// Today and the 6 days before.
    Week,
    /// Today and the 29 days before.
    Month,
}

impl Preset {
    /// Every preset, in the screen's order.
    pub const ALL: [Preset; 3] = [Preset::Today, Preset::Week, Preset::Month];

    /// Days before today the period starts.
    pub fn days_back(self) -> i32 {
        match self {
            Preset::Today => 0,
            Preset::Week => 6,
            Preset::Month => 29,
        }
    }

    /// Its button's text.
    pub fn label(self) -> &'static str {
        match self {
            Preset::Today => words::TODAY,
            Preset::Week => words::LAST_7_DAYS,
            Preset::Month => words::LAST_30_DAYS,
        }
    }

    /// Its period: from the start of its first day to the start of tomorrow; `day_start(n)` is
    /// the viewer's midnight `n` days after today's (negative: before).
    pub fn period(self, day_start: impl Fn(i32) -> Millis) -> (Millis, Millis) {
        (day_start(-self.days_back()), day_start(1))
    }
}

/// The report a fragment's query asks for: the records search's filters, with the period the
/// screen shows when the address names none (the last 7 days).
pub fn parse(query: &str, day_start: impl Fn(i32) -> Millis) -> Result<RecordQuery, String> {
    let mut q = records::parse_search(query)?.first_page();
    q.limit = None;
    if q.from.is_none() || q.to.is_none() {
        let (from, to) = Preset::Week.period(&day_start);
        q.from = q.from.or(Some(from));
        q.to = q.to.or(Some(to));
    }
    Ok(q)
}

/// The screen's fragment for a report.
pub fn hash(q: &RecordQuery) -> String {
    let query = records::search_query(q);
    if query.is_empty() {
        REPORTS_HASH.to_owned()
    } else {
        format!("{REPORTS_HASH}?{query}")
    }
}

/// The report's API address: its filters and the viewer's time zone (the report's days and
/// hours are the viewer's).
pub fn api_path(q: &RecordQuery, zone: &str) -> String {
    let query = records::search_query(q);
    let zone = if zone.is_empty() { "UTC" } else { zone };
    if query.is_empty() {
        format!("{API_PATH}?tz={}", encode(zone))
    } else {
        format!("{API_PATH}?{query}&tz={}", encode(zone))
    }
}

/// The records list of the same tickets.
pub fn records_hash(q: &RecordQuery) -> String {
    records::hash(q)
}

/// The query of the same report for the other traffic.
pub fn with_environment(q: &RecordQuery, environment: Environment) -> RecordQuery {
    RecordQuery {
        environment,
        ..q.clone()
    }
}

/// What a table's numbers are.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Unit {
    /// Tickets or answers.
    Count,
    /// Milliseconds, shown as a duration ("12 min") and exported in seconds.
    Duration,
}

/// One line of a table: its label and one number per column after the first.
#[derive(Debug, Clone, PartialEq)]
pub struct Line {
    /// The first column.
    pub label: String,
    /// The numbers (absent: none, e.g. no median without tickets).
    pub values: Vec<Option<i64>>,
}

/// A chart's numbers: drawn as bars, shown as a table, exported as CSV.
#[derive(Debug, Clone, PartialEq)]
pub struct Table {
    /// The id of its section (also its CSV file's name).
    pub id: &'static str,
    /// Its title.
    pub title: &'static str,
    /// The label column's header.
    pub label: &'static str,
    /// The number columns: header and what its numbers are.
    pub columns: Vec<(&'static str, Unit)>,
    /// Its lines.
    pub lines: Vec<Line>,
}

impl Table {
    /// Column `i`'s number as the table shows it.
    pub fn cell(&self, i: usize, value: Option<i64>, number: &dyn Fn(i64) -> String) -> String {
        match (value, self.columns.get(i).map(|c| c.1)) {
            (None, _) => "—".to_owned(),
            (Some(ms), Some(Unit::Duration)) => records::duration(ms),
            (Some(n), _) => number(n),
        }
    }

    /// The table as a CSV file (RFC 4180, formula-like labels neutralised): the same lines and
    /// columns, durations in whole seconds (their header says so).
    pub fn csv(&self) -> String {
        let mut out = String::new();
        let headers: Vec<String> = std::iter::once(self.label.to_owned())
            .chain(self.columns.iter().map(|(c, unit)| match unit {
                Unit::Duration => format!("{c} (seconds)"),
                Unit::Count => (*c).to_owned(),
            }))
            .collect();
        let cells: Vec<Cell> = headers.iter().map(|h| Cell::Text(h)).collect();
        csv::write_row(&mut out, &cells);
        for line in &self.lines {
            let mut cells = vec![Cell::Text(&line.label)];
            cells.extend(line.values.iter().zip(&self.columns).map(|(v, (_, unit))| {
                match (v, unit) {
                    (None, _) => Cell::Empty,
                    (Some(n), Unit::Count) => Cell::Int(*n),
                    (Some(ms), Unit::Duration) => Cell::Int(ms / 1_000),
                }
            }));
            csv::write_row(&mut out, &cells);
        }
        out
    }

    /// How many number columns the chart draws: the leading ones of one unit (a ticket count
    /// beside durations is in the table, not in the bars).
    pub fn drawn(&self) -> usize {
        let first = self.columns.first().map(|c| c.1);
        self.columns
            .iter()
            .take_while(|c| Some(c.1) == first)
            .count()
    }

    /// The largest number drawn, for the chart's scale (at least 1).
    pub fn max(&self) -> i64 {
        let drawn = self.drawn();
        self.lines
            .iter()
            .flat_map(|l| l.values.iter().take(drawn).flatten())
            .copied()
            .max()
            .unwrap_or(0)
            .max(1)
    }
}

/// One bar of a chart, in the chart's own units (its `viewBox`).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Bar {
    /// Left edge.
    pub x: f64,
    /// Top edge.
    pub y: f64,
    /// Width.
    pub width: f64,
    /// Height.
    pub height: f64,
    /// Which number column it draws (its colour).
    pub series: usize,
}

/// Width of every chart's drawing area.
pub const CHART_WIDTH: f64 = 600.0;
/// Height of the bars' area (labels go below it).
pub const CHART_HEIGHT: f64 = 160.0;

/// The chart's bars: one group per line, one bar per drawn column, heights on one scale (the
/// largest number is the full height); a line without a number has no bar.
pub fn bars(table: &Table) -> Vec<Bar> {
    let drawn = table.drawn().max(1);
    let lines = table.lines.len().max(1);
    let slot = CHART_WIDTH / lines as f64;
    let width = slot * 0.8 / drawn as f64;
    let max = table.max() as f64;
    table
        .lines
        .iter()
        .enumerate()
        .flat_map(|(i, line)| {
            line.values
                .iter()
                .take(drawn)
                .enumerate()
                .filter_map(move |(series, v)| {
                    let height = (*v)? as f64 / max * CHART_HEIGHT;
                    Some(Bar {
                        x: i as f64 * slot + slot * 0.1 + series as f64 * width,
                        y: CHART_HEIGHT - height,
                        width,
                        height,
                        series,
                    })
                })
        })
        .collect()
}

/// Which lines get a label under the chart: all of a short chart, else about eight of them
/// (the table beside it has every one).
pub fn labelled(lines: usize, i: usize) -> bool {
    let step = lines.div_ceil(8).max(1);
    i.is_multiple_of(step)
}

/// A `data:` address that downloads `csv` (UTF-8).
pub fn csv_href(csv: &str) -> String {
    format!("data:text/csv;charset=utf-8,{}", encode(csv))
}

fn count(n: u32) -> Option<i64> {
    Some(i64::from(n))
}

fn spread_line(label: &str, s: &Spread) -> Line {
    Line {
        label: label.to_owned(),
        values: vec![s.median, s.p90, count(s.count)],
    }
}

/// Every chart's table for `report`; `agent` names an agent by id, `day` writes a
/// `YYYY-MM-DD` day as the viewer reads it.
pub fn tables(
    report: &Report,
    agent: impl Fn(&str) -> String,
    day: impl Fn(&str) -> String,
) -> Vec<Table> {
    let volume =
        |id, title, label, counts: &[(String, u32)], name: &dyn Fn(&str) -> String| Table {
            id,
            title,
            label,
            columns: vec![(words::TICKETS, Unit::Count)],
            lines: counts
                .iter()
                .map(|(key, n)| Line {
                    label: name(key),
                    values: vec![count(*n)],
                })
                .collect(),
        };
    let channel = |c: &str| match c {
        "widget" => words::CHANNEL_WIDGET.to_owned(),
        "api" => words::CHANNEL_API.to_owned(),
        other => other.to_owned(),
    };
    let flow = |f: &str| {
        if f.is_empty() {
            words::NO_FLOW.to_owned()
        } else {
            f.to_owned()
        }
    };
    let agent_name = |a: &str| {
        if a.is_empty() {
            words::UNASSIGNED.to_owned()
        } else {
            agent(a)
        }
    };
    vec![
        Table {
            id: "per-day",
            title: words::PER_DAY,
            label: words::DAY,
            columns: vec![(words::CREATED, Unit::Count), (words::SOLVED, Unit::Count)],
            lines: report
                .days
                .iter()
                .map(|d| Line {
                    label: day(&d.date),
                    values: vec![count(d.created), count(d.solved)],
                })
                .collect(),
        },
        Table {
            id: "times",
            title: words::TIMES,
            label: words::MEASURE,
            columns: vec![
                (words::MEDIAN, Unit::Duration),
                (words::P90, Unit::Duration),
                (words::TICKETS, Unit::Count),
            ],
            lines: vec![
                spread_line(words::FIRST_RESPONSE, &report.first_response),
                spread_line(words::RESOLUTION, &report.resolution),
            ],
        },
        Table {
            id: "csat",
            title: words::CSAT_DISTRIBUTION,
            label: words::SCORE,
            columns: vec![(words::ANSWERS, Unit::Count)],
            lines: (1..=5u8)
                .rev()
                .map(|s| Line {
                    label: format!("{s} of 5"),
                    values: vec![count(report.csat.counts[usize::from(s) - 1])],
                })
                .collect(),
        },
        Table {
            id: "nps",
            title: words::NPS_BANDS,
            label: words::BAND,
            columns: vec![(words::ANSWERS, Unit::Count)],
            lines: vec![
                Line {
                    label: words::PROMOTERS.to_owned(),
                    values: vec![count(report.nps.promoters)],
                },
                Line {
                    label: words::PASSIVES.to_owned(),
                    values: vec![count(report.nps.passives)],
                },
                Line {
                    label: words::DETRACTORS.to_owned(),
                    values: vec![count(report.nps.detractors)],
                },
            ],
        },
        volume(
            "by-channel",
            words::BY_CHANNEL,
            words::CHANNEL,
            &report.by_channel,
            &channel,
        ),
        volume(
            "by-flow",
            words::BY_FLOW,
            words::FLOW,
            &report.by_flow,
            &flow,
        ),
        volume(
            "by-agent",
            words::BY_AGENT,
            words::AGENT,
            &report.by_agent,
            &agent_name,
        ),
        Table {
            id: "hours",
            title: words::BUSIEST_HOURS,
            label: words::HOUR,
            columns: vec![(words::TICKETS, Unit::Count)],
            lines: report
                .hours
                .iter()
                .enumerate()
                .map(|(h, n)| Line {
                    label: format!("{h:02}:00"),
                    values: vec![count(*n)],
                })
                .collect(),
        },
    ]
}

/// The CSAT average with one decimal ("4.5 of 5"), or a dash without answers.
pub fn csat_average(report: &Report) -> String {
    report
        .csat
        .average()
        .map_or_else(|| "—".to_owned(), |a| format!("{a:.1} of 5"))
}

/// The NPS score as a whole number with its sign ("+33", "−20", "0"), or a dash.
pub fn nps_score(report: &Report) -> String {
    match report.nps.score().map(|s| s.round() as i64) {
        None => "—".to_owned(),
        Some(s) if s > 0 => format!("+{s}"),
        Some(s) if s < 0 => format!("−{}", -s),
        Some(_) => "0".to_owned(),
    }
}

/// Tickets solved in the period (as the per-day chart counts them).
pub fn solved(report: &Report) -> u32 {
    report.days.iter().map(|d| d.solved).sum()
}

/// A median and p90 in a few words ("30 s · p90 10 min"), or a dash.
pub fn spread_text(s: &Spread) -> String {
    match (s.median, s.p90) {
        (Some(m), Some(p)) => format!("{} · p90 {}", records::duration(m), records::duration(p)),
        _ => "—".to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use porchlight_shared::records::report::Day;
    use porchlight_shared::records::stats::{Csat, Nps};

    fn report() -> Report {
        Report {
            tickets: 3,
            days: vec![
                Day {
                    date: "2025-11-30".into(),
                    created: 1,
                    solved: 0,
                },
                Day {
                    date: "2025-12-01".into(),
                    created: 2,
                    solved: 1,
                },
            ],
            first_response: Spread {
                count: 2,
                median: Some(30_000),
                p90: Some(60_000),
            },
            resolution: Spread::default(),
            csat: Csat {
                counts: [0, 0, 0, 1, 1],
            },
            nps: Nps {
                detractors: 1,
                passives: 0,
                promoters: 2,
            },
            by_channel: vec![("widget".into(), 2), ("api".into(), 1)],
            by_flow: vec![(String::new(), 3)],
            by_agent: vec![("olga".into(), 2), (String::new(), 1)],
            hours: [0; 24],
        }
    }

    fn build() -> Vec<Table> {
        tables(
            &report(),
            |id| format!("Agent {id}"),
            |d| format!("day {d}"),
        )
    }

    #[test]
    fn every_chart_has_its_numbers_as_a_table() {
        let t = build();
        let ids: Vec<&str> = t.iter().map(|t| t.id).collect();
        assert_eq!(
            ids,
            [
                "per-day",
                "times",
                "csat",
                "nps",
                "by-channel",
                "by-flow",
                "by-agent",
                "hours"
            ]
        );
        assert_eq!(t[0].lines[1].label, "day 2025-12-01");
        assert_eq!(t[0].lines[1].values, [Some(2), Some(1)]);
        assert_eq!(t[1].lines[0].values, [Some(30_000), Some(60_000), Some(2)]);
        assert_eq!(t[1].lines[1].values, [None, None, Some(0)]);
        assert_eq!(t[2].lines[0].label, "5 of 5");
        assert_eq!(t[3].lines[0].values, [Some(2)]);
        assert_eq!(t[4].lines[0].label, "Chat widget");
        assert_eq!(t[5].lines[0].label, "No flow");
        assert_eq!(t[6].lines[0].label, "Agent olga");
        assert_eq!(t[6].lines[1].label, "Unassigned");
        assert_eq!(t[7].lines.len(), 24);
        assert_eq!(t[0].max(), 2);
        assert_eq!(
            (t[1].drawn(), t[1].max()),
            (2, 60_000),
            "the count is not drawn"
        );
        assert_eq!(t[1].cell(0, Some(30_000), &|n| n.to_string()), "30 s");
        assert_eq!(t[1].cell(2, Some(2), &|n| n.to_string()), "2");
        assert_eq!(t[1].cell(1, None, &|n| n.to_string()), "—");
        assert_eq!(t[7].max(), 1, "an empty chart still has a scale");
    }

    #[test]
    fn a_tables_csv_has_its_lines_with_durations_in_seconds() {
        let t = build();
        let csv = csv::parse(&t[1].csv());
        assert_eq!(
            csv[0],
            ["Measure", "Median (seconds)", "p90 (seconds)", "Tickets"].map(String::from)
        );
        assert_eq!(
            csv[1],
            ["First response", "30", "60", "2"].map(String::from)
        );
        assert_eq!(csv[2], ["Resolution", "", "", "0"].map(String::from));
        let hostile = Table {
            lines: vec![Line {
                label: "=cmd|x, \"王\"".into(),
                values: vec![Some(1)],
            }],
            ..t[4].clone()
        };
        let csv = csv::parse(&hostile.csv());
        assert_eq!(csv[1], ["'=cmd|x, \"王\"", "1"].map(String::from));
    }

    #[test]
    fn headline_figures_read_as_people_write_them() {
        let r = report();
        assert_eq!(csat_average(&r), "4.5 of 5");
        assert_eq!(nps_score(&r), "+33");
        assert_eq!(solved(&r), 1);
        assert_eq!(spread_text(&r.first_response), "30 s · p90 1 min");
        assert_eq!(spread_text(&r.resolution), "—");
        let none = Report::default();
        assert_eq!(
            (csat_average(&none), nps_score(&none)),
            ("—".into(), "—".into())
        );
        let negative = Report {
            nps: Nps {
                detractors: 2,
                passives: 0,
                promoters: 1,
            },
            ..Report::default()
        };
        assert_eq!(nps_score(&negative), "−33");
    }

    #[test]
    fn the_period_defaults_to_the_last_seven_days_and_round_trips() {
        let day_start = |n: i32| 1_000 + i64::from(n) * 100;
        let q = parse("", day_start).unwrap();
        assert_eq!((q.from, q.to), (Some(400), Some(1_100)));
        assert_eq!(Preset::Today.period(day_start), (1_000, 1_100));
        assert_eq!(Preset::Month.period(day_start), (-1_900, 1_100));
        let test = with_environment(&q, Environment::Test);
        let h = hash(&test);
        assert_eq!(h, "#/reports?from=400&to=1100&env=test");
        let back = parse(h.split_once('?').unwrap().1, day_start).unwrap();
        assert_eq!(back, test);
        assert_eq!(records_hash(&test), "#/records?from=400&to=1100&env=test");
        assert_eq!(
            api_path(&test, "America/Sao_Paulo"),
            "/v1/console/reports?from=400&to=1100&env=test&tz=America%2FSao_Paulo"
        );
        assert!(parse("csat=9", day_start).is_err());
    }

    #[test]
    fn bars_share_one_scale_and_skip_what_is_not_drawn() {
        let t = build();
        let days = bars(&t[0]);
        assert_eq!(days.len(), 4, "two days, created and solved");
        let tallest = days.iter().map(|b| b.height).fold(0.0, f64::max);
        assert_eq!(tallest, CHART_HEIGHT, "2 created is the full height");
        assert_eq!((days[0].height, days[1].height), (CHART_HEIGHT / 2.0, 0.0));
        assert_eq!((days[0].series, days[1].series), (0, 1));
        assert!(days[1].x > days[0].x && days[2].x > days[1].x);
        assert!(days.iter().all(|b| b.y + b.height == CHART_HEIGHT));
        let times = bars(&t[1]);
        assert_eq!(
            times.len(),
            2,
            "the resolution has no numbers; counts are not drawn"
        );
        assert!(labelled(24, 0) && labelled(24, 3) && !labelled(24, 1));
        assert!((0..8).all(|i| labelled(8, i)));
    }

    #[test]
    fn a_csv_link_carries_the_file() {
        let href = csv_href("a,b\r\n1,王\r\n");
        assert!(
            href.starts_with("data:text/csv;charset=utf-8,a%2Cb%0D%0A1%2C"),
            "{href}"
        );
        assert_eq!(crate::records::decode(&href[28..]), "a,b\r\n1,王\r\n");
    }
}
