//! The inbox on plain types: the site's live tickets and its team, as the console socket's
//! events change them, and the views an agent filters them by (mine / unassigned / all, and by
//! status) with their counts. No browser, no clock: tested natively.

use porchlight_shared::console::{ConsoleEvent, InboxTicket, TeamMember};
use porchlight_shared::routing::Presence;
use porchlight_shared::Status;

/// Which tickets the list shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum View {
    /// Assigned to me, or offered to me and not yet taken by anyone.
    Mine,
    /// Nobody owns them yet (the queue, and offers still waiting for an answer).
    Unassigned,
    /// Every live ticket of the site.
    All,
}

impl View {
    /// Every view, in the order the tabs show them.
    pub const ALL: [View; 3] = [View::Mine, View::Unassigned, View::All];

    /// The tab's label.
    pub fn label(self) -> &'static str {
        match self {
            View::Mine => "Mine",
            View::Unassigned => "Unassigned",
            View::All => "All",
        }
    }

    /// A stable name for attributes and tests.
    pub fn name(self) -> &'static str {
        match self {
            View::Mine => "mine",
            View::Unassigned => "unassigned",
            View::All => "all",
        }
    }

    /// Whether `ticket` belongs in this view for agent `me`.
    pub fn contains(self, ticket: &InboxTicket, me: &str) -> bool {
        match self {
            View::Mine => match &ticket.assignee {
                Some(a) => a == me,
                None => ticket.offered_to.as_deref() == Some(me),
            },
            View::Unassigned => ticket.assignee.is_none(),
            View::All => true,
        }
    }
}

/// The statuses a live ticket can have, in the order the status tabs show them.
pub const LIVE_STATUSES: [Status; 5] = [
    Status::New,
    Status::Open,
    Status::Pending,
    Status::OnHold,
    Status::Solved,
];

/// How many tickets each tab would show.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Counts {
    /// Per view, over every status, in [`View::ALL`] order.
    pub views: Vec<(View, usize)>,
    /// Within the chosen view, per status in [`LIVE_STATUSES`] order.
    pub statuses: Vec<(Status, usize)>,
    /// Within the chosen view, every status.
    pub total: usize,
}

/// Something the agent should hear about (a notification, a sound).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Notice {
    /// A ticket was offered to me.
    Offer(InboxTicket),
    /// The visitor wrote again on a ticket of mine.
    Message(InboxTicket),
}

/// The site's live tickets and team, as this console knows them.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Inbox {
    /// Live tickets, most recently changed first.
    tickets: Vec<InboxTicket>,
    /// Everyone on the site's team, by name.
    team: Vec<TeamMember>,
    /// Whether a snapshot has arrived (before it, the inbox is unknown rather than empty).
    loaded: bool,
}

impl Inbox {
    /// Whether the first snapshot has arrived.
    pub fn loaded(&self) -> bool {
        self.loaded
    }

    /// Applies one event of the console socket for agent `me`; returns what deserves a
    /// notification.
    pub fn apply(&mut self, event: ConsoleEvent, me: &str) -> Option<Notice> {
        match event {
            ConsoleEvent::Snapshot { tickets, team } => {
                self.tickets = tickets;
                self.sort_tickets();
                self.team = Vec::new();
                for m in team {
                    self.upsert_member(m);
                }
                self.loaded = true;
                None
            }
            ConsoleEvent::TicketChanged(t) => {
                let before = self
                    .tickets
                    .iter()
                    .find(|o| o.conversation_id == t.conversation_id && o.number == t.number)
                    .map(|o| (o.preview.clone(), o.updated_at));
                // A new preview (or the same words again, later) is a new visitor message.
                let wrote = t.preview.is_some()
                    && before.is_some_and(|(p, at)| p != t.preview || at < t.updated_at)
                    && t.assignee.as_deref() == Some(me);
                self.upsert_ticket(t.clone());
                wrote.then_some(Notice::Message(t))
            }
            ConsoleEvent::Offer(t) => {
                self.upsert_ticket(t.clone());
                // An offer for someone else (a misrouted frame) is only a change.
                (t.offered_to.as_deref() == Some(me) && t.assignee.is_none())
                    .then_some(Notice::Offer(t))
            }
            ConsoleEvent::TicketClosed {
                conversation_id,
                number,
            } => {
                self.tickets
                    .retain(|t| !(t.conversation_id == conversation_id && t.number <= number));
                None
            }
            ConsoleEvent::MemberChanged(m) => {
                self.upsert_member(m);
                None
            }
            ConsoleEvent::Pong | ConsoleEvent::Unknown => None,
        }
    }

