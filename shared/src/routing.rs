//! The routing decision (SPEC.md, "Routing"): which agent a ticket is offered to.
//!
//! Pure: the site's coordinator pushes in the agents as it knows them and the tickets waiting,
//! and gets back offers. An agent is eligible when online, below capacity and holding every
//! skill the ticket needs; among the eligible, a reopened ticket goes back to its own agent,
//! then the least loaded wins, then the one idle longest, then the smallest id (so that the
//! decision never depends on the order agents are listed in).

use serde::{Deserialize, Serialize};

use crate::lifecycle::Millis;

/// An agent's availability, set by the agent (and `Offline` when every console tab is gone).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Presence {
    /// Takes new tickets.
    Online,
    /// Signed in but takes no new tickets.
    Away,
    /// Not signed in.
    Offline,
}

/// What routing knows about one agent.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AgentLoad {
    /// Agent id.
    pub id: String,
    /// Availability.
    pub presence: Presence,
    /// Most Open tickets at once.
    pub capacity: u32,
    /// Open tickets now (Pending, On-hold and Solved do not count).
    pub open: u32,
    /// Skills, e.g. `pt`, `billing`.
    pub skills: Vec<String>,
    /// Since when the agent has had no new ticket (or came online): the longest idle wins ties.
    pub idle_since: Millis,
}

impl AgentLoad {
    /// Whether the agent has every skill in `skills`.
    pub fn skills_cover(&self, skills: &[String]) -> bool {
        skills.iter().all(|s| self.skills.contains(s))
    }

    /// Whether the agent can take a ticket needing `skills` now.
    pub fn can_take(&self, skills: &[String]) -> bool {
        self.presence == Presence::Online && self.open < self.capacity && self.skills_cover(skills)
    }
}

/// A ticket waiting for an agent.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Waiting {
    /// Which ticket (conversation id and ticket number, as the caller names it).
    pub ticket: String,
    /// Every skill the ticket needs (language from the widget, department from a flow).
    pub skills: Vec<String>,
    /// For a reopened ticket: the agent who had it, preferred while eligible.
    pub previous_agent: Option<String>,
    /// When it started waiting: the queue is served oldest first.
    pub since: Millis,
}

/// The agent a ticket should be offered to, if anyone can take it.
pub fn choose<'a>(agents: &'a [AgentLoad], ticket: &Waiting) -> Option<&'a AgentLoad> {
    let eligible = agents.iter().filter(|a| a.can_take(&ticket.skills));
    if let Some(prev) = &ticket.previous_agent {
        if let Some(a) = agents
            .iter()
            .find(|a| &a.id == prev && a.can_take(&ticket.skills))
        {
            return Some(a);
        }
    }
    eligible.min_by(|a, b| {
        a.open
            .cmp(&b.open)
            .then(a.idle_since.cmp(&b.idle_since))
            .then(a.id.cmp(&b.id))
    })
}

/// One offer: ticket to agent.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Offer {
    /// The ticket.
    pub ticket: String,
    /// The agent.
    pub agent: String,
}

/// Serves the queue oldest first, counting each offer against the agent's capacity, as when an
/// agent comes online or frees capacity. Tickets nobody can take stay queued (not returned).
pub fn serve_queue(agents: &[AgentLoad], queue: &[Waiting], now: Millis) -> Vec<Offer> {
    let mut agents = agents.to_vec();
    let mut order: Vec<&Waiting> = queue.iter().collect();
    order.sort_by(|a, b| a.since.cmp(&b.since).then(a.ticket.cmp(&b.ticket)));
    let mut offers = Vec::new();
    for w in order {
        let Some(id) = choose(&agents, w).map(|a| a.id.clone()) else {
            continue;
        };
        if let Some(a) = agents.iter_mut().find(|a| a.id == id) {
            a.open += 1;
            a.idle_since = now;
        }
        offers.push(Offer {
            ticket: w.ticket.clone(),
            agent: id,
        });
    }
    offers
}

#[cfg(test)]
mod tests {
    use super::*;

    fn agent(
        id: &str,
        presence: Presence,
        capacity: u32,
        open: u32,
        skills: &[&str],
        idle: Millis,
    ) -> AgentLoad {
        AgentLoad {
            id: id.into(),
            presence,
            capacity,
            open,
            skills: skills.iter().map(|s| s.to_string()).collect(),
            idle_since: idle,
        }
    }

    fn waiting(ticket: &str, skills: &[&str], previous: Option<&str>, since: Millis) -> Waiting {
        Waiting {
            ticket: ticket.into(),
            skills: skills.iter().map(|s| s.to_string()).collect(),
            previous_agent: previous.map(Into::into),
            since,
        }
    }

    fn chosen(agents: &[AgentLoad], w: &Waiting) -> Option<String> {
        choose(agents, w).map(|a| a.id.clone())
    }

    #[test]
    fn only_online_agents_with_room_and_every_skill_are_eligible() {
        let needs = waiting("t", &["pt", "billing"], None, 0);
        let base = agent("a", Presence::Online, 2, 1, &["pt", "billing", "en"], 0);
        assert!(base.can_take(&needs.skills));
        for (why, a) in [
            (
                "away",
                AgentLoad {
                    presence: Presence::Away,
                    ..base.clone()
                },
            ),
            (
                "offline",
                AgentLoad {
                    presence: Presence::Offline,
                    ..base.clone()
                },
            ),
            (
                "full",
                AgentLoad {
                    open: 2,
                    ..base.clone()
                },
            ),
            (
                "no capacity",
                AgentLoad {
                    capacity: 0,
                    open: 0,
                    ..base.clone()
                },
            ),
            (
                "missing skill",
                AgentLoad {
                    skills: vec!["pt".into()],
                    ..base.clone()
                },
            ),
        ] {
            assert!(!a.can_take(&needs.skills), "{why}");
            assert_eq!(chosen(&[a], &needs), None, "{why}");
        }
        assert!(
            base.can_take(&[]),
            "a ticket without needs fits any available agent"
        );
    }

