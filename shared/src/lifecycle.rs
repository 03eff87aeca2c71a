//! The ticket lifecycle as a pure state machine.
//!
//! The Durable Object pushes an [`Event`] in together with the live ticket (if any), the site's
//! [`ConversationStyle`] and the current time, and gets back a [`Decision`]: the status changes to
//! record, whether a new ticket starts, and when the next timer must fire. Nothing here reads a
//! clock or touches storage, so every (status, event, style) combination is tested natively.

use serde::{Deserialize, Serialize};

/// Milliseconds since the Unix epoch. Always passed in, never read here.
pub type Millis = i64;

const SECOND: Millis = 1_000;
const DAY_SECS: u32 = 86_400;

/// Status of a ticket. `Closed` is final.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Status {
    /// Created by a visitor message; nobody has accepted it yet.
    New,
    /// An agent is working on it; counts against that agent's capacity.
    Open,
    /// Waiting on the customer; frees capacity.
    Pending,
    /// Waiting on a third party; frees capacity.
    OnHold,
    /// The agent considers it done; what happens next is the conversation style.
    Solved,
    /// Final: never changed again by the lifecycle.
    Closed,
}

impl Status {
    /// Every status, in lifecycle order.
    pub const ALL: [Status; 6] = [
        Status::New,
        Status::Open,
        Status::Pending,
        Status::OnHold,
        Status::Solved,
        Status::Closed,
    ];

    /// The wire and storage name (`"on_hold"`).
    pub fn as_str(self) -> &'static str {
        match self {
            Status::New => "new",
            Status::Open => "open",
            Status::Pending => "pending",
            Status::OnHold => "on_hold",
            Status::Solved => "solved",
            Status::Closed => "closed",
        }
    }

    /// Parses the wire and storage name.
    pub fn parse(s: &str) -> Option<Status> {
        Status::ALL.into_iter().find(|st| st.as_str() == s)
    }

    /// Whether a ticket in this status takes a slot of its agent's capacity.
    pub fn takes_capacity(self) -> bool {
        self == Status::Open
    }
}

/// How a site's tickets behave after `Solved` (SPEC.md, "Ticket lifecycle").
///
/// Durations are stored in seconds so that test sites can run real timers in seconds; the product
/// ranges an admin may choose from are enforced by [`ConversationStyle::validate`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum ConversationStyle {
    /// Closes when solved (at once, or after `close_delay_secs`); a returning visitor starts a
    /// new ticket.
    LiveChat {
        /// Delay between Solved and Closed, 0–600 s.
        close_delay_secs: u32,
    },
    /// Stays Solved for a reopen window; a visitor message inside it reopens the same ticket.
    ReturningCustomer {
        /// Length of the reopen window, 1 h – 72 h.
        reopen_window_secs: u32,
    },
    /// Social-style messaging: closes automatically after N days, default 4, 1–28.
    Messaging {
        /// Time between Solved and Closed.
        auto_close_secs: u32,
    },
}

impl Default for ConversationStyle {
    fn default() -> Self {
        ConversationStyle::Messaging {
            auto_close_secs: 4 * DAY_SECS,
        }
    }
}

/// Why a style configuration was refused.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StyleOutOfRange {
    /// Which field.
    pub field: &'static str,
    /// Smallest allowed value, seconds.
    pub min: u32,
    /// Largest allowed value, seconds.
    pub max: u32,
}

