//! Keeps `docs/API.md` true to the wire types.
//!
//! Every fenced block whose info string is `json <Type>` is parsed as that shared type,
//! serialised again and compared with the example (as JSON values), so an example with a wrong,
//! missing or extra field fails here. A block may hold several JSON values one after another
//! (a transcript of frames); each is checked. Plain `json` blocks are not checked.
//!
//! On top of that: every client message and server event type has an example (of the
//! conversation socket, and of the console socket), and the error table lists every
//! `ErrorCode::ALL` with its `http_status`.

#![allow(clippy::unwrap_used)] // a test suite: failing loudly is the point

use std::collections::BTreeSet;
use std::path::PathBuf;

use porchlight_shared::console::{
    AgentChanges, AgentProfile, AgentRole, CannedList, CannedResponse, ConsoleEvent,
    ConsoleRequest, Inbox, InboxTicket, LoginRequest, Me, NewAgent, SetPresence, Team, TeamMember,
    Transfer,
};
use porchlight_shared::protocol::*;
use porchlight_shared::routing::Presence;
use porchlight_shared::{ErrorCode, Status};
use serde::{de::DeserializeOwned, Serialize};
use serde_json::Value;

/// A typed example: where it is, which type it claims to be, and its JSON.
struct Example {
    line: usize,
    type_name: String,
    value: Value,
}

fn doc() -> String {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../docs/API.md");
    std::fs::read_to_string(&path)
        .map_err(|e| format!("cannot read {}: {e}", path.display()))
        .unwrap()
}

/// Every ```` ```json Type ```` block of the doc, one `Example` per JSON value in it.
fn examples(doc: &str) -> Vec<Example> {
    let mut out = Vec::new();
    let mut open: Option<(usize, String, String)> = None; // (line, info, body)
    for (i, line) in doc.lines().enumerate() {
        let line_no = i + 1;
        let fence = line.trim_start();
        match &mut open {
            None => {
                if let Some(info) = fence.strip_prefix("```") {
                    open = Some((line_no, info.trim().to_owned(), String::new()));
                }
            }
            Some((start, info, body)) => {
                if fence.starts_with("```") {
                    let (start, info, body) = (*start, info.clone(), body.clone());
                    open = None;
                    let mut words = info.split_whitespace();
                    if words.next() != Some("json") {
                        continue;
                    }
                    let Some(type_name) = words.next() else {
                        continue; // a plain `json` block: illustration only
                    };
                    assert!(
                        words.next().is_none(),
                        "API.md:{start}: info string {info:?} has more than `json <Type>`"
                    );
                    let values: Vec<Value> = serde_json::Deserializer::from_str(&body)
                        .into_iter::<Value>()
                        .collect::<Result<_, _>>()
                        .map_err(|e| format!("API.md:{start}: `json {type_name}` block: {e}"))
                        .unwrap();
                    assert!(!values.is_empty(), "API.md:{start}: empty example");
                    out.extend(values.into_iter().map(|value| Example {
                        line: start,
                        type_name: type_name.to_owned(),
                        value,
                    }));
                } else {
                    body.push_str(line);
                    body.push('\n');
                }
            }
        }
    }
    assert!(open.is_none(), "API.md: a fenced block is never closed");
    out
}

/// Parses `value` as `T` and checks that it serialises back to exactly `value`.
fn round_trip<T: Serialize + DeserializeOwned>(ex: &Example) -> T {
    let parsed: T = serde_json::from_value(ex.value.clone())
        .map_err(|e| {
            format!(
                "API.md:{}: not a valid {}: {e}: {}",
                ex.line, ex.type_name, ex.value
            )
        })
        .unwrap();
    let again = serde_json::to_value(&parsed).unwrap();
    assert_eq!(
        again, ex.value,
        "API.md:{}: the {} example does not match the wire type (left: as the edge would send it, right: the doc)",
        ex.line, ex.type_name
    );
    parsed
}

/// Which socket and direction a frame example belongs to.
const CLIENT: &str = "client";
const SERVER: &str = "server";
const CONSOLE_CLIENT: &str = "console client";
const CONSOLE_SERVER: &str = "console server";