    /// A conversation's live ticket appeared or changed. A conversation has one live ticket, so
    /// it replaces whatever was listed for that conversation, unless what is listed is newer (a
    /// late frame about an older ticket).
    pub fn upsert_ticket(&mut self, ticket: InboxTicket) {
        if let Some(pos) = self
            .tickets
            .iter()
            .position(|t| t.conversation_id == ticket.conversation_id)
        {
            let held = &self.tickets[pos];
            if held.number > ticket.number
                || (held.number == ticket.number && held.updated_at > ticket.updated_at)
            {
                return;
            }
            self.tickets.remove(pos);
        }
        if ticket.status == Status::Closed {
            return;
        }
        self.tickets.push(ticket);
        self.sort_tickets();
    }

    /// A team member's profile, presence or load changed (or they joined).
    pub fn upsert_member(&mut self, member: TeamMember) {
        match self.team.iter_mut().find(|m| m.agent.id == member.agent.id) {
            Some(m) => *m = member,
            None => {
                self.team.push(member);
                self.team.sort_by(|a, b| {
                    a.agent
                        .name
                        .to_lowercase()
                        .cmp(&b.agent.name.to_lowercase())
                        .then(a.agent.id.cmp(&b.agent.id))
                });
            }
        }
    }

    /// Replaces the team (from `GET /v1/console/agents`).
    pub fn set_team(&mut self, team: Vec<TeamMember>) {
        self.team.clear();
        for m in team {
            self.upsert_member(m);
        }
    }

    fn sort_tickets(&mut self) {
        self.tickets.sort_by(|a, b| {
            b.updated_at
                .cmp(&a.updated_at)
                .then(a.conversation_id.cmp(&b.conversation_id))
        });
    }

    /// The tickets of `view` (and of `status`, if given), most recently changed first.
    pub fn list(&self, view: View, status: Option<Status>, me: &str) -> Vec<InboxTicket> {
        self.tickets
            .iter()
            .filter(|t| view.contains(t, me) && status.is_none_or(|s| t.status == s))
            .cloned()
            .collect()
    }

    /// The counts every tab shows, with `view` chosen.
    pub fn counts(&self, view: View, me: &str) -> Counts {
        let views = View::ALL
            .iter()
            .map(|v| {
                (
                    *v,
                    self.tickets.iter().filter(|t| v.contains(t, me)).count(),
                )
            })
            .collect();
        let in_view: Vec<&InboxTicket> = self
            .tickets
            .iter()
            .filter(|t| view.contains(t, me))
            .collect();
        let statuses = LIVE_STATUSES
            .iter()
            .map(|s| (*s, in_view.iter().filter(|t| t.status == *s).count()))
            .collect();
        Counts {
            views,
            statuses,
            total: in_view.len(),
        }
    }

    /// Tickets offered to `me` that nobody has accepted yet, oldest offer first.
    pub fn offers(&self, me: &str) -> Vec<InboxTicket> {
        let mut offers: Vec<InboxTicket> = self
            .tickets
            .iter()
            .filter(|t| {
                t.assignee.is_none()
                    && t.status == Status::New
                    && t.offered_to.as_deref() == Some(me)
            })
            .cloned()
            .collect();
        offers.sort_by_key(|t| t.waiting_since.unwrap_or(t.updated_at));
        offers
    }

    /// The live ticket of a conversation, if listed.
    pub fn ticket(&self, conversation_id: &str) -> Option<&InboxTicket> {
        self.tickets
            .iter()
            .find(|t| t.conversation_id == conversation_id)
    }

    /// The team, by name.
    pub fn team(&self) -> &[TeamMember] {
        &self.team
    }

