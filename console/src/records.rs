//! The records screen's rules, apart from the browser: a search as the screen's URL fragment
//! (`#/records?status=solved&csat=5`), the records API's and the export's addresses for the same
//! search, and what a row shows. The filters themselves are the shared [`RecordQuery`], read from
//! and written to the same `key=value` pairs the API takes, so a bookmarked search and the export
//! it offers mean the same tickets.

use porchlight_shared::records::query::{RecordQuery, MAX_SEARCH_CHARS};
use porchlight_shared::records::row::RecordRow;
use porchlight_shared::records::stats::NpsBand;
use porchlight_shared::Millis;

/// The records screen's fragment, without a search.
pub const RECORDS_HASH: &str = "#/records";

/// The records API.
const API_PATH: &str = "/v1/console/records";

/// `s` percent-encoded for a query string: everything but the unreserved characters of
/// RFC 3986 (so `&`, `=`, `#`, `+` and spaces inside a value stay inside it).
pub fn encode(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for b in s.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_' | b'~') {
            out.push(char::from(b));
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// Reverses [`encode`] (and reads `+` as a space, as forms write it). A `%` not followed by two
/// hex digits is kept as it is; bytes that are not UTF-8 become U+FFFD.
pub fn decode(s: &str) -> String {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let hex = |at: usize| {
            bytes
                .get(at)
                .and_then(|b| char::from(*b).to_digit(16))
                .and_then(|d| u8::try_from(d).ok())
        };
        match bytes[i] {
            b'%' => match (hex(i + 1), hex(i + 2)) {
                (Some(hi), Some(lo)) => {
                    out.push(hi * 16 + lo);
                    i += 3;
                    continue;
                }
                _ => out.push(b'%'),
            },
            b'+' => out.push(b' '),
            b => out.push(b),
        }
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// The decoded `key=value` pairs of a query string (without its `?`).
pub fn pairs(query: &str) -> Vec<(String, String)> {
    query
        .split('&')
        .filter(|p| !p.is_empty())
        .map(|p| match p.split_once('=') {
            Some((k, v)) => (decode(k), decode(v)),
            None => (decode(p), String::new()),
        })
        .collect()
}

/// Pairs as a query string (without its `?`).
fn query_string<'a>(pairs: impl IntoIterator<Item = (&'a str, &'a str)>) -> String {
    pairs
        .into_iter()
        .map(|(k, v)| format!("{}={}", encode(k), encode(v)))
        .collect::<Vec<_>>()
        .join("&")
}

/// Reads the search a fragment's query names. The error is a sentence naming the filter.
pub fn parse_search(query: &str) -> Result<RecordQuery, String> {
    let pairs = pairs(query);
    RecordQuery::from_pairs(pairs.iter().map(|(k, v)| (k.as_str(), v.as_str())))
        .map_err(|e| format!("This search's address is not valid ({}).", e.message))
}

/// The search as the query of the screen's fragment: its filters and page size, never a page
/// cursor (a shared link opens on the first page).
pub fn search_query(q: &RecordQuery) -> String {
    let pairs = q.first_page().to_pairs();
    query_string(pairs.iter().map(|(k, v)| (*k, v.as_str())))
}

/// The screen's fragment for a search.
pub fn hash(q: &RecordQuery) -> String {
    let query = search_query(q);
    if query.is_empty() {
        RECORDS_HASH.to_owned()
    } else {
        format!("{RECORDS_HASH}?{query}")
    }
}

/// The API address of one page of a search (`after` included when it pages on).
pub fn api_path(q: &RecordQuery) -> String {
    let pairs = q.to_pairs();
    let query = query_string(pairs.iter().map(|(k, v)| (*k, v.as_str())));
    if query.is_empty() {
        API_PATH.to_owned()
    } else {
        format!("{API_PATH}?{query}")
    }
}

/// How the export writes its file.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct ExportChoice {
    /// A byte-order mark first, for spreadsheets.
    pub bom: bool,
    /// Emails and phones masked.
    pub mask: bool,
}

/// The export's address for a search: its filters (no cursor, no page size: the whole search),
/// then the options that are on.
pub fn export_path(q: &RecordQuery, choice: ExportChoice) -> String {
    let whole = RecordQuery {
        limit: None,
        ..q.first_page()
    };
    let mut pairs: Vec<(&str, String)> = whole.to_pairs();
    if choice.mask {
        pairs.push(("mask", "1".to_owned()));
    }
    if choice.bom {
        pairs.push(("bom", "1".to_owned()));
    }
    let query = query_string(pairs.iter().map(|(k, v)| (*k, v.as_str())));
    if query.is_empty() {
        format!("{API_PATH}/export")
    } else {
        format!("{API_PATH}/export?{query}")
    }
}

