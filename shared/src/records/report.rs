//! The reports page's figures for a period, computed from the same rows the records list shows
//! for the same filters (so the two always agree), never from counters kept by hand.
//!
//! Days and hours are the site's: the caller passes the site's UTC offset at an instant (the edge
//! reads it from the runtime's time zone data), so a day that changes to or from summer time is
//! still one day.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::lifecycle::Millis;
use crate::records::row::RecordRow;
use crate::records::stats::{median, percentile, Csat, Nps};

const DAY_MS: Millis = 86_400_000;
const HOUR_MS: Millis = 3_600_000;
/// Most days a report covers.
pub const MAX_DAYS: usize = 366;

/// One day of the period, in the site's calendar.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Day {
    /// `YYYY-MM-DD`.
    pub date: String,
    /// Tickets created that day.
    pub created: u32,
    /// Of those tickets, how many were (last) solved that day.
    pub solved: u32,
}

/// Median and 90th percentile of a duration, over the tickets that have it.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Spread {
    /// Tickets counted.
    pub count: u32,
    /// Median, ms.
    pub median: Option<Millis>,
    /// 90th percentile, ms.
    pub p90: Option<Millis>,
}

impl Spread {
    fn of(mut values: Vec<Millis>) -> Spread {
        Spread {
            count: u32::try_from(values.len()).unwrap_or(u32::MAX),
            median: median(&mut values),
            p90: percentile(&mut values, 90),
        }
    }
}

/// Everything the reports page draws (`GET /v1/console/reports`).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Report {
    /// Tickets counted: the records list's total for the same filters.
    pub tickets: u32,
    /// Every day of the period, empty days included.
    pub days: Vec<Day>,
    /// First response time.
    pub first_response: Spread,
    /// Resolution time.
    pub resolution: Spread,
    /// CSAT answers.
    pub csat: Csat,
    /// NPS answers.
    pub nps: Nps,
    /// Tickets by channel, most first.
    pub by_channel: Vec<(String, u32)>,
    /// Tickets by flow (`""`: none), most first.
    pub by_flow: Vec<(String, u32)>,
    /// Tickets by assigned agent (`""`: none), most first.
    pub by_agent: Vec<(String, u32)>,
    /// Tickets created in each hour of the site's day, 0–23.
    pub hours: [u32; 24],
}

/// The report of `rows` (the tickets created in `from..to`) in a site whose UTC offset at an
/// instant is `offset(at)` (ms, east positive).
pub fn build(
    rows: &[RecordRow],
    from: Millis,
    to: Millis,
    offset: impl Fn(Millis) -> Millis,
) -> Report {
    let mut builder = Builder::new(from, to, offset);
    for row in rows {
        builder.add(row);
    }
    builder.finish()
}

/// A report built a row at a time, so that a caller reading the rows a page at a time keeps
/// only the figures (and two durations per ticket for the percentiles), never the rows.
pub struct Builder<F> {
    offset: F,
    first_day: i64,
    report: Report,
    channels: BTreeMap<String, u32>,
    flows: BTreeMap<String, u32>,
    agents: BTreeMap<String, u32>,
    responses: Vec<Millis>,
    resolutions: Vec<Millis>,
}

impl<F: Fn(Millis) -> Millis> Builder<F> {
    /// An empty report of the period `from..to`, every day of it present.
    pub fn new(from: Millis, to: Millis, offset: F) -> Builder<F> {
        let local_day = |at: Millis| (at + offset(at)).div_euclid(DAY_MS);
        let first_day = local_day(from);
        let last_day = local_day((to - 1).max(from));
        let span = usize::try_from(last_day - first_day + 1)
            .unwrap_or(0)
            .min(MAX_DAYS);
        let days = (0..span)
            .map(|i| Day {
                date: date(first_day + i as i64),
                created: 0,
                solved: 0,
            })
            .collect();
        Builder {
            offset,
            first_day,
            report: Report {
                days,
                ..Report::default()
            },
            channels: BTreeMap::new(),
            flows: BTreeMap::new(),
            agents: BTreeMap::new(),
            responses: Vec::new(),
            resolutions: Vec::new(),
        }
    }

    /// The day of the period `at` falls on, if it does.
    fn day(&self, at: Millis) -> Option<usize> {
        let day = (at + (self.offset)(at)).div_euclid(DAY_MS);
        usize::try_from(day - self.first_day)
            .ok()
            .filter(|i| *i < self.report.days.len())
    }

    /// Counts one ticket.
    pub fn add(&mut self, row: &RecordRow) {
        if let Some(i) = self.day(row.created_at) {
            self.report.days[i].created += 1;
        }
        if let Some(i) = row.solved_at.and_then(|at| self.day(at)) {
            self.report.days[i].solved += 1;
        }
        let local = row.created_at + (self.offset)(row.created_at);
        let hour = usize::try_from(local.rem_euclid(DAY_MS) / HOUR_MS).unwrap_or(0);
        let report = &mut self.report;
        if let Some(h) = report.hours.get_mut(hour) {
            *h += 1;
        }
        report.tickets = report.tickets.saturating_add(1);
        self.responses.extend(row.first_response_ms());
        self.resolutions.extend(row.resolution_ms());
        if let Some(score) = row.csat {
            report.csat.add(score);
        }
        if let Some(score) = row.nps {
            report.nps.add(score);
        }
        *self.channels.entry(row.channel.clone()).or_insert(0) += 1;
        *self.flows.entry(row.flow.clone()).or_insert(0) += 1;
        *self
            .agents
            .entry(row.assignee.clone().unwrap_or_default())
            .or_insert(0) += 1;
    }