impl ConversationStyle {
    /// The wire and storage name of the style.
    pub fn name(&self) -> &'static str {
        match self {
            ConversationStyle::LiveChat { .. } => "live_chat",
            ConversationStyle::ReturningCustomer { .. } => "returning_customer",
            ConversationStyle::Messaging { .. } => "messaging",
        }
    }

    /// Builds a style from its stored name and duration (seconds).
    pub fn from_parts(name: &str, secs: u32) -> Option<ConversationStyle> {
        match name {
            "live_chat" => Some(ConversationStyle::LiveChat {
                close_delay_secs: secs,
            }),
            "returning_customer" => Some(ConversationStyle::ReturningCustomer {
                reopen_window_secs: secs,
            }),
            "messaging" => Some(ConversationStyle::Messaging {
                auto_close_secs: secs,
            }),
            _ => None,
        }
    }

    /// The style's one duration, in seconds.
    pub fn secs(&self) -> u32 {
        match *self {
            ConversationStyle::LiveChat { close_delay_secs } => close_delay_secs,
            ConversationStyle::ReturningCustomer { reopen_window_secs } => reopen_window_secs,
            ConversationStyle::Messaging { auto_close_secs } => auto_close_secs,
        }
    }

    /// Checks the ranges an admin may configure (SPEC.md). Seeded test sites bypass this on
    /// purpose to run the real timers in seconds.
    pub fn validate(&self) -> Result<(), StyleOutOfRange> {
        let (field, min, max) = match self {
            ConversationStyle::LiveChat { .. } => ("close_delay_secs", 0, 600),
            ConversationStyle::ReturningCustomer { .. } => {
                ("reopen_window_secs", 3_600, 72 * 3_600)
            }
            ConversationStyle::Messaging { .. } => ("auto_close_secs", DAY_SECS, 28 * DAY_SECS),
        };
        let v = self.secs();
        if v < min || v > max {
            return Err(StyleOutOfRange { field, min, max });
        }
        Ok(())
    }

    /// Whether a visitor message while Solved reopens the same ticket.
    fn reopens_when_solved(&self) -> bool {
        !matches!(self, ConversationStyle::LiveChat { .. })
    }
}

/// The live (not Closed) ticket of a conversation, as the lifecycle needs to see it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LiveTicket {
    /// Current status; never `Closed` for a live ticket.
    pub status: Status,
    /// Agent who owns it, if any. Kept while Solved so a reopen goes back to them.
    pub assignee: Option<String>,
    /// When a Solved ticket closes, if it is Solved.
    pub close_at: Option<Millis>,
}

/// Something that happened to a conversation.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Event {
    /// The visitor sent a message.
    VisitorMessage,
    /// An agent accepted the ticket (or routing assigned it and the agent accepted).
    Accept {
        /// The accepting agent.
        agent: String,
    },
    /// An agent set the status.
    SetStatus {
        /// The agent acting.
        agent: String,
        /// The requested status.
        to: Status,
    },
    /// "Finish conversation": close the live ticket at once, whatever its status.
    Finish,
    /// A timer (Durable Object alarm) fired.
    Timer,
}

/// One status change to record, in order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Transition {
    /// `None` when the change creates the ticket.
    pub from: Option<Status>,
    /// The new status.
    pub to: Status,
    /// Which ticket: the current live one or the one this decision creates.
    pub ticket: Which,
}

/// Names the ticket a [`Transition`] applies to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Which {
    /// The ticket that was live before the event.
    Current,
    /// The ticket this decision creates.
    Created,
}

/// What the Durable Object must do after an event.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Decision {
    /// Status changes, in the order they happen.
    pub transitions: Vec<Transition>,
    /// The live ticket after the event (`None` when the conversation has none).
    pub live: Option<LiveTicket>,
    /// When the next alarm must fire, if any. Replaces any earlier one.
    pub alarm_at: Option<Millis>,
}

/// Why an event was refused. Nothing changes when one is returned.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LifecycleError {
    /// The conversation has no live ticket to act on.
    NoLiveTicket,
    /// The requested change is not allowed from the current status.
    InvalidTransition {
        /// Current status.
        from: Status,
        /// Requested status.
        to: Status,
    },
}