/// Who the visitor of a row is, as the list names them: name, else email, phone or the site's
/// id for them, else "Visitor".
pub fn visitor(row: &RecordRow) -> String {
    [
        &row.visitor_name,
        &row.visitor_email,
        &row.visitor_phone,
        &row.visitor_external_id,
    ]
    .into_iter()
    .flatten()
    .map(|s| s.trim())
    .find(|s| !s.is_empty())
    .unwrap_or("Visitor")
    .to_owned()
}

/// What the visitor's name hides that the list should also show (email, phone, external id),
/// joined with " · ".
pub fn visitor_details(row: &RecordRow) -> String {
    let shown = visitor(row);
    [
        &row.visitor_email,
        &row.visitor_phone,
        &row.visitor_external_id,
    ]
    .into_iter()
    .flatten()
    .map(|s| s.trim())
    .filter(|s| !s.is_empty() && *s != shown)
    .collect::<Vec<_>>()
    .join(" · ")
}

/// An NPS band as the filter offers it.
pub fn nps_band_label(band: NpsBand) -> &'static str {
    match band {
        NpsBand::Detractor => "Detractors (0–6)",
        NpsBand::Passive => "Passives (7–8)",
        NpsBand::Promoter => "Promoters (9–10)",
    }
}

/// The NPS bands, in the filter's order.
pub const NPS_BANDS: [NpsBand; 3] = [NpsBand::Detractor, NpsBand::Passive, NpsBand::Promoter];

/// A row's ratings in a few characters ("CSAT 5/5 · NPS 10"), or a dash when none.
pub fn ratings(row: &RecordRow) -> String {
    let parts: Vec<String> = [
        row.csat.map(|c| format!("CSAT {c}/5")),
        row.nps.map(|n| format!("NPS {n}")),
    ]
    .into_iter()
    .flatten()
    .collect();
    if parts.is_empty() {
        "—".to_owned()
    } else {
        parts.join(" · ")
    }
}

/// A duration in a few characters: "45 s", "12 min", "3 h 5 min", "2 d 4 h".
pub fn duration(ms: Millis) -> String {
    let secs = ms.max(0) / 1_000;
    let (days, hours, mins) = (secs / 86_400, secs % 86_400 / 3_600, secs % 3_600 / 60);
    match secs {
        0..60 => format!("{secs} s"),
        60..3_600 => format!("{mins} min"),
        3_600..86_400 if mins == 0 => format!("{hours} h"),
        3_600..86_400 => format!("{hours} h {mins} min"),
        _ if hours == 0 => format!("{days} d"),
        _ => format!("{days} d {hours} h"),
    }
}

/// A duration as HTML writes it in a `<time datetime>` (`PT90S`).
pub fn iso_duration(ms: Millis) -> String {
    format!("PT{}S", ms.max(0) / 1_000)
}

/// How many tickets a search found, as a sentence (`count` already written in the viewer's
/// language).
pub fn found(total: u64, count: &str) -> String {
    match total {
        0 => "No conversations match.".to_owned(),
        1 => "1 conversation".to_owned(),
        _ => format!("{count} conversations"),
    }
}

/// What the screen's search form holds, as its controls' values (an empty value: no filter).
/// Dates are `datetime-local` values in the viewer's time zone; the browser turns them into
/// moments, so [`Fields::from_query`] and [`Fields::to_query`] take those conversions.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Fields {
    /// Words, or the visitor's name, email, phone or external id.
    pub text: String,
    /// A flow id.
    pub flow: String,
    /// `widget` or `api`.
    pub channel: String,
    /// Created at or after (a `datetime-local` value).
    pub from: String,
    /// Created before (a `datetime-local` value).
    pub to: String,
    /// `production` (also when empty) or `test`.
    pub env: String,
    /// A status name.
    pub status: String,
    /// `1`–`5`.
    pub csat: String,
    /// An NPS band name.
    pub nps: String,
    /// An agent id.
    pub agent: String,
    /// `yes` or `no`.
    pub files: String,
}

impl Fields {
    /// The form showing `q`; `local` writes a moment as a `datetime-local` value.
    pub fn from_query(q: &RecordQuery, local: impl Fn(Millis) -> String) -> Fields {
        let mut fields = Fields {
            env: q.environment.as_str().to_owned(),
            from: q.from.map(&local).unwrap_or_default(),
            to: q.to.map(&local).unwrap_or_default(),
            ..Fields::default()
        };
        for (key, value) in q.to_pairs() {
            let slot = match key {
                "q" => &mut fields.text,
                "flow" => &mut fields.flow,
                "channel" => &mut fields.channel,
                "status" => &mut fields.status,
                "csat" => &mut fields.csat,
                "nps" => &mut fields.nps,
                "agent" => &mut fields.agent,
                "files" => &mut fields.files,
                _ => continue,
            };
            *slot = value;
        }
        fields
    }

