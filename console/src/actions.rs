//! Which ticket actions the conversation view offers. The edge decides with
//! [`lifecycle::decide`]; the console asks the same function, so a button is shown exactly when
//! the edge would accept it (the edge still checks).

use porchlight_shared::console::AgentRole;
use porchlight_shared::lifecycle::{self, ConversationStyle, Event, LiveTicket};
use porchlight_shared::protocol::TicketView;
use porchlight_shared::{Millis, Status};

/// The statuses an agent can set by hand, in the order the buttons show them.
pub const SETTABLE: [Status; 4] = [
    Status::Open,
    Status::Pending,
    Status::OnHold,
    Status::Solved,
];

/// What the agent can do to a conversation's live ticket now.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Actions {
    /// Accept the New ticket.
    pub accept: bool,
    /// Status buttons, in [`SETTABLE`] order.
    pub statuses: Vec<Status>,
    /// Close the live ticket at once.
    pub finish: bool,
    /// Hand the ticket to another agent or department.
    pub transfer: bool,
    /// Write to the visitor (the edge stores replies on a live ticket only).
    pub reply: bool,
}

/// The actions on `ticket` (the live ticket, `None` when the conversation has none) for agent
/// `me` at `now`. The conversation style only matters for when a Solved ticket closes, which the
/// edge reports in `close_at`, so the default style stands in for the site's.
pub fn available(ticket: Option<&TicketView>, me: &str, now: Millis) -> Actions {
    let Some(view) = ticket else {
        return Actions::default();
    };
    let live = LiveTicket {
        status: view.status,
        assignee: view.assignee.clone(),
        close_at: view.close_at,
    };
    let style = ConversationStyle::default();
    // A Solved ticket past its close time is closed by any event first: only Finish passes.
    let allowed = |event: Event| lifecycle::decide(Some(&live), &event, &style, now).is_ok();
    let accept = allowed(Event::Accept {
        agent: me.to_owned(),
    });
    let statuses = SETTABLE
        .into_iter()
        // New → Open is what Accept does (and Accept also answers the offer): one button.
        .filter(|s| !(accept && *s == Status::Open))
        .filter(|s| {
            allowed(Event::SetStatus {
                agent: me.to_owned(),
                to: *s,
            })
        })
        .collect();
    let finish = allowed(Event::Finish);
    Actions {
        accept,
        statuses,
        finish,
        transfer: finish,
        reply: finish,
    }
}

/// Whether `me`, with `role`, may finish `ticket` ("Finish conversation" in the options menu):
/// operators and admins any ticket, an agent one assigned to them. The edge checks the same.
pub fn may_finish(actions: &Actions, ticket: &TicketView, me: &str, role: AgentRole) -> bool {
    actions.finish && (role.allows(AgentRole::Operator) || ticket.assignee.as_deref() == Some(me))
}

/// The status buttons to show, in [`SETTABLE`] order: those that change the ticket now, and the
/// ticket's own status among them (shown pressed), so that a button keeps its place, and the
/// focus, once pressed. A New ticket has Accept instead of a button of its own.
pub fn status_buttons(actions: &Actions, current: Option<Status>) -> Vec<Status> {
    SETTABLE
        .into_iter()
        .filter(|s| actions.statuses.contains(s) || current == Some(*s))
        .collect()
}

/// The label of the button that sets `status`.
pub fn status_button(status: Status) -> &'static str {
    match status {
        Status::New => "New",
        Status::Open => "Reopen",
        Status::Pending => "Pending",
        Status::OnHold => "On hold",
        Status::Solved => "Solved",
        Status::Closed => "Closed",
    }
}