/// Checks one example against its claimed type, and returns the side and `type` of a frame, if it
/// is one. An unknown type name is an error.
fn check(ex: &Example) -> Result<Option<(&'static str, String)>, String> {
    let frame_type = || ex.value["type"].as_str().map(str::to_owned);
    match ex.type_name.as_str() {
        "ClientFrame" => {
            let f: ClientFrame = round_trip(ex);
            assert_ne!(f.msg, ClientMessage::Unknown, "API.md:{}", ex.line);
            return Ok(frame_type().map(|t| (CLIENT, t)));
        }
        "ServerFrame" => {
            let f: ServerFrame = round_trip(ex);
            assert_ne!(f.event, ServerEvent::Unknown, "API.md:{}", ex.line);
            if let ServerEvent::Error(e) = &f.event {
                assert_ne!(e.code, ErrorCode::Unknown, "API.md:{}", ex.line);
            }
            return Ok(frame_type().map(|t| (SERVER, t)));
        }
        "ConsoleRequest" => {
            let r: ConsoleRequest = round_trip(ex);
            assert_ne!(r, ConsoleRequest::Unknown, "API.md:{}", ex.line);
            return Ok(frame_type().map(|t| (CONSOLE_CLIENT, t)));
        }
        "ConsoleEvent" => {
            let e: ConsoleEvent = round_trip(ex);
            assert_ne!(e, ConsoleEvent::Unknown, "API.md:{}", ex.line);
            return Ok(frame_type().map(|t| (CONSOLE_SERVER, t)));
        }
        "ErrorResponse" => {
            let e: ErrorResponse = round_trip(ex);
            assert_ne!(e.error.code, ErrorCode::Unknown, "API.md:{}", ex.line);
        }
        "ErrorBody" => drop(round_trip::<ErrorBody>(ex)),
        "SendMessage" => drop(round_trip::<SendMessage>(ex)),
        "Welcome" => drop(round_trip::<Welcome>(ex)),
        "Role" => drop(round_trip::<Role>(ex)),
        "Author" => drop(round_trip::<Author>(ex)),
        "Body" => drop(round_trip::<Body>(ex)),
        "Item" => drop(round_trip::<Item>(ex)),
        "Message" => drop(round_trip::<Message>(ex)),
        "StatusChange" => drop(round_trip::<StatusChange>(ex)),
        "TicketView" => drop(round_trip::<TicketView>(ex)),
        "SessionRequest" => drop(round_trip::<SessionRequest>(ex)),
        "SessionResponse" => drop(round_trip::<SessionResponse>(ex)),
        "HistoryPage" => drop(round_trip::<HistoryPage>(ex)),
        "UnreadCount" => drop(round_trip::<UnreadCount>(ex)),
        "MessageAccepted" => drop(round_trip::<MessageAccepted>(ex)),
        "SetStatusRequest" => drop(round_trip::<SetStatusRequest>(ex)),
        "TicketState" => drop(round_trip::<TicketState>(ex)),
        "TicketSummary" => drop(round_trip::<TicketSummary>(ex)),
        "TicketList" => drop(round_trip::<TicketList>(ex)),
        "TransferRecord" => drop(round_trip::<TransferRecord>(ex)),
        "VisitorProfile" => drop(round_trip::<VisitorProfile>(ex)),
        "VisitorPanel" => drop(round_trip::<VisitorPanel>(ex)),
        "NoteAccepted" => drop(round_trip::<NoteAccepted>(ex)),
        "Status" => drop(round_trip::<Status>(ex)),
        "Presence" => drop(round_trip::<Presence>(ex)),
        "AgentRole" => drop(round_trip::<AgentRole>(ex)),
        "AgentProfile" => drop(round_trip::<AgentProfile>(ex)),
        "LoginRequest" => drop(round_trip::<LoginRequest>(ex)),
        "Me" => drop(round_trip::<Me>(ex)),
        "NewAgent" => drop(round_trip::<NewAgent>(ex)),
        "AgentChanges" => drop(round_trip::<AgentChanges>(ex)),
        "TeamMember" => drop(round_trip::<TeamMember>(ex)),
        "Team" => drop(round_trip::<Team>(ex)),
        "SetPresence" => drop(round_trip::<SetPresence>(ex)),
        "InboxTicket" => drop(round_trip::<InboxTicket>(ex)),
        "Inbox" => drop(round_trip::<Inbox>(ex)),
        "CannedResponse" => drop(round_trip::<CannedResponse>(ex)),
        "CannedList" => drop(round_trip::<CannedList>(ex)),
        "Transfer" => drop(round_trip::<Transfer>(ex)),
        "WidgetConfig" => drop(round_trip::<WidgetConfig>(ex)),
        "WidgetPosition" => drop(round_trip::<WidgetPosition>(ex)),
        "PrechatField" => {
            let f: PrechatField = round_trip(ex);
            assert_ne!(f, PrechatField::Unknown, "API.md:{}", ex.line);
        }
        "IdentifyRequest" => drop(round_trip::<IdentifyRequest>(ex)),
        "AttachmentRef" => drop(round_trip::<AttachmentRef>(ex)),
        "SiteTexts" => drop(round_trip::<porchlight_shared::texts::SiteTexts>(ex)),
        "LocaleTexts" => drop(round_trip::<porchlight_shared::texts::LocaleTexts>(ex)),
        "SiteTextsList" => drop(round_trip::<porchlight_shared::texts::SiteTextsList>(ex)),
        "RecordPage" => drop(round_trip::<porchlight_shared::records::row::RecordPage>(
            ex,
        )),
        "RecordDetail" => drop(round_trip::<porchlight_shared::records::detail::RecordDetail>(ex)),
        "Report" => drop(round_trip::<porchlight_shared::records::report::Report>(ex)),
        "SiteSettings" => drop(round_trip::<porchlight_shared::console::SiteSettings>(ex)),
        other => {
            return Err(format!(
                "API.md:{}: `json {other}` names no wire type this test knows",
                ex.line
            ))
        }
    }
    Ok(None)
}

