//! A records search: the filters an operator combines, as the console keeps them in its URL and
//! the edge reads them from the records API's query string, and the keyset cursor that pages
//! through the results newest first (never OFFSET, so page 500 costs what page 1 does).
//!
//! Both sides go through [`RecordQuery::from_pairs`] and [`RecordQuery::to_pairs`] on decoded
//! `key=value` pairs, so a bookmarked console URL and an API call mean the same search.

use std::fmt;

use crate::error::ErrorCode;
use crate::lifecycle::{Millis, Status};
use crate::records::stats::NpsBand;
use crate::validate::{Invalid, MAX_PAGE};

/// Longest text search, in characters.
pub const MAX_SEARCH_CHARS: usize = 200;

/// Where a ticket's conversation came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Channel {
    /// The chat widget on a site.
    Widget,
    /// The HTTP API.
    Api,
}

impl Channel {
    /// Its name in URLs, the index and exports.
    pub fn as_str(self) -> &'static str {
        match self {
            Channel::Widget => "widget",
            Channel::Api => "api",
        }
    }

    fn parse(s: &str) -> Option<Channel> {
        [Channel::Widget, Channel::Api]
            .into_iter()
            .find(|c| c.as_str() == s)
    }
}

/// Production traffic, or the site's tests (its test origins and the widget's preview mode).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash)]
pub enum Environment {
    /// Real visitors; what a search shows unless asked otherwise.
    #[default]
    Production,
    /// The site's own tests.
    Test,
}

impl Environment {
    /// Its name in URLs, the index and exports.
    pub fn as_str(self) -> &'static str {
        match self {
            Environment::Production => "production",
            Environment::Test => "test",
        }
    }

    fn parse(s: &str) -> Option<Environment> {
        [Environment::Production, Environment::Test]
            .into_iter()
            .find(|e| e.as_str() == s)
    }
}

/// Where the next page starts: just after this ticket in the newest-first order
/// (`created_at` descending, then conversation id and ticket number descending).
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Cursor {
    /// The last row's creation time.
    pub created_at: Millis,
    /// The last row's conversation id.
    pub conversation: String,
    /// The last row's ticket number.
    pub ticket: u32,
}

impl fmt::Display for Cursor {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{}.{}.{}",
            self.created_at, self.ticket, self.conversation
        )
    }
}

impl Cursor {
    /// Reads what [`Cursor`]'s `Display` wrote.
    pub fn parse(s: &str) -> Option<Cursor> {
        let mut parts = s.splitn(3, '.');
        let created_at = parts.next()?.parse().ok()?;
        let ticket = parts.next()?.parse().ok()?;
        let conversation = parts.next()?;
        crate::validate::id("after", conversation).ok()?;
        Some(Cursor {
            created_at,
            conversation: conversation.to_owned(),
            ticket,
        })
    }
}

/// The filters of a records search, each optional, combined with AND.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct RecordQuery {
    /// Visitor name, email, phone or external id, or words said in the conversation.
    pub text: Option<String>,
    /// The flow that handled the ticket.
    pub flow: Option<String>,
    /// Where it came from.
    pub channel: Option<Channel>,
    /// Created at or after (ms since the epoch).
    pub from: Option<Millis>,
    /// Created before (ms since the epoch).
    pub to: Option<Millis>,
    /// Production (the default) or test traffic.
    pub environment: Environment,
    /// Its status now.
    pub status: Option<Status>,
    /// Its CSAT answer (1–5).
    pub csat: Option<u8>,
    /// Its NPS answer's band.
    pub nps: Option<NpsBand>,
    /// An agent who was assigned or replied.
    pub agent: Option<String>,
    /// Whether files were exchanged.
    pub has_files: Option<bool>,
    /// Page after this cursor (absent: the first page).
    pub after: Option<Cursor>,
    /// Rows per page (1–[`MAX_PAGE`]; clamped).
    pub limit: Option<u32>,
}

fn invalid(field: &str, message: impl fmt::Display) -> Invalid {
    Invalid {
        code: ErrorCode::InvalidField,
        message: format!("{field}: {message}"),
    }
}