/// A status as people read it.
pub fn status_label(status: Status) -> &'static str {
    match status {
        Status::New => "New",
        Status::Open => "Open",
        Status::Pending => "Pending",
        Status::OnHold => "On hold",
        Status::Solved => "Solved",
        Status::Closed => "Closed",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn view(status: Status, assignee: Option<&str>, close_at: Option<Millis>) -> TicketView {
        TicketView {
            number: 1,
            status,
            assignee: assignee.map(Into::into),
            close_at,
            rateable: false,
            rating: None,
        }
    }

    #[test]
    fn no_live_ticket_offers_nothing() {
        assert_eq!(available(None, "alice", 0), Actions::default());
    }

    #[test]
    fn a_new_ticket_is_accepted_rather_than_opened() {
        let a = available(Some(&view(Status::New, None, None)), "alice", 0);
        assert!(a.accept && a.finish && a.transfer && a.reply);
        assert_eq!(
            a.statuses,
            [Status::Pending, Status::OnHold, Status::Solved]
        );
    }

    #[test]
    fn each_status_offers_every_other_settable_one() {
        for from in [
            Status::Open,
            Status::Pending,
            Status::OnHold,
            Status::Solved,
        ] {
            let a = available(Some(&view(from, Some("alice"), Some(1_000))), "alice", 0);
            assert!(!a.accept, "{from:?}");
            assert!(a.finish, "{from:?}");
            let expected: Vec<Status> = SETTABLE.into_iter().filter(|s| *s != from).collect();
            assert_eq!(a.statuses, expected, "{from:?}");
        }
    }

    #[test]
    fn the_buttons_match_the_lifecycle_for_every_status() {
        let style = ConversationStyle::default();
        for from in Status::ALL {
            if from == Status::Closed {
                continue;
            }
            let v = view(from, Some("bruno"), None);
            let a = available(Some(&v), "alice", 0);
            let live = LiveTicket {
                status: from,
                assignee: Some("bruno".into()),
                close_at: None,
            };
            for to in SETTABLE {
                let ok = lifecycle::decide(
                    Some(&live),
                    &Event::SetStatus {
                        agent: "alice".into(),
                        to,
                    },
                    &style,
                    0,
                )
                .is_ok();
                let shown = a.statuses.contains(&to) || (a.accept && to == Status::Open);
                assert_eq!(shown, ok, "{from:?} -> {to:?}");
            }
        }
    }

    #[test]
    fn operators_and_admins_finish_any_ticket_an_agent_their_own() {
        for (assignee, role, may) in [
            (Some("alice"), AgentRole::Agent, true),
            (Some("bruno"), AgentRole::Agent, false),
            (None, AgentRole::Agent, false),
            (Some("bruno"), AgentRole::Operator, true),
            (None, AgentRole::Admin, true),
        ] {
            let v = view(Status::Open, assignee, None);
            let a = available(Some(&v), "alice", 0);
            assert_eq!(
                may_finish(&a, &v, "alice", role),
                may,
                "{assignee:?} {role:?}"
            );
        }
        // Without a live ticket there is nothing to finish, whoever asks.
        let last = view(Status::Open, Some("alice"), None);
        assert!(!may_finish(
            &available(None, "alice", 0),
            &last,
            "alice",
            AgentRole::Admin
        ));
    }

    #[test]
    fn a_solved_ticket_past_its_close_time_only_finishes() {
        let a = available(
            Some(&view(Status::Solved, Some("alice"), Some(10))),
            "alice",
            20,
        );
        assert!(a.statuses.is_empty(), "{a:?}");
        assert!(!a.accept);
    }

    #[test]
    fn the_status_buttons_keep_the_current_one_pressed_in_place() {
        // Open: every settable status, Open itself included (pressed), in the same order.
        let open = view(Status::Open, Some("alice"), None);
        let a = available(Some(&open), "alice", 0);
        assert_eq!(status_buttons(&a, Some(Status::Open)), SETTABLE);
        let pending = view(Status::Pending, Some("alice"), None);
        let a = available(Some(&pending), "alice", 0);
        assert_eq!(status_buttons(&a, Some(Status::Pending)), SETTABLE);
        // New: Accept does what Open would, so no Open button; New has none of its own.
        let new = view(Status::New, None, None);
        let a = available(Some(&new), "alice", 0);
        assert_eq!(
            status_buttons(&a, Some(Status::New)),
            [Status::Pending, Status::OnHold, Status::Solved]
        );
        // No live ticket: none.
        assert!(status_buttons(&available(None, "alice", 0), None).is_empty());
    }

    #[test]
    fn labels() {
        assert_eq!(status_button(Status::OnHold), "On hold");
        assert_eq!(status_label(Status::Pending), "Pending");
    }
}
