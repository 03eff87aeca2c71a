//! A row of the records index as the records API returns it and the console lists it, and its
//! line in the CSV export.

use serde::{Deserialize, Serialize};

use crate::lifecycle::{Millis, Status};
use crate::records::csv::{self, Cell};
use crate::records::mask;

/// One ticket in the records index.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct RecordRow {
    /// Its conversation.
    pub conversation_id: String,
    /// Ticket number within the conversation.
    pub ticket: u32,
    /// Status now (absent only for a row written before its first status change).
    pub status: Option<Status>,
    /// `widget` or `api`.
    pub channel: String,
    /// The flow that handled it; empty when none did.
    #[serde(default)]
    pub flow: String,
    /// `production` or `test`.
    pub environment: String,
    /// The visitor's name, if known.
    #[serde(default)]
    pub visitor_name: Option<String>,
    /// The visitor's email, if known.
    #[serde(default)]
    pub visitor_email: Option<String>,
    /// The visitor's phone (E.164), if known.
    #[serde(default)]
    pub visitor_phone: Option<String>,
    /// The site's own id for the visitor, if it identified them.
    #[serde(default)]
    pub visitor_external_id: Option<String>,
    /// The agent it is (or was last) assigned to.
    #[serde(default)]
    pub assignee: Option<String>,
    /// The first thing the visitor said.
    #[serde(default)]
    pub first_line: String,
    /// Created, ms since the epoch.
    pub created_at: Millis,
    /// First agent message.
    #[serde(default)]
    pub first_response_at: Option<Millis>,
    /// Last solved (absent when reopened since).
    #[serde(default)]
    pub solved_at: Option<Millis>,
    /// Closed.
    #[serde(default)]
    pub closed_at: Option<Millis>,
    /// Messages by the visitor.
    #[serde(default)]
    pub visitor_messages: u32,
    /// Messages by agents.
    #[serde(default)]
    pub agent_messages: u32,
    /// Messages by bots.
    #[serde(default)]
    pub bot_messages: u32,
    /// Files exchanged.
    #[serde(default)]
    pub files: u32,
    /// Transfers.
    #[serde(default)]
    pub transfers: u32,
    /// Reopenings after Solved.
    #[serde(default)]
    pub reopenings: u32,
    /// Time New or Open, in ms.
    #[serde(default)]
    pub active_ms: Millis,
    /// CSAT answer, 1–5.
    #[serde(default)]
    pub csat: Option<u8>,
    /// NPS answer, 0–10.
    #[serde(default)]
    pub nps: Option<u8>,
    /// When the visitor consented to the privacy text (ms since the epoch, the edge's clock);
    /// absent when the site asks for no consent or it was not given.
    #[serde(default)]
    pub consent_at: Option<Millis>,
    /// The privacy text's version they consented to.
    #[serde(default)]
    pub consent_version: Option<String>,
    /// The locale the privacy text was shown in.
    #[serde(default)]
    pub consent_locale: Option<String>,
}

impl RecordRow {
    /// From creation to the first agent message.
    pub fn first_response_ms(&self) -> Option<Millis> {
        self.first_response_at.map(|at| at - self.created_at)
    }

    /// From creation to the last solve, or to Closed for a ticket closed unsolved.
    pub fn resolution_ms(&self) -> Option<Millis> {
        self.solved_at
            .or(self.closed_at)
            .map(|at| at - self.created_at)
    }
}

/// One page of a records search (`GET /v1/console/records`).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct RecordPage {
    /// The tickets, newest first.
    pub rows: Vec<RecordRow>,
    /// The `after` value of the next page; absent on the last page.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub next: Option<String>,
    /// How many tickets the search finds in all.
    pub total: u64,
}

/// The export's columns, in order (the header line's names).
pub const EXPORT_COLUMNS: [&str; 27] = [
    "conversation_id",
    "ticket",
    "status",
    "channel",
    "flow",
    "environment",
    "visitor_name",
    "visitor_email",
    "visitor_phone",
    "visitor_external_id",
    "agent",
    "first_line",
    "created_at",
    "first_response_at",
    "solved_at",
    "closed_at",
    "first_response_seconds",
    "resolution_seconds",
    "duration_seconds",
    "visitor_messages",
    "agent_messages",
    "files",
    "csat",
    "nps",
    "consent_at",
    "consent_version",
    "consent_locale",
];

/// How the export writes what it writes.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct ExportOptions {
    /// Emails and phones masked ([`mask`]).
    pub mask: bool,
    /// A byte-order mark first, for spreadsheets that need it to read UTF-8.
    pub bom: bool,
}

/// The export's first line (with the BOM when asked).
pub fn export_header(options: ExportOptions) -> String {
    let mut out = String::new();
    if options.bom {
        out.push_str(csv::BOM);
    }
    csv::write_row(&mut out, &EXPORT_COLUMNS.map(Cell::Text));
    out
}

/// An optional text cell.
fn text(value: &Option<String>) -> Cell<'_> {
    value.as_deref().map_or(Cell::Empty, Cell::Text)
}