/// Applies `event` to the conversation whose live ticket is `live`.
pub fn decide(
    live: Option<&LiveTicket>,
    event: &Event,
    style: &ConversationStyle,
    now: Millis,
) -> Result<Decision, LifecycleError> {
    // A Solved ticket whose window has passed is closed even if its alarm has not run yet: the
    // visitor must never reopen a ticket that is closed by the clock.
    let mut d = Decision::default();
    let live = match live {
        Some(t) if t.status == Status::Solved && t.close_at.is_some_and(|at| at <= now) => {
            d.transitions.push(current(Status::Solved, Status::Closed));
            if matches!(event, Event::Timer | Event::Finish) {
                return Ok(d);
            }
            None
        }
        other => other.cloned(),
    };

    match (live, event) {
        (None, Event::VisitorMessage) => {
            d.transitions.push(Transition {
                from: None,
                to: Status::New,
                ticket: Which::Created,
            });
            d.live = Some(LiveTicket {
                status: Status::New,
                assignee: None,
                close_at: None,
            });
        }
        (None, Event::Timer) => {}
        (None, _) => return Err(LifecycleError::NoLiveTicket),

        (Some(t), Event::VisitorMessage) => match t.status {
            Status::New | Status::Open => d.live = Some(t),
            Status::Pending | Status::OnHold => {
                d.transitions.push(current(t.status, Status::Open));
                d.live = Some(LiveTicket {
                    status: Status::Open,
                    ..t
                });
            }
            Status::Solved if style.reopens_when_solved() => {
                d.transitions.push(current(Status::Solved, Status::Open));
                d.live = Some(LiveTicket {
                    status: Status::Open,
                    assignee: t.assignee,
                    close_at: None,
                });
            }
            // Live chat inside its close delay: the old ticket ends now and the message starts
            // a new one, so the two never overlap.
            Status::Solved | Status::Closed => {
                d.transitions.push(current(t.status, Status::Closed));
                d.transitions.push(Transition {
                    from: None,
                    to: Status::New,
                    ticket: Which::Created,
                });
                d.live = Some(LiveTicket {
                    status: Status::New,
                    assignee: None,
                    close_at: None,
                });
            }
        },

        (Some(t), Event::Accept { agent }) => {
            if t.status != Status::New {
                return Err(LifecycleError::InvalidTransition {
                    from: t.status,
                    to: Status::Open,
                });
            }
            d.transitions.push(current(Status::New, Status::Open));
            d.live = Some(LiveTicket {
                status: Status::Open,
                assignee: Some(agent.clone()),
                close_at: None,
            });
        }

        (Some(t), Event::SetStatus { agent, to }) => {
            let allowed = match (t.status, *to) {
                (from, to) if from == to => false,
                (_, Status::New | Status::Closed) => false,
                (Status::Closed, _) => false,
                _ => true,
            };
            if !allowed {
                return Err(LifecycleError::InvalidTransition {
                    from: t.status,
                    to: *to,
                });
            }
            d.transitions.push(current(t.status, *to));
            // Whoever moves an unassigned ticket along takes it.
            let assignee = t.assignee.or_else(|| Some(agent.clone()));
            if *to == Status::Solved {
                let close_at = now + Millis::from(style.secs()) * SECOND;
                if close_at <= now {
                    d.transitions.push(current(Status::Solved, Status::Closed));
                } else {
                    d.live = Some(LiveTicket {
                        status: Status::Solved,
                        assignee,
                        close_at: Some(close_at),
                    });
                    d.alarm_at = Some(close_at);
                }
            } else {
                d.live = Some(LiveTicket {
                    status: *to,
                    assignee,
                    close_at: None,
                });
            }
        }

        (Some(t), Event::Finish) => d.transitions.push(current(t.status, Status::Closed)),

        // A timer that fires early (or for a ticket no longer Solved) changes nothing, but the
        // pending deadline, if any, must stay armed.
        (Some(t), Event::Timer) => {
            d.alarm_at = t.close_at.filter(|_| t.status == Status::Solved);
            d.live = Some(t);
        }
    }
    Ok(d)
}

fn current(from: Status, to: Status) -> Transition {
    Transition {
        from: Some(from),
        to,
        ticket: Which::Current,
    }
}

#[cfg(test)]
mod tests;