/// The protocol sources the frame enums are read from.
const PROTOCOL_RS: (&str, &str) = ("protocol.rs", include_str!("../src/protocol.rs"));
const CONSOLE_RS: (&str, &str) = ("console.rs", include_str!("../src/console.rs"));

/// The wire names of an enum's variants, read from its source file itself so that a new variant
/// needs an example without anyone remembering to list it here. Variants sit at four spaces of
/// indent inside `pub enum NAME {`; `rename_all = "snake_case"` gives their wire names. At least
/// `min` variants (besides `Unknown`) must be found, as a check on the parsing.
fn variant_names((file, source): (&str, &str), enum_name: &str, min: usize) -> BTreeSet<String> {
    let head = format!("pub enum {enum_name} {{");
    let body = source
        .split_once(&head)
        .ok_or_else(|| format!("{file} has no `{head}`"))
        .unwrap()
        .1;
    let body = &body[..body.find("\n}").unwrap()];
    let names: BTreeSet<String> = body
        .lines()
        .filter_map(|l| l.strip_prefix("    "))
        .filter(|l| l.starts_with(|c: char| c.is_ascii_uppercase()))
        .map(|l| {
            let ident: String = l.chars().take_while(char::is_ascii_alphanumeric).collect();
            let mut snake = String::new();
            for (i, c) in ident.chars().enumerate() {
                if c.is_ascii_uppercase() && i > 0 {
                    snake.push('_');
                }
                snake.push(c.to_ascii_lowercase());
            }
            snake
        })
        .filter(|n| n != "unknown")
        .collect();
    assert!(
        names.len() >= min,
        "{file}: {enum_name}: parsed too few variants: {names:?}"
    );
    names
}

/// A name the enum really has: `{"type": name}` does not fall into `Unknown` (it parses, or fails
/// only for a missing field).
fn is_variant<T: DeserializeOwned + PartialEq>(name: &str, unknown: &T) -> bool {
    match serde_json::from_value::<T>(serde_json::json!({ "type": name })) {
        Ok(v) => v != *unknown,
        Err(e) => e.to_string().starts_with("missing field"),
    }
}

#[test]
fn every_typed_example_is_exactly_its_wire_type() {
    let doc = doc();
    let examples = examples(&doc);
    assert!(
        examples.len() >= 40,
        "only {} typed examples",
        examples.len()
    );
    for ex in &examples {
        check(ex).unwrap();
    }
}

/// One direction of one socket: the frame types it has, and the info string that covers them.
struct Side {
    name: &'static str,
    info: &'static str,
    variants: BTreeSet<String>,
    /// Whether a parsed name is really one of the enum's variants.
    real: fn(&str) -> bool,
}