    /// The report of every ticket added.
    pub fn finish(self) -> Report {
        Report {
            first_response: Spread::of(self.responses),
            resolution: Spread::of(self.resolutions),
            by_channel: most_first(self.channels),
            by_flow: most_first(self.flows),
            by_agent: most_first(self.agents),
            ..self.report
        }
    }
}

/// Counts, largest first, ties by name.
fn most_first(counts: BTreeMap<String, u32>) -> Vec<(String, u32)> {
    let mut v: Vec<(String, u32)> = counts.into_iter().collect();
    v.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
    v
}

/// Days since 1970-01-01 as `YYYY-MM-DD`.
fn date(day: i64) -> String {
    chrono::DateTime::from_timestamp(day * 86_400, 0)
        .map(|t| t.format("%Y-%m-%d").to_string())
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lifecycle::Status;

    const H: Millis = HOUR_MS;
    /// 2026-11-01T00:00:00Z.
    const NOV1: Millis = 1_793_491_200_000;

    fn row(created: Millis) -> RecordRow {
        RecordRow {
            conversation_id: format!("cv_{created}"),
            ticket: 1,
            status: Some(Status::Open),
            channel: "widget".into(),
            environment: "production".into(),
            created_at: created,
            ..RecordRow::default()
        }
    }

    #[test]
    fn days_hours_and_volumes_in_the_sites_calendar() {
        // São Paulo: UTC−3. A ticket at 01:00 UTC on Nov 2 is 22:00 on Nov 1 there.
        let brt = |_| -3 * H;
        let rows = vec![
            RecordRow {
                first_response_at: Some(NOV1 + 25 * H + 60_000),
                solved_at: Some(NOV1 + 30 * H),
                csat: Some(5),
                nps: Some(10),
                assignee: Some("alice".into()),
                ..row(NOV1 + 25 * H)
            },
            RecordRow {
                first_response_at: Some(NOV1 + 40 * H + 180_000),
                channel: "api".into(),
                csat: Some(3),
                nps: Some(5),
                assignee: Some("bob".into()),
                ..row(NOV1 + 40 * H)
            },
            RecordRow {
                first_response_at: Some(NOV1 + 41 * H + 120_000),
                closed_at: Some(NOV1 + 45 * H),
                assignee: Some("alice".into()),
                ..row(NOV1 + 41 * H)
            },
        ];
        let r = build(&rows, NOV1 + 3 * H, NOV1 + 3 * H + 3 * 24 * H, brt);
        let days: Vec<(&str, u32, u32)> = r
            .days
            .iter()
            .map(|d| (d.date.as_str(), d.created, d.solved))
            .collect();
        assert_eq!(
            days,
            [
                ("2026-11-01", 1, 0),
                ("2026-11-02", 2, 1),
                ("2026-11-03", 0, 0)
            ],
            "22:00 on the 1st; solved 03:00 on the 2nd; 13:00 and 14:00 on the 2nd"
        );
        assert_eq!(r.hours[22], 1);
        assert_eq!(r.hours[13], 1);
        assert_eq!(r.hours[14], 1);
        assert_eq!(r.hours.iter().sum::<u32>(), 3);
        assert_eq!(r.tickets, 3);
        assert_eq!(
            r.first_response,
            Spread {
                count: 3,
                median: Some(120_000),
                p90: Some(180_000)
            }
        );
        assert_eq!(
            r.resolution,
            Spread {
                count: 2,
                median: Some(4 * H),
                p90: Some(5 * H)
            }
        );
        assert_eq!(r.csat.average(), Some(4.0));
        assert_eq!(r.nps.score(), Some(0.0), "one promoter, one detractor");
        assert_eq!(
            r.by_channel,
            [("widget".to_owned(), 2), ("api".to_owned(), 1)]
        );
        assert_eq!(r.by_agent, [("alice".to_owned(), 2), ("bob".to_owned(), 1)]);
        assert_eq!(r.by_flow, [(String::new(), 3)]);
    }

    #[test]
    fn a_day_that_changes_offset_is_one_day() {
        // A zone that moves from UTC+1 to UTC+2 at 01:00 UTC on Nov 2.
        let change = NOV1 + 25 * H;
        let offset = |at: Millis| if at < change { H } else { 2 * H };
        let rows = vec![row(NOV1 + 23 * H + H / 2), row(NOV1 + 46 * H)];
        let r = build(&rows, NOV1 - H, NOV1 + 47 * H, offset);
        let days: Vec<(&str, u32)> = r
            .days
            .iter()
            .map(|d| (d.date.as_str(), d.created))
            .collect();
        // 23:30 UTC on the 1st is 00:30 on the 2nd (+1); 22:00 UTC on the 2nd is 00:00 on the 3rd (+2).
        assert_eq!(
            days,
            [("2026-11-01", 0), ("2026-11-02", 1), ("2026-11-03", 1)]
        );
    }

    #[test]
    fn an_empty_period_has_its_days_and_no_figures() {
        let r = build(&[], NOV1, NOV1 + 7 * 24 * H, |_| 0);
        assert_eq!(r.days.len(), 7);
        assert!(r.days.iter().all(|d| d.created == 0 && d.solved == 0));
        assert_eq!(r.first_response, Spread::default());
        assert_eq!(r.csat.average(), None);
        assert_eq!(r.nps.score(), None);
        assert!(r.by_channel.is_empty());
    }
}