/// Appends the export line of `row` to `out`. Times are UTC, ISO 8601 (`2026-11-29T14:02:00Z`),
/// which every spreadsheet reads; durations are whole seconds; `now` ends a live ticket's
/// duration.
pub fn write_export_row(out: &mut String, row: &RecordRow, options: ExportOptions, now: Millis) {
    let email = row.visitor_email.as_deref().map(|e| {
        if options.mask {
            mask::email(e)
        } else {
            e.to_owned()
        }
    });
    let phone = row.visitor_phone.as_deref().map(|p| {
        if options.mask {
            mask::phone(p)
        } else {
            p.to_owned()
        }
    });
    let time = |at: Option<Millis>| at.map(iso_utc);
    let (created, first, solved, closed, consent) = (
        iso_utc(row.created_at),
        time(row.first_response_at),
        time(row.solved_at),
        time(row.closed_at),
        time(row.consent_at),
    );
    let seconds = |ms: Option<Millis>| ms.map_or(Cell::Empty, |ms| Cell::Int(ms / 1_000));
    let duration = row.closed_at.unwrap_or(now).max(row.created_at) - row.created_at;
    let number = |n: u32| Cell::Int(i64::from(n));
    csv::write_row(
        out,
        &[
            Cell::Text(&row.conversation_id),
            number(row.ticket),
            row.status.map_or(Cell::Empty, |s| Cell::Text(s.as_str())),
            Cell::Text(&row.channel),
            Cell::Text(&row.flow),
            Cell::Text(&row.environment),
            text(&row.visitor_name),
            text(&email),
            text(&phone),
            text(&row.visitor_external_id),
            text(&row.assignee),
            Cell::Text(&row.first_line),
            Cell::Text(&created),
            text(&first),
            text(&solved),
            text(&closed),
            seconds(row.first_response_ms()),
            seconds(row.resolution_ms()),
            seconds(Some(duration)),
            number(row.visitor_messages),
            number(row.agent_messages),
            number(row.files),
            row.csat.map_or(Cell::Empty, |s| Cell::Int(i64::from(s))),
            row.nps.map_or(Cell::Empty, |s| Cell::Int(i64::from(s))),
            text(&consent),
            text(&row.consent_version),
            text(&row.consent_locale),
        ],
    );
}

/// `ms` since the epoch as `YYYY-MM-DDTHH:MM:SSZ` (UTC); empty outside chrono's range.
pub fn iso_utc(ms: Millis) -> String {
    chrono::DateTime::from_timestamp_millis(ms)
        .map(|t| t.format("%Y-%m-%dT%H:%M:%SZ").to_string())
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row() -> RecordRow {
        RecordRow {
            conversation_id: "cv_1".into(),
            ticket: 2,
            status: Some(Status::Closed),
            channel: "widget".into(),
            environment: "production".into(),
            visitor_name: Some("=Silva, \"Maria\"".into()),
            visitor_email: Some("maria@example.com".into()),
            visitor_phone: Some("+5511987654321".into()),
            assignee: Some("alice".into()),
            first_line: "我的卡被扣了两次\n请帮忙".into(),
            created_at: 1_764_424_920_000,
            first_response_at: Some(1_764_424_950_000),
            solved_at: Some(1_764_425_520_000),
            closed_at: Some(1_764_428_520_000),
            visitor_messages: 3,
            agent_messages: 2,
            files: 1,
            csat: Some(4),
            nps: Some(9),
            consent_at: Some(1_764_424_900_000),
            consent_version: Some("3f2a9c1e".into()),
            consent_locale: Some("pt-BR".into()),
            ..RecordRow::default()
        }
    }

    #[test]
    fn times_are_iso_utc() {
        assert_eq!(iso_utc(0), "1970-01-01T00:00:00Z");
        assert_eq!(iso_utc(1_764_424_920_000), "2025-11-29T14:02:00Z");
        assert_eq!(iso_utc(951_782_400_000), "2000-02-29T00:00:00Z");
    }

    #[test]
    fn an_export_line_parses_back_to_its_fields() {
        let options = ExportOptions::default();
        let mut out = export_header(options);
        write_export_row(&mut out, &row(), options, 0);
        let parsed = csv::parse(&out);
        assert_eq!(parsed.len(), 2);
        assert_eq!(parsed[0], EXPORT_COLUMNS.map(String::from).to_vec());
        let line: std::collections::HashMap<&str, &str> = EXPORT_COLUMNS
            .iter()
            .copied()
            .zip(parsed[1].iter().map(String::as_str))
            .collect();
        assert_eq!(
            line["visitor_name"], "'=Silva, \"Maria\"",
            "neutralised, quoted"
        );
        assert_eq!(line["visitor_email"], "maria@example.com");
        assert_eq!(line["first_line"], "我的卡被扣了两次\n请帮忙");
        assert_eq!(line["created_at"], "2025-11-29T14:02:00Z");
        assert_eq!(line["first_response_seconds"], "30");
        assert_eq!(line["resolution_seconds"], "600");
        assert_eq!(line["duration_seconds"], "3600");
        assert_eq!(line["agent"], "alice");
        assert_eq!((line["csat"], line["nps"], line["files"]), ("4", "9", "1"));
        assert_eq!(line["flow"], "");
        assert_eq!(
            (
                line["consent_at"],
                line["consent_version"],
                line["consent_locale"]
            ),
            ("2025-11-29T14:01:40Z", "3f2a9c1e", "pt-BR")
        );
    }

    #[test]
    fn masking_and_the_byte_order_mark_are_on_request() {
        let options = ExportOptions {
            mask: true,
            bom: true,
        };
        let mut out = export_header(options);
        assert!(out.starts_with('\u{feff}'));
        write_export_row(&mut out, &row(), options, 0);
        assert!(out.contains("m***@example.com"), "{out}");
        assert!(out.contains("+*********4321"), "{out}");
        assert!(!out.contains("maria@"), "{out}");
    }

    #[test]
    fn a_live_ticket_lasts_until_now() {
        let live = RecordRow {
            status: Some(Status::Open),
            solved_at: None,
            closed_at: None,
            ..row()
        };
        let mut out = String::new();
        write_export_row(
            &mut out,
            &live,
            ExportOptions::default(),
            live.created_at + 90_000,
        );
        let fields = &csv::parse(&out)[0];
        assert_eq!(fields[18], "90");
        assert_eq!(fields[17], "", "not resolved");
    }
}
