//! The agent console's API: accounts, sign-in, presence, the inbox and its live socket.
//!
//! Conversation actions (history, reply, status, accept, finish, notes, transfer) stay under
//! `/v1/agent/conversations/{id}/…` and accept the console's session cookie as well as a bearer
//! token. Console endpoints live under `/v1/console/…` and need the session cookie.

use serde::{Deserialize, Serialize};

use crate::lifecycle::{Millis, Status};
use crate::routing::Presence;

/// Name of the HttpOnly session cookie.
pub const SESSION_COOKIE: &str = "pl_session";

/// Id of the element of the console page (`GET /console`) that carries who is signed in: a
/// `<script type="application/json">` holding the [`Me`] of the request's session, or `null`
/// when it has none. The console reads it instead of asking `GET /v1/console/me`, so that a
/// signed-out load makes no request that fails.
pub const SESSION_ELEMENT_ID: &str = "porchlight-session";

/// What an account may do. Each role can do everything the one before it can.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum AgentRole {
    /// Answers conversations.
    Agent,
    /// Also browses and exports the conversation records.
    Operator,
    /// Also configures the site: agents, canned responses, styles, flows.
    Admin,
}

impl AgentRole {
    /// The wire and storage name.
    pub fn as_str(self) -> &'static str {
        match self {
            AgentRole::Agent => "agent",
            AgentRole::Operator => "operator",
            AgentRole::Admin => "admin",
        }
    }

    /// Parses the wire and storage name.
    pub fn parse(s: &str) -> Option<AgentRole> {
        [AgentRole::Agent, AgentRole::Operator, AgentRole::Admin]
            .into_iter()
            .find(|r| r.as_str() == s)
    }

    /// Whether this role includes `needed`.
    pub fn allows(self, needed: AgentRole) -> bool {
        self >= needed
    }
}

/// An account as the console shows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AgentProfile {
    /// Agent id (also the `id` in `{"kind": "agent", "id": …}` authors).
    pub id: String,
    /// Display name.
    pub name: String,
    /// Sign-in email.
    pub email: String,
    /// Role.
    pub role: AgentRole,
    /// Skills, e.g. `pt`, `billing`.
    pub skills: Vec<String>,
    /// Most Open tickets at once.
    pub capacity: u32,
}

/// `POST /v1/console/login`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LoginRequest {
    /// The site.
    pub site_id: String,
    /// Sign-in email.
    pub email: String,
    /// Password.
    pub password: String,
}

/// `GET /v1/console/me` and the answer to a sign-in.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Me {
    /// The signed-in account.
    pub agent: AgentProfile,
    /// Its site.
    pub site_id: String,
}

/// `POST /v1/console/agents` (admins): invite an agent, operator or admin.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct NewAgent {
    /// Sign-in email.
    pub email: String,
    /// Display name.
    pub name: String,
    /// Role.
    pub role: AgentRole,
    /// Skills.
    #[serde(default)]
    pub skills: Vec<String>,
    /// Most Open tickets at once.
    pub capacity: u32,
    /// Initial password (at least 10 characters), handed to the invitee.
    pub password: String,
}

/// `PATCH /v1/console/agents/{id}` (admins): any field left out is kept.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct AgentChanges {
    /// New display name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// New role.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub role: Option<AgentRole>,
    /// New skills.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub skills: Option<Vec<String>>,
    /// New capacity.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub capacity: Option<u32>,
}

/// An account with its live state, for the team list.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TeamMember {
    /// The account.
    pub agent: AgentProfile,
    /// Availability now.
    pub presence: Presence,
    /// Open tickets now.
    pub open: u32,
}

/// `GET /v1/console/agents`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Team {
    /// Every account of the site.
    pub members: Vec<TeamMember>,
}

/// `PUT /v1/console/presence`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct SetPresence {
    /// New availability (`offline` is set by signing out or closing every tab).
    pub presence: Presence,
}

/// One live ticket in the inbox.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct InboxTicket {
    /// The conversation.
    pub conversation_id: String,
    /// Ticket number within it.
    pub number: u32,
    /// Status.
    pub status: Status,
    /// Owning agent.
    pub assignee: Option<String>,
    /// The agent it is offered to, while nobody has accepted it.
    pub offered_to: Option<String>,
    /// Skills it needs.
    pub skills: Vec<String>,
    /// Last change.
    pub updated_at: Millis,
    /// Since when it has waited for an agent (New, unassigned).
    pub waiting_since: Option<Millis>,
    /// The visitor's name, when they gave one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub visitor_name: Option<String>,
    /// The start of the visitor's latest message (at most 140 characters).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub preview: Option<String>,
    /// The visitor's language (the widget's locale, e.g. `pt-BR`), when reported.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub visitor_locale: Option<String>,
    /// The page the visitor is on, when reported.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub visitor_page: Option<String>,
}