#[test]
fn every_socket_message_and_event_has_an_example() {
    let doc = doc();
    let mut seen: BTreeSet<(&str, String)> = BTreeSet::new();
    for ex in examples(&doc) {
        seen.extend(check(&ex).unwrap());
    }
    let sides = [
        Side {
            name: CLIENT,
            info: "json ClientFrame",
            variants: variant_names(PROTOCOL_RS, "ClientMessage", 5),
            real: |n| is_variant(n, &ClientMessage::Unknown),
        },
        Side {
            name: SERVER,
            info: "json ServerFrame",
            variants: variant_names(PROTOCOL_RS, "ServerEvent", 5),
            real: |n| is_variant(n, &ServerEvent::Unknown),
        },
        Side {
            name: CONSOLE_CLIENT,
            info: "json ConsoleRequest",
            variants: variant_names(CONSOLE_RS, "ConsoleRequest", 2),
            real: |n| is_variant(n, &ConsoleRequest::Unknown),
        },
        Side {
            name: CONSOLE_SERVER,
            info: "json ConsoleEvent",
            variants: variant_names(CONSOLE_RS, "ConsoleEvent", 5),
            real: |n| is_variant(n, &ConsoleEvent::Unknown),
        },
    ];
    let mut missing: Vec<String> = Vec::new();
    for side in &sides {
        for name in &side.variants {
            assert!(
                (side.real)(name),
                "parsed {name:?}, not a {} message type",
                side.name
            );
            if !seen.contains(&(side.name, name.clone())) {
                missing.push(format!("`{}` of `{name}`", side.info));
            }
        }
    }
    assert!(
        missing.is_empty(),
        "API.md has no example: {}",
        missing.join(", ")
    );
}

/// The rows of the table under `## 8. Error codes`: `(code, status)`.
fn error_table(doc: &str) -> Vec<(String, String)> {
    let section = doc
        .split("\n## ")
        .find(|s| s.lines().next().is_some_and(|h| h.ends_with("Error codes")))
        .ok_or("API.md has no `## ... Error codes` section")
        .unwrap();
    section
        .lines()
        .filter(|l| l.starts_with("| `"))
        .map(|l| {
            let cells: Vec<&str> = l.split('|').map(str::trim).collect();
            (cells[1].trim_matches('`').to_owned(), cells[2].to_owned())
        })
        .collect()
}

#[test]
fn the_error_table_lists_every_code_with_its_status() {
    let doc = doc();
    let rows = error_table(&doc);
    for code in ErrorCode::ALL {
        let name = code_name(code);
        let found: Vec<&(String, String)> = rows.iter().filter(|(c, _)| *c == name).collect();
        assert_eq!(found.len(), 1, "error table rows for `{name}`: {found:?}");
        assert_eq!(
            found[0].1,
            code.http_status().to_string(),
            "error table: HTTP status of `{name}`"
        );
    }
    assert_eq!(
        rows.len(),
        ErrorCode::ALL.len(),
        "the error table has rows for codes that are not in ErrorCode::ALL: {rows:?}"
    );
}

/// Every code named in an `Errors:` list (outside parentheses) is a real one.
#[test]
fn error_lists_name_real_codes() {
    let doc = doc();
    let known: BTreeSet<String> = ErrorCode::ALL.iter().map(|c| code_name(*c)).collect();
    // Each list runs from a line starting with `Errors` to the next blank line.
    let mut lists: Vec<String> = Vec::new();
    let mut in_list = false;
    for line in doc.lines() {
        if line.trim().is_empty() {
            in_list = false;
        } else if in_list {
            let list = lists.last_mut().unwrap();
            list.push(' ');
            list.push_str(line);
        } else if line.starts_with("Errors") {
            lists.push(line.to_owned());
            in_list = true;
        }
    }
    assert!(lists.len() >= 10, "only {} Errors lists found", lists.len());
    for list in &lists {
        let mut depth = 0;
        let outside: String = list
            .chars()
            .filter(|c| {
                match c {
                    '(' => depth += 1,
                    ')' => depth -= 1,
                    _ => return depth == 0,
                }
                false
            })
            .collect();
        let codes: Vec<&str> = outside.split('`').skip(1).step_by(2).collect();
        assert!(!codes.is_empty(), "an Errors list names no code: {list}");
        for code in codes {
            assert!(
                known.contains(code),
                "`{code}` in an Errors list is not an error code: {list}"
            );
        }
    }
}

fn code_name(code: ErrorCode) -> String {
    serde_json::to_value(code)
        .unwrap()
        .as_str()
        .unwrap()
        .to_owned()
}