impl RecordQuery {
    /// Reads a search from decoded `key=value` pairs. Empty values mean "no filter"; an unknown
    /// key is refused (a misspelt filter must not silently widen a search or an export).
    pub fn from_pairs<'a>(
        pairs: impl IntoIterator<Item = (&'a str, &'a str)>,
    ) -> Result<Self, Invalid> {
        let mut q = RecordQuery::default();
        for (key, value) in pairs {
            let value = value.trim();
            if value.is_empty() {
                continue;
            }
            match key {
                "q" => {
                    if value.chars().count() > MAX_SEARCH_CHARS {
                        return Err(invalid(
                            key,
                            format!("at most {MAX_SEARCH_CHARS} characters"),
                        ));
                    }
                    q.text = Some(value.to_owned());
                }
                "flow" => {
                    crate::validate::id(key, value)?;
                    q.flow = Some(value.to_owned());
                }
                "agent" => {
                    crate::validate::id(key, value)?;
                    q.agent = Some(value.to_owned());
                }
                "channel" => {
                    q.channel =
                        Some(Channel::parse(value).ok_or_else(|| invalid(key, "widget or api"))?);
                }
                "from" | "to" => {
                    let at: Millis = value
                        .parse()
                        .ok()
                        .filter(|ms| *ms >= 0)
                        .ok_or_else(|| invalid(key, "a time in ms since the epoch"))?;
                    if key == "from" {
                        q.from = Some(at);
                    } else {
                        q.to = Some(at);
                    }
                }
                "env" => {
                    q.environment = Environment::parse(value)
                        .ok_or_else(|| invalid(key, "production or test"))?;
                }
                "status" => {
                    q.status =
                        Some(Status::parse(value).ok_or_else(|| invalid(key, "a ticket status"))?);
                }
                "csat" => {
                    q.csat = Some(
                        value
                            .parse()
                            .ok()
                            .filter(|s| crate::records::stats::CSAT_RANGE.contains(s))
                            .ok_or_else(|| invalid(key, "1 to 5"))?,
                    );
                }
                "nps" => {
                    q.nps = Some(
                        NpsBand::parse(value)
                            .ok_or_else(|| invalid(key, "detractor, passive or promoter"))?,
                    );
                }
                "files" => {
                    q.has_files = Some(match value {
                        "yes" => true,
                        "no" => false,
                        _ => return Err(invalid(key, "yes or no")),
                    });
                }
                "after" => {
                    q.after = Some(
                        Cursor::parse(value)
                            .ok_or_else(|| invalid(key, "a cursor from a previous page"))?,
                    );
                }
                "limit" => {
                    let n: u32 = value.parse().map_err(|_| invalid(key, "a whole number"))?;
                    q.limit = Some(n.clamp(1, MAX_PAGE));
                }
                _ => return Err(invalid(key, "not a records filter")),
            }
        }
        if let (Some(from), Some(to)) = (q.from, q.to) {
            if from >= to {
                return Err(invalid("from", "must be before to"));
            }
        }
        Ok(q)
    }

    /// The search as `key=value` pairs (not yet percent-encoded), in a fixed order, leaving out
    /// what is unset or default: what the console puts in its URL and sends to the API.
    pub fn to_pairs(&self) -> Vec<(&'static str, String)> {
        let mut pairs = Vec::new();
        let mut put = |key, value: Option<String>| {
            if let Some(v) = value {
                pairs.push((key, v));
            }
        };
        put("q", self.text.clone());
        put("flow", self.flow.clone());
        put("channel", self.channel.map(|c| c.as_str().to_owned()));
        put("from", self.from.map(|t| t.to_string()));
        put("to", self.to.map(|t| t.to_string()));
        put(
            "env",
            (self.environment != Environment::default())
                .then(|| self.environment.as_str().to_owned()),
        );
        put("status", self.status.map(|s| s.as_str().to_owned()));
        put("csat", self.csat.map(|s| s.to_string()));
        put("nps", self.nps.map(|b| b.as_str().to_owned()));
        put("agent", self.agent.clone());
        put(
            "files",
            self.has_files
                .map(|f| if f { "yes" } else { "no" }.to_owned()),
        );
        put("after", self.after.as_ref().map(Cursor::to_string));
        put("limit", self.limit.map(|n| n.to_string()));
        pairs
    }

    /// The same search from its first page (what a changed filter or an export starts from).
    pub fn first_page(&self) -> RecordQuery {
        RecordQuery {
            after: None,
            ..self.clone()
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(pairs: &[(&str, &str)]) -> Result<RecordQuery, Invalid> {
        RecordQuery::from_pairs(pairs.iter().copied())
    }

    #[test]
    fn every_filter_round_trips_through_pairs() {
        let q = RecordQuery {
            text: Some("cartão cobrado duas vezes".into()),
            flow: Some("faq-bot".into()),
            channel: Some(Channel::Api),
            from: Some(1_700_000_000_000),
            to: Some(1_800_000_000_000),
            environment: Environment::Test,
            status: Some(Status::OnHold),
            csat: Some(2),
            nps: Some(NpsBand::Passive),
            agent: Some("alice".into()),
            has_files: Some(false),
            after: Some(Cursor {
                created_at: 1_750_000_000_000,
                conversation: "cv_abc".into(),
                ticket: 3,
            }),
            limit: Some(25),
        };
        let pairs = q.to_pairs();
        let back = RecordQuery::from_pairs(pairs.iter().map(|(k, v)| (*k, v.as_str()))).unwrap();
        assert_eq!(back, q);
        assert_eq!(
            RecordQuery::default().to_pairs(),
            vec![],
            "defaults are left out"
        );
    }

    #[test]
    fn empty_values_are_no_filter_and_production_is_the_default() {
        let q = parse(&[("q", "  "), ("status", ""), ("agent", "")]).unwrap();
        assert_eq!(q, RecordQuery::default());
        assert_eq!(q.environment, Environment::Production);
    }

    #[test]
    fn bad_values_are_refused_with_the_field_named() {
        for (key, value) in [
            ("channel", "email"),
            ("env", "staging"),
            ("status", "done"),
            ("csat", "0"),
            ("csat", "6"),
            ("nps", "promoters"),
            ("files", "true"),
            ("from", "yesterday"),
            ("from", "-1"),
            ("after", "12.x.cv_a"),
            ("limit", "-5"),
            ("agent", "a b"),
            ("sort", "asc"),
        ] {
            let err = parse(&[(key, value)]).unwrap_err();
            assert_eq!(err.code, ErrorCode::InvalidField, "{key}={value}");
            assert!(
                err.message.starts_with(key),
                "{key}={value}: {}",
                err.message
            );
        }
        let long = "x".repeat(MAX_SEARCH_CHARS + 1);
        assert!(parse(&[("q", &long)]).is_err());
        let err = parse(&[("from", "20"), ("to", "10")]).unwrap_err();
        assert!(err.message.contains("before"), "{}", err.message);
    }

    #[test]
    fn limits_are_clamped_and_cursors_restart_on_a_new_search() {
        assert_eq!(parse(&[("limit", "0")]).unwrap().limit, Some(1));
        assert_eq!(parse(&[("limit", "100000")]).unwrap().limit, Some(MAX_PAGE));
        let q = parse(&[("after", "5.2.cv_x"), ("status", "solved")]).unwrap();
        assert_eq!(q.after.as_ref().map(|c| c.ticket), Some(2));
        let first = q.first_page();
        assert_eq!(first.after, None);
        assert_eq!(first.status, Some(Status::Solved));
    }

    #[test]
    fn cursors_round_trip_and_refuse_what_is_not_one() {
        let c = Cursor {
            created_at: 42,
            conversation: "cv_a-b".into(),
            ticket: 7,
        };
        assert_eq!(c.to_string(), "42.7.cv_a-b");
        assert_eq!(Cursor::parse(&c.to_string()), Some(c));
        assert_eq!(Cursor::parse("42.7"), None);
        assert_eq!(Cursor::parse(""), None);
        assert_eq!(Cursor::parse("42.7.cv a"), None, "not an id");
    }
}