/// The start of a message as the inbox shows it: at most 140 characters, on one line.
pub fn preview(text: &str) -> String {
    let line: String = text.split_whitespace().collect::<Vec<_>>().join(" ");
    match line.char_indices().nth(140) {
        Some((cut, _)) => format!("{}…", &line[..cut]),
        None => line,
    }
}

/// The preview of a message body: its text, or for a message that only carries files, their
/// names ("dot.png, receipt.pdf"), so that the inbox never shows an empty line.
pub fn body_preview(body: &crate::protocol::Body) -> String {
    if !body.text.trim().is_empty() || body.attachments.is_empty() {
        return preview(&body.text);
    }
    let names: Vec<&str> = body
        .attachments
        .iter()
        .map(|a| a.name.as_deref().unwrap_or("file"))
        .collect();
    preview(&format!("[{}]", names.join(", ")))
}

/// `GET /v1/console/inbox`: every live ticket of the site; views (mine / unassigned / all, by
/// status) are filters over it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Inbox {
    /// Live tickets, most recently changed first.
    pub tickets: Vec<InboxTicket>,
}

/// A canned response (`/shortcut` in the composer).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CannedResponse {
    /// What follows the `/`: 1–32 of `a-z 0-9 _ -`.
    pub shortcut: String,
    /// The text inserted.
    pub text: String,
}

/// `GET /v1/console/canned`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CannedList {
    /// Every canned response of the site, by shortcut.
    pub responses: Vec<CannedResponse>,
}

/// `GET` / `PUT /v1/console/site-settings`: how the site treats visitors' data.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct SiteSettings {
    /// Whether the page address a visitor's widget reports keeps its query string and fragment
    /// (`?order=1234#x`). Off by default: only the scheme, host and path are sent and stored.
    pub page_url_query: bool,
    /// Whether a solved ticket's rating asks NPS (0–10) after CSAT. Off by default; an older
    /// client that leaves it out turns it off.
    #[serde(default)]
    pub nps: bool,
}

/// `POST /v1/agent/conversations/{id}/transfer`: to one agent, or to a department (a skill).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "to", rename_all = "snake_case")]
pub enum Transfer {
    /// To this agent.
    Agent {
        /// Agent id.
        agent_id: String,
    },
    /// Back to routing, needing this skill.
    Department {
        /// The department's skill.
        skill: String,
    },
}

/// A frame on the console socket (`GET /v1/console/ws`) from the client.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum ConsoleRequest {
    /// Set availability.
    SetPresence {
        /// New availability.
        presence: Presence,
    },
    /// Keep-alive.
    Ping,
    /// A request type this edge does not know.
    #[serde(other)]
    Unknown,
}

/// A frame on the console socket from the edge.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum ConsoleEvent {
    /// First frame: the inbox and the team as they are.
    Snapshot {
        /// Live tickets.
        tickets: Vec<InboxTicket>,
        /// The team.
        team: Vec<TeamMember>,
    },
    /// A live ticket appeared or changed.
    TicketChanged(InboxTicket),
    /// A ticket closed and left the inbox.
    TicketClosed {
        /// The conversation.
        conversation_id: String,
        /// Ticket number.
        number: u32,
    },
    /// A ticket is offered to you: accept it from the conversation view.
    Offer(InboxTicket),
    /// A team member's availability or load changed.
    MemberChanged(TeamMember),
    /// Answer to `ping`.
    Pong,
    /// An event this console does not know.
    #[serde(other)]
    Unknown,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_message_with_only_files_is_previewed_by_their_names() {
        use crate::protocol::{AttachmentRef, Body};
        let file = |name: Option<&str>| AttachmentRef {
            id: "at_1".into(),
            content_type: "image/png".into(),
            size: 1,
            name: name.map(str::to_owned),
        };
        let body = Body {
            attachments: vec![file(Some("dot.png")), file(None)],
            ..Default::default()
        };
        assert_eq!(body_preview(&body), "[dot.png, file]");
        let texted = Body {
            text: "see this".into(),
            ..body
        };
        assert_eq!(body_preview(&texted), "see this");
    }

    #[test]
    fn previews_are_one_short_line() {
        assert_eq!(preview("Hello\n\n  there"), "Hello there");
        let long = "é".repeat(200);
        let p = preview(&long);
        assert_eq!(p.chars().count(), 141);
        assert!(p.ends_with('…'));
    }

    #[test]
    fn each_role_includes_the_ones_below_it_and_no_more() {
        use AgentRole::*;
        let all = [Agent, Operator, Admin];
        let allowed: Vec<(AgentRole, AgentRole)> = all
            .iter()
            .flat_map(|r| all.iter().map(move |n| (*r, *n)))
            .filter(|(r, n)| r.allows(*n))
            .collect();
        assert_eq!(
            allowed,
            vec![
                (Agent, Agent),
                (Operator, Agent),
                (Operator, Operator),
                (Admin, Agent),
                (Admin, Operator),
                (Admin, Admin)
            ]
        );
        for r in all {
            assert_eq!(AgentRole::parse(r.as_str()), Some(r));
        }
        assert_eq!(AgentRole::parse("owner"), None);
    }
}