    /// The search the form asks for, keeping `limit` (the page size the address named);
    /// `moment` reads a `datetime-local` value. The error is a sentence for the form.
    pub fn to_query(
        &self,
        limit: Option<u32>,
        moment: impl Fn(&str) -> Option<Millis>,
    ) -> Result<RecordQuery, String> {
        let time = |label: &str, value: &str| -> Result<String, String> {
            if value.trim().is_empty() {
                return Ok(String::new());
            }
            moment(value.trim())
                .map(|ms| ms.to_string())
                .ok_or_else(|| format!("{label}: enter a date and time."))
        };
        let from = time("From", &self.from)?;
        let to = time("To", &self.to)?;
        let limit = limit.map(|n| n.to_string()).unwrap_or_default();
        let pairs = [
            ("q", self.text.as_str()),
            ("flow", self.flow.as_str()),
            ("channel", self.channel.as_str()),
            ("from", from.as_str()),
            ("to", to.as_str()),
            ("env", self.env.as_str()),
            ("status", self.status.as_str()),
            ("csat", self.csat.as_str()),
            ("nps", self.nps.as_str()),
            ("agent", self.agent.as_str()),
            ("files", self.files.as_str()),
            ("limit", limit.as_str()),
        ];
        RecordQuery::from_pairs(pairs).map_err(|e| match e.message.split_once(':') {
            Some(("from", _)) if !from.is_empty() && !to.is_empty() => {
                "The period must start before it ends.".to_owned()
            }
            Some(("q", _)) => format!("Search: at most {MAX_SEARCH_CHARS} characters."),
            _ => format!("Some of the filters are not valid ({}).", e.message),
        })
    }
}

/// What the screen says to an agent (and on a 403 from the edge).
pub const NOT_ALLOWED: &str = "Only operators and admins can see conversation records.";

#[cfg(test)]
mod tests {
    use super::*;
    use porchlight_shared::records::query::{Channel, Cursor, Environment};
    use porchlight_shared::Status;

    fn search() -> RecordQuery {
        RecordQuery {
            text: Some("cartão & co=1 #2 +x".into()),
            channel: Some(Channel::Widget),
            from: Some(1_764_374_400_000),
            environment: Environment::Test,
            status: Some(Status::Solved),
            csat: Some(5),
            nps: Some(NpsBand::Promoter),
            agent: Some("ola".into()),
            has_files: Some(true),
            ..RecordQuery::default()
        }
    }

    #[test]
    fn a_search_round_trips_through_its_fragment() {
        let q = search();
        let h = hash(&q);
        assert!(h.starts_with("#/records?q="), "{h}");
        assert!(!h[1..].contains('#') && !h.contains(' '), "{h}");
        let query = h.split_once('?').map(|(_, q)| q).unwrap_or_default();
        assert_eq!(parse_search(query), Ok(q));
        assert_eq!(hash(&RecordQuery::default()), "#/records");
    }

    #[test]
    fn the_fragment_leaves_the_cursor_out_and_keeps_the_page_size() {
        let q = RecordQuery {
            after: Some(Cursor {
                created_at: 5,
                conversation: "cv_a".into(),
                ticket: 1,
            }),
            limit: Some(2),
            ..RecordQuery::default()
        };
        assert_eq!(hash(&q), "#/records?limit=2");
        assert_eq!(
            api_path(&q),
            "/v1/console/records?after=5.1.cv_a&limit=2",
            "the API pages on"
        );
    }

    #[test]
    fn the_export_has_the_same_filters_and_its_options() {
        let q = RecordQuery {
            limit: Some(2),
            ..search()
        };
        let path = export_path(&q, ExportChoice::default());
        let (base, query) = path.split_once('?').unwrap_or_default();
        assert_eq!(base, "/v1/console/records/export");
        assert_eq!(
            parse_search(query),
            Ok(search()),
            "the whole search, every page"
        );
        let both = export_path(
            &q,
            ExportChoice {
                bom: true,
                mask: true,
            },
        );
        assert!(both.ends_with("&mask=1&bom=1"), "{both}");
        assert_eq!(
            export_path(&RecordQuery::default(), ExportChoice::default()),
            "/v1/console/records/export"
        );
    }