    /// One team member.
    pub fn member(&self, agent_id: &str) -> Option<&TeamMember> {
        self.team.iter().find(|m| m.agent.id == agent_id)
    }

    /// My presence as the team list knows it (offline until it says otherwise).
    pub fn presence_of(&self, agent_id: &str) -> Presence {
        self.member(agent_id)
            .map_or(Presence::Offline, |m| m.presence)
    }

    /// A display name for an agent id: the member's name, or the id itself.
    pub fn name_of(&self, agent_id: &str) -> String {
        self.member(agent_id)
            .map_or_else(|| agent_id.to_owned(), |m| m.agent.name.clone())
    }

    /// Every skill someone on the team has, sorted, without repeats (the departments a ticket
    /// can be transferred to).
    pub fn skills(&self) -> Vec<String> {
        let mut skills: Vec<String> = self
            .team
            .iter()
            .flat_map(|m| m.agent.skills.iter().cloned())
            .collect();
        skills.sort();
        skills.dedup();
        skills
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use porchlight_shared::console::{AgentProfile, AgentRole};

    fn ticket(id: &str, status: Status, assignee: Option<&str>, updated: i64) -> InboxTicket {
        InboxTicket {
            conversation_id: id.into(),
            number: 1,
            status,
            assignee: assignee.map(Into::into),
            offered_to: None,
            skills: vec![],
            updated_at: updated,
            waiting_since: None,
            visitor_name: None,
            preview: None,
            visitor_locale: None,
            visitor_page: None,
        }
    }

    fn offered(id: &str, to: &str, since: i64) -> InboxTicket {
        InboxTicket {
            offered_to: Some(to.into()),
            waiting_since: Some(since),
            ..ticket(id, Status::New, None, since)
        }
    }

    fn member(id: &str, name: &str, presence: Presence, skills: &[&str]) -> TeamMember {
        TeamMember {
            agent: AgentProfile {
                id: id.into(),
                name: name.into(),
                email: format!("{id}@demo.test"),
                role: AgentRole::Agent,
                skills: skills.iter().map(|s| s.to_string()).collect(),
                capacity: 2,
            },
            presence,
            open: 0,
        }
    }

    fn snapshot(tickets: Vec<InboxTicket>) -> Inbox {
        let mut inbox = Inbox::default();
        inbox.apply(
            ConsoleEvent::Snapshot {
                tickets,
                team: vec![
                    member("bruno", "Bruno", Presence::Away, &["pt", "billing"]),
                    member("alice", "alice", Presence::Online, &["en"]),
                ],
            },
            "alice",
        );
        inbox
    }

    fn ids(tickets: &[InboxTicket]) -> Vec<&str> {
        tickets.iter().map(|t| t.conversation_id.as_str()).collect()
    }

    #[test]
    fn views_and_status_filters() {
        let inbox = snapshot(vec![
            ticket("a", Status::Open, Some("alice"), 5),
            ticket("b", Status::Pending, Some("bruno"), 4),
            ticket("c", Status::New, None, 3),
            offered("d", "alice", 2),
            offered("e", "bruno", 1),
            ticket("f", Status::Solved, Some("alice"), 6),
        ]);
        assert!(inbox.loaded());
        assert_eq!(ids(&inbox.list(View::Mine, None, "alice")), ["f", "a", "d"]);
        assert_eq!(
            ids(&inbox.list(View::Unassigned, None, "alice")),
            ["c", "d", "e"]
        );
        assert_eq!(
            ids(&inbox.list(View::All, None, "alice")),
            ["f", "a", "b", "c", "d", "e"]
        );
        assert_eq!(
            ids(&inbox.list(View::All, Some(Status::New), "alice")),
            ["c", "d", "e"]
        );
        assert_eq!(
            ids(&inbox.list(View::Mine, Some(Status::Open), "alice")),
            ["a"]
        );
        assert_eq!(ids(&inbox.list(View::Mine, None, "bruno")), ["b", "e"]);
    }

    #[test]
    fn counts_per_view_and_per_status_within_the_view() {
        let inbox = snapshot(vec![
            ticket("a", Status::Open, Some("alice"), 5),
            ticket("b", Status::Pending, Some("bruno"), 4),
            ticket("c", Status::New, None, 3),
            offered("d", "alice", 2),
            ticket("f", Status::Solved, Some("alice"), 6),
        ]);
        let c = inbox.counts(View::Mine, "alice");
        assert_eq!(
            c.views,
            vec![(View::Mine, 3), (View::Unassigned, 2), (View::All, 5)]
        );
        assert_eq!(
            c.statuses,
            vec![
                (Status::New, 1),
                (Status::Open, 1),
                (Status::Pending, 0),
                (Status::OnHold, 0),
                (Status::Solved, 1)
            ]
        );
        assert_eq!(c.total, 3);
        let all = inbox.counts(View::All, "alice");
        assert_eq!(all.total, 5);
        assert_eq!(all.statuses[0], (Status::New, 2));
        assert_eq!(all.statuses[2], (Status::Pending, 1));
        assert_eq!(
            all.views, c.views,
            "view counts do not depend on the choice"
        );
    }

    #[test]
    fn changes_replace_the_conversations_ticket_and_keep_the_order() {
        let mut inbox = snapshot(vec![
            ticket("a", Status::New, None, 1),
            ticket("b", Status::Open, Some("bruno"), 2),
        ]);
        let n = inbox.apply(
            ConsoleEvent::TicketChanged(ticket("a", Status::Open, Some("alice"), 3)),
            "alice",
        );
        assert_eq!(n, None);
        assert_eq!(ids(&inbox.list(View::All, None, "alice")), ["a", "b"]);
        assert_eq!(
            inbox.ticket("a").map(|t| t.status),
            Some(Status::Open),
            "replaced, not added"
        );
        // A late frame about the same ticket's older state is ignored.
        inbox.apply(
            ConsoleEvent::TicketChanged(ticket("a", Status::New, None, 1)),
            "alice",
        );
        assert_eq!(inbox.ticket("a").map(|t| t.status), Some(Status::Open));
        // A newer ticket of the same conversation replaces the old one.
        let second = InboxTicket {
            number: 2,
            ..ticket("a", Status::New, None, 0)
        };
        inbox.apply(ConsoleEvent::TicketChanged(second), "alice");
        assert_eq!(inbox.ticket("a").map(|t| t.number), Some(2));
        assert_eq!(inbox.list(View::All, None, "alice").len(), 2);
    }

    #[test]
    fn a_new_visitor_message_on_my_ticket_is_a_notice() {
        let mut inbox = Inbox::default();
        let mine = InboxTicket {
            preview: Some("hello".into()),
            ..ticket("m", Status::Open, Some("alice"), 1)
        };
        inbox.apply(ConsoleEvent::TicketChanged(mine.clone()), "alice");
        let again = InboxTicket {
            preview: Some("are you there?".into()),
            updated_at: 2,
            ..mine.clone()
        };
        let n = inbox.apply(ConsoleEvent::TicketChanged(again.clone()), "alice");
        assert_eq!(n, Some(Notice::Message(again.clone())));
        // Someone else's ticket, or a change without a new message, is not.
        assert_eq!(
            inbox.apply(ConsoleEvent::TicketChanged(again.clone()), "alice"),
            None
        );
        let theirs = InboxTicket {
            assignee: Some("bruno".into()),
            preview: Some("hola".into()),
            updated_at: 3,
            ..again
        };
        assert_eq!(
            inbox.apply(ConsoleEvent::TicketChanged(theirs), "alice"),
            None
        );
    }

    #[test]
    fn closing_removes_the_ticket_but_not_a_newer_one() {
        let mut inbox = snapshot(vec![
            ticket("a", Status::Solved, Some("alice"), 1),
            ticket("b", Status::Open, Some("alice"), 2),
        ]);
        inbox.apply(
            ConsoleEvent::TicketClosed {
                conversation_id: "a".into(),
                number: 1,
            },
            "alice",
        );
        assert_eq!(ids(&inbox.list(View::All, None, "alice")), ["b"]);
        let newer = InboxTicket {
            number: 3,
            ..ticket("b", Status::New, None, 9)
        };
        inbox.apply(ConsoleEvent::TicketChanged(newer), "alice");
        inbox.apply(
            ConsoleEvent::TicketClosed {
                conversation_id: "b".into(),
                number: 2,
            },
            "alice",
        );
        assert_eq!(inbox.ticket("b").map(|t| t.number), Some(3));
        // A change to Closed also removes it.
        inbox.apply(
            ConsoleEvent::TicketChanged(InboxTicket {
                number: 3,
                ..ticket("b", Status::Closed, None, 10)
            }),
            "alice",
        );
        assert!(inbox.list(View::All, None, "alice").is_empty());
    }

    #[test]
    fn offers_to_me_are_noticed_listed_and_go_away_when_accepted_or_moved() {
        let mut inbox = snapshot(vec![]);
        let n = inbox.apply(ConsoleEvent::Offer(offered("x", "alice", 10)), "alice");
        assert_eq!(n, Some(Notice::Offer(offered("x", "alice", 10))));
        inbox.apply(ConsoleEvent::Offer(offered("y", "alice", 5)), "alice");
        assert_eq!(ids(&inbox.offers("alice")), ["y", "x"], "oldest first");
        assert!(inbox.offers("bruno").is_empty());
        // Someone else's offer is not mine to hear about.
        assert_eq!(
            inbox.apply(ConsoleEvent::Offer(offered("z", "bruno", 7)), "alice"),
            None
        );
        // Accepted: assigned, no longer an offer.
        inbox.apply(
            ConsoleEvent::TicketChanged(InboxTicket {
                offered_to: None,
                ..ticket("x", Status::Open, Some("alice"), 11)
            }),
            "alice",
        );
        // Re-offered to someone else (I did not answer).
        inbox.apply(
            ConsoleEvent::TicketChanged(offered("y", "bruno", 12)),
            "alice",
        );
        assert!(inbox.offers("alice").is_empty());
        assert_eq!(ids(&inbox.offers("bruno")), ["z", "y"]);
    }

    #[test]
    fn team_members_are_kept_by_name_and_updated_in_place() {
        let mut inbox = snapshot(vec![]);
        assert_eq!(
            inbox
                .team()
                .iter()
                .map(|m| m.agent.id.as_str())
                .collect::<Vec<_>>(),
            ["alice", "bruno"],
            "by name, case-insensitively"
        );
        assert_eq!(inbox.presence_of("bruno"), Presence::Away);
        let mut b = member("bruno", "Bruno", Presence::Online, &["pt", "billing"]);
        b.open = 1;
        inbox.apply(ConsoleEvent::MemberChanged(b), "alice");
        assert_eq!(inbox.presence_of("bruno"), Presence::Online);
        assert_eq!(inbox.member("bruno").map(|m| m.open), Some(1));
        assert_eq!(inbox.team().len(), 2);
        inbox.apply(
            ConsoleEvent::MemberChanged(member("carol", "Carol", Presence::Offline, &["zh"])),
            "alice",
        );
        assert_eq!(inbox.team().len(), 3);
        assert_eq!(inbox.presence_of("nobody"), Presence::Offline);
        assert_eq!(inbox.name_of("bruno"), "Bruno");
        assert_eq!(inbox.name_of("ghost"), "ghost");
        assert_eq!(inbox.skills(), ["billing", "en", "pt", "zh"]);
    }

    #[test]
    fn a_snapshot_replaces_everything_and_unknown_events_change_nothing() {
        let mut inbox = snapshot(vec![ticket("a", Status::New, None, 1)]);
        let before = inbox.clone();
        assert_eq!(inbox.apply(ConsoleEvent::Unknown, "alice"), None);
        assert_eq!(inbox.apply(ConsoleEvent::Pong, "alice"), None);
        assert_eq!(inbox, before);
        inbox.apply(
            ConsoleEvent::Snapshot {
                tickets: vec![ticket("b", Status::Open, Some("alice"), 2)],
                team: vec![],
            },
            "alice",
        );
        assert_eq!(ids(&inbox.list(View::All, None, "alice")), ["b"]);
        assert!(inbox.team().is_empty());
        assert!(!Inbox::default().loaded());
    }
}
