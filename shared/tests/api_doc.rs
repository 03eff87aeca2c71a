//! Keeps `docs/API.md` true to the wire types.
//!
//! Every fenced block whose info string is `json <Type>` is parsed as that shared type,
//! serialised again and compared with the example (as JSON values), so an example with a wrong,
//! missing or extra field fails here. A block may hold several JSON values one after another
//! (a transcript of frames); each is checked. Plain `json` blocks are not checked.
//!
//! On top of that: every client message and server event type has an example, and the error table
//! lists every `ErrorCode::ALL` with its `http_status`.

#![allow(clippy::unwrap_used)] // a test suite: failing loudly is the point

use std::collections::BTreeSet;
use std::path::PathBuf;

use porchlight_shared::protocol::*;
use porchlight_shared::ErrorCode;
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

/// Checks one example against its claimed type, and returns the side and `type` of a frame, if it
/// is one. An unknown type name is an error.
fn check(ex: &Example) -> Result<Option<(&'static str, String)>, String> {
    let frame_type = || ex.value["type"].as_str().map(str::to_owned);
    match ex.type_name.as_str() {
        "ClientFrame" => {
            let f: ClientFrame = round_trip(ex);
            assert_ne!(f.msg, ClientMessage::Unknown, "API.md:{}", ex.line);
            return Ok(frame_type().map(|t| ("client", t)));
        }
        "ServerFrame" => {
            let f: ServerFrame = round_trip(ex);
            assert_ne!(f.event, ServerEvent::Unknown, "API.md:{}", ex.line);
            if let ServerEvent::Error(e) = &f.event {
                assert_ne!(e.code, ErrorCode::Unknown, "API.md:{}", ex.line);
            }
            return Ok(frame_type().map(|t| ("server", t)));
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
        "MessageAccepted" => drop(round_trip::<MessageAccepted>(ex)),
        "SetStatusRequest" => drop(round_trip::<SetStatusRequest>(ex)),
        "TicketState" => drop(round_trip::<TicketState>(ex)),
        "TicketSummary" => drop(round_trip::<TicketSummary>(ex)),
        "TicketList" => drop(round_trip::<TicketList>(ex)),
        other => {
            return Err(format!(
                "API.md:{}: `json {other}` names no wire type this test knows",
                ex.line
            ))
        }
    }
    Ok(None)
}

/// The wire names of an enum's variants, read from `protocol.rs` itself so that a new variant
/// needs an example without anyone remembering to list it here. Variants sit at four spaces of
/// indent inside `pub enum NAME {`; `rename_all = "snake_case"` gives their wire names.
fn variant_names(enum_name: &str) -> BTreeSet<String> {
    let source = include_str!("../src/protocol.rs");
    let head = format!("pub enum {enum_name} {{");
    let body = source
        .split_once(&head)
        .ok_or_else(|| format!("protocol.rs has no `{head}`"))
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
        names.len() >= 5,
        "{enum_name}: parsed too few variants: {names:?}"
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

#[test]
fn every_client_message_and_server_event_has_an_example() {
    let doc = doc();
    let mut seen: BTreeSet<(&str, String)> = BTreeSet::new();
    for ex in examples(&doc) {
        seen.extend(check(&ex).unwrap());
    }
    let client = variant_names("ClientMessage");
    let server = variant_names("ServerEvent");
    for name in &client {
        assert!(
            is_variant(name, &ClientMessage::Unknown),
            "parsed {name:?}, not a ClientMessage"
        );
    }
    for name in &server {
        assert!(
            is_variant(name, &ServerEvent::Unknown),
            "parsed {name:?}, not a ServerEvent"
        );
    }
    let missing: Vec<String> = client
        .iter()
        .map(|n| ("client", n))
        .chain(server.iter().map(|n| ("server", n)))
        .filter(|(side, n)| !seen.contains(&(*side, (*n).clone())))
        .map(|(side, n)| format!("{side} `{n}`"))
        .collect();
    assert!(
        missing.is_empty(),
        "API.md has no `json ClientFrame`/`json ServerFrame` example of: {}",
        missing.join(", ")
    );
}

/// The rows of the table under `## 7. Error codes`: `(code, status)`.
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