    #[test]
    fn a_bad_fragment_is_a_sentence_naming_the_filter() {
        let err = parse_search("csat=9").unwrap_err();
        assert!(err.contains("csat"), "{err}");
        assert!(parse_search("colour=red").is_err());
        assert_eq!(parse_search(""), Ok(RecordQuery::default()));
    }

    #[test]
    fn encoding_is_reversible_and_forms_plus_is_a_space() {
        for s in ["", "a b", "王小明", "a&b=c#d%e+f/g?h", "%zz", "~-._"] {
            assert_eq!(decode(&encode(s)), s, "{s}");
        }
        assert_eq!(decode("a+b%20c"), "a b c");
        assert_eq!(decode("100%"), "100%");
        assert_eq!(decode("%E7%8E%8B"), "王");
        assert_eq!(encode("é"), "%C3%A9");
        assert_eq!(
            pairs("a=1&&b&c=x%3Dy"),
            vec![
                ("a".into(), "1".into()),
                ("b".into(), String::new()),
                ("c".into(), "x=y".into())
            ]
        );
    }

    #[test]
    fn the_form_shows_a_search_and_asks_for_it_again() {
        let local = |ms: Millis| format!("T{ms}");
        let moment = |s: &str| s.strip_prefix('T').and_then(|n| n.parse().ok());
        let q = RecordQuery {
            to: Some(1_764_460_800_000),
            ..search()
        };
        let fields = Fields::from_query(&q, local);
        assert_eq!(fields.text, "cartão & co=1 #2 +x");
        assert_eq!(fields.from, "T1764374400000");
        assert_eq!(
            (fields.env.as_str(), fields.files.as_str()),
            ("test", "yes")
        );
        assert_eq!(fields.to_query(None, moment), Ok(q.clone()));
        assert_eq!(
            fields.to_query(Some(2), moment).map(|q| q.limit),
            Ok(Some(2)),
            "the page size is kept"
        );
        let defaults = Fields::from_query(&RecordQuery::default(), local);
        assert_eq!(defaults.env, "production");
        assert_eq!(defaults.to_query(None, moment), Ok(RecordQuery::default()));
    }

    #[test]
    fn the_form_says_what_is_wrong() {
        let moment = |s: &str| s.parse::<Millis>().ok();
        let backwards = Fields {
            from: "20".into(),
            to: "10".into(),
            ..Fields::default()
        };
        assert_eq!(
            backwards.to_query(None, moment),
            Err("The period must start before it ends.".into())
        );
        let unreadable = Fields {
            to: "soon".into(),
            ..Fields::default()
        };
        assert_eq!(
            unreadable.to_query(None, moment),
            Err("To: enter a date and time.".into())
        );
        let long = Fields {
            text: "x".repeat(MAX_SEARCH_CHARS + 1),
            ..Fields::default()
        };
        assert!(long
            .to_query(None, moment)
            .is_err_and(|e| e.starts_with("Search")));
    }

    #[test]
    fn a_row_names_its_visitor_and_ratings() {
        let mut row = RecordRow {
            visitor_email: Some("maria@example.com".into()),
            visitor_phone: Some("+5511987654321".into()),
            ..RecordRow::default()
        };
        assert_eq!(visitor(&row), "maria@example.com");
        assert_eq!(visitor_details(&row), "+5511987654321");
        row.visitor_name = Some("Maria Silva".into());
        assert_eq!(visitor(&row), "Maria Silva");
        assert_eq!(visitor_details(&row), "maria@example.com · +5511987654321");
        assert_eq!(visitor(&RecordRow::default()), "Visitor");
        assert_eq!(ratings(&row), "—");
        row.csat = Some(4);
        assert_eq!(ratings(&row), "CSAT 4/5");
        row.nps = Some(0);
        assert_eq!(ratings(&row), "CSAT 4/5 · NPS 0");
        assert_eq!(found(0, "0"), "No conversations match.");
        assert_eq!(duration(45_000), "45 s");
        assert_eq!(duration(-5), "0 s");
        assert_eq!(duration(12 * 60_000 + 59_000), "12 min");
        assert_eq!(duration(3 * 3_600_000), "3 h");
        assert_eq!(duration(3 * 3_600_000 + 5 * 60_000), "3 h 5 min");
        assert_eq!(duration(2 * 86_400_000), "2 d");
        assert_eq!(duration(2 * 86_400_000 + 4 * 3_600_000), "2 d 4 h");
        assert_eq!(iso_duration(90_500), "PT90S");
        assert_eq!(found(1, "1"), "1 conversation");
        assert_eq!(found(1234, "1,234"), "1,234 conversations");
    }
}