    #[test]
    fn least_loaded_then_longest_idle_then_id() {
        let w = waiting("t", &[], None, 0);
        let busy = agent("busy", Presence::Online, 5, 3, &[], 0);
        let light = agent("light", Presence::Online, 5, 1, &[], 900);
        assert_eq!(
            chosen(&[busy.clone(), light.clone()], &w).as_deref(),
            Some("light")
        );
        let idle_long = agent("b", Presence::Online, 5, 1, &[], 100);
        assert_eq!(
            chosen(&[light.clone(), idle_long.clone()], &w).as_deref(),
            Some("b")
        );
        let twin = agent("a", Presence::Online, 5, 1, &[], 100);
        // Same load, same idle time: the smaller id, whatever the listing order.
        assert_eq!(
            chosen(&[idle_long.clone(), twin.clone()], &w).as_deref(),
            Some("a")
        );
        assert_eq!(chosen(&[twin, idle_long], &w).as_deref(), Some("a"));
    }

    #[test]
    fn a_reopened_ticket_goes_back_to_its_agent_while_eligible() {
        let mine = agent("mine", Presence::Online, 3, 2, &["pt"], 0);
        let free = agent("free", Presence::Online, 3, 0, &["pt"], 0);
        let w = waiting("t", &["pt"], Some("mine"), 0);
        assert_eq!(
            chosen(&[free.clone(), mine.clone()], &w).as_deref(),
            Some("mine")
        );
        let away = AgentLoad {
            presence: Presence::Away,
            ..mine
        };
        assert_eq!(
            chosen(&[free, away], &w).as_deref(),
            Some("free"),
            "unavailable: routed as new"
        );
    }

    #[test]
    fn skills_pick_the_right_agent() {
        let pt = agent("pt-agent", Presence::Online, 2, 1, &["pt"], 0);
        let en = agent("en-agent", Presence::Online, 2, 0, &["en"], 0);
        let agents = [pt, en];
        assert_eq!(
            chosen(&agents, &waiting("t", &["pt"], None, 0)).as_deref(),
            Some("pt-agent")
        );
        assert_eq!(
            chosen(&agents, &waiting("t", &["en"], None, 0)).as_deref(),
            Some("en-agent")
        );
        assert_eq!(chosen(&agents, &waiting("t", &["zh"], None, 0)), None);
    }

    #[test]
    fn the_queue_is_served_oldest_first_within_capacity() {
        let agents = [
            agent("a", Presence::Online, 1, 0, &["pt"], 0),
            agent("b", Presence::Online, 2, 1, &[], 0),
        ];
        let queue = [
            waiting("newest", &[], None, 30),
            waiting("oldest", &["pt"], None, 10),
            waiting("middle", &[], None, 20),
            waiting("zh", &["zh"], None, 5),
        ];
        let offers = serve_queue(&agents, &queue, 100);
        let pairs: Vec<(&str, &str)> = offers
            .iter()
            .map(|o| (o.ticket.as_str(), o.agent.as_str()))
            .collect();
        // oldest (needs pt) → a, filling a; middle → b, filling b; newest waits; zh fits nobody.
        assert_eq!(pairs, vec![("oldest", "a"), ("middle", "b")]);
    }

    #[test]
    fn capacity_frees_and_the_queue_moves() {
        let full = [agent("a", Presence::Online, 1, 1, &[], 0)];
        let queue = [waiting("t1", &[], None, 1)];
        assert!(serve_queue(&full, &queue, 10).is_empty(), "full: queued");
        let freed = [agent("a", Presence::Online, 1, 0, &[], 0)];
        assert_eq!(
            serve_queue(&freed, &queue, 10),
            vec![Offer {
                ticket: "t1".into(),
                agent: "a".into()
            }]
        );
    }

    /// Over every combination of presence, load and skills for three agents, the choice is
    /// always eligible, and nobody eligible is less loaded.
    #[test]
    fn every_choice_is_eligible_and_least_loaded() {
        let presences = [Presence::Online, Presence::Away, Presence::Offline];
        let skill_sets: [&[&str]; 3] = [&[], &["pt"], &["pt", "billing"]];
        let needs = [
            waiting("t", &[], None, 0),
            waiting("t", &["pt"], None, 0),
            waiting("t", &["pt", "billing"], None, 0),
        ];
        let mut combos = 0;
        for p in presences {
            for open in 0..=2 {
                for s in skill_sets {
                    for q in presences {
                        for open2 in 0..=2 {
                            let agents = [
                                agent("x", p, 2, open, s, 5),
                                agent("y", q, 2, open2, &["pt", "billing"], 7),
                                agent("z", Presence::Online, 2, 2, &[], 1),
                            ];
                            for w in &needs {
                                combos += 1;
                                match choose(&agents, w) {
                                    Some(a) => {
                                        assert!(a.can_take(&w.skills));
                                        assert!(agents
                                            .iter()
                                            .filter(|o| o.can_take(&w.skills))
                                            .all(|o| o.open >= a.open));
                                    }
                                    None => assert!(agents.iter().all(|o| !o.can_take(&w.skills))),
                                }
                            }
                        }
                    }
                }
            }
        }
        assert_eq!(combos, 3 * 3 * 3 * 3 * 3 * 3);
    }
}