/// The rows of the table after "Which frames are answered:": `(message, answer, who)`, names
/// without backticks.
fn answered_frames_table(doc: &str) -> Vec<(String, String, String)> {
    let (_, after) = doc
        .split_once("Which frames are answered:")
        .ok_or("API.md has no `Which frames are answered:` table")
        .unwrap();
    after
        .lines()
        .skip_while(|l| !l.starts_with('|'))
        .take_while(|l| l.starts_with('|'))
        .filter(|l| l.starts_with("| `"))
        .map(|l| {
            let cells: Vec<String> = l
                .split('|')
                .map(|c| c.trim().trim_matches('`').to_owned())
                .collect();
            (cells[1].clone(), cells[2].clone(), cells[3].clone())
        })
        .collect()
}

#[test]
fn the_answered_frames_table_has_every_client_message_once() {
    let doc = doc();
    let rows = answered_frames_table(&doc);
    let messages = variant_names(PROTOCOL_RS, "ClientMessage", 5);
    let events = variant_names(PROTOCOL_RS, "ServerEvent", 5);
    for name in &messages {
        let found = rows.iter().filter(|r| &r.0 == name).count();
        assert_eq!(
            found, 1,
            "answered-frames table rows for `{name}`: {rows:?}"
        );
    }
    for (message, answer, who) in &rows {
        assert!(
            messages.contains(message),
            "answered-frames table: `{message}` is not a client message"
        );
        assert!(
            answer == "none" || events.contains(answer),
            "answered-frames table: `{message}` is answered by `{answer}`, not a server event"
        );
        assert!(
            who == "anyone" || who == "agents" || who == "visitors",
            "answered-frames table: `{message}` may be sent by {who:?}"
        );
    }
    // The table and the message's own section say the same.
    for (message, answer, _) in &rows {
        let head = format!("#### `{message}`\n");
        let section = doc
            .split_once(&head)
            .map(|(_, s)| s.split("\n#### ").next().unwrap_or(s))
            .ok_or_else(|| format!("API.md has no `{head}` section"))
            .unwrap();
        let says = if answer == "none" {
            section.contains("Never answered")
        } else {
            section.contains(&format!("Answered by `{answer}`"))
        };
        assert!(
            says,
            "the `{message}` section does not say it is answered by {answer}"
        );
    }
}

/// `(status, "METHOD /path")` of every endpoint section whose `- Response` line names a status
/// other than 200 (and 101, a WebSocket upgrade).
fn documented_other_successes(doc: &str) -> BTreeSet<(u16, String)> {
    let mut out = BTreeSet::new();
    for section in doc.split("\n### ").skip(1) {
        let head = section.lines().next().unwrap_or_default();
        let is_endpoint = ["GET ", "POST ", "PUT ", "PATCH ", "DELETE "]
            .iter()
            .any(|m| head.starts_with(m));
        if !is_endpoint {
            continue;
        }
        for line in section.lines().filter(|l| l.starts_with("- Response `")) {
            let status: u16 = line["- Response `".len()..]
                .chars()
                .take_while(char::is_ascii_digit)
                .collect::<String>()
                .parse()
                .map_err(|_| format!("{head}: unreadable status in {line:?}"))
                .unwrap();
            if status != 200 && status != 101 {
                out.insert((status, head.to_owned()));
            }
        }
    }
    out
}

/// The endpoint named by a link such as `` [`POST /v1/console/agents`](#post-v1consoleagents) ``.
fn linked_endpoints(text: &str) -> Vec<String> {
    text.split("[`")
        .skip(1)
        .filter_map(|s| s.split_once("`]").map(|(e, _)| e.to_owned()))
        .collect()
}

#[test]
fn the_list_of_successes_names_every_endpoint_that_does_not_answer_200() {
    let doc = doc();
    let bullet = doc
        .split("\n- ")
        .find(|b| b.starts_with("Successful requests answer `200 OK`"))
        .ok_or("API.md's conventions have no `Successful requests answer` item")
        .unwrap();
    let bullet = bullet.split("\n\n").next().unwrap_or(bullet);
    let (created, no_content) = bullet
        .split_once("`204 No Content`")
        .ok_or("the list of successes does not mention 204")
        .unwrap();
    let mut listed = BTreeSet::new();
    for e in linked_endpoints(created) {
        listed.insert((201, e));
    }
    for e in linked_endpoints(no_content) {
        listed.insert((204, e));
    }
    let documented = documented_other_successes(&doc);
    assert!(
        documented.iter().any(|(s, _)| *s == 201) && documented.iter().any(|(s, _)| *s == 204),
        "parsed too little: {documented:?}"
    );
    assert_eq!(
        listed, documented,
        "the conventions' list of successes and the endpoints' `Response` lines disagree"
    );
}
