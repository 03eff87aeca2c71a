//! Admin screens: the team (presence and load, invite, edit role, skills and capacity), the
//! canned responses and the site's texts for visitors per language. Shown to admins only; the
//! edge refuses everyone else anyway.

use leptos::ev::SubmitEvent;
use leptos::prelude::*;
use leptos::task::spawn_local;
use porchlight_shared::console::{AgentChanges, AgentRole, TeamMember};
use porchlight_shared::texts::{SiteTexts, SiteTextsList};

use crate::api;
use crate::canned::valid_shortcut;
use crate::forms::{parse_capacity, parse_role, parse_skills, InviteFields, MAX_CAPACITY};
use crate::session::Session;
use crate::views::{presence_label, presence_name};

const ROLES: [AgentRole; 3] = [AgentRole::Agent, AgentRole::Operator, AgentRole::Admin];

fn role_label(role: AgentRole) -> &'static str {
    match role {
        AgentRole::Agent => "Agent",
        AgentRole::Operator => "Operator",
        AgentRole::Admin => "Admin",
    }
}

/// A form's outcome, shown under it.
#[derive(Debug, Clone, PartialEq)]
enum Outcome {
    Done(String),
    Failed(String),
}

fn outcome_view(outcome: RwSignal<Option<Outcome>>) -> impl IntoView {
    move || {
        outcome.get().map(|o| match o {
            Outcome::Done(t) => view! { <p class="ok" role="status">{t}</p> }.into_any(),
            Outcome::Failed(t) => view! { <p class="error" role="alert">{t}</p> }.into_any(),
        })
    }
}

fn role_options(selected: impl Fn() -> String + Send + Sync + Copy + 'static) -> impl IntoView {
    ROLES
        .into_iter()
        .map(move |r| {
            view! {
                <option value=r.as_str() selected=move || selected() == r.as_str()>
                    {role_label(r)}
                </option>
            }
        })
        .collect_view()
}

/// The team screen.
pub fn team(session: Session) -> impl IntoView {
    session.refresh_team();
    let editing = RwSignal::new(None::<String>);
    let members = Memo::new(move |_| session.inbox.with(|i| i.team().to_vec()));
    view! {
        <main class="admin" id=super::MAIN_ID tabindex="-1" aria-labelledby="team-title">
            <h1 id="team-title">"Team"</h1>
            <table class="team">
                <thead>
                    <tr>
                        <th scope="col">"Name"</th>
                        <th scope="col">"Email"</th>
                        <th scope="col">"Role"</th>
                        <th scope="col">"Skills"</th>
                        <th scope="col">"Availability"</th>
                        <th scope="col">"Load"</th>
                        <th scope="col">
                            <span class="visually-hidden">"Actions"</span>
                        </th>
                    </tr>
                </thead>
                <tbody>
                    <For
                        each=move || members.get()
                        key=member_key
                        children=move |m| member_row(session, m, editing)
                    />
                </tbody>
            </table>
            {invite_form(session)}
        </main>
    }
}

/// Every field the row shows: a change redraws the row.
fn member_key(m: &TeamMember) -> String {
    format!(
        "{}\n{}\n{}\n{}\n{}\n{}\n{}\n{}",
        m.agent.id,
        m.agent.name,
        m.agent.email,
        m.agent.role.as_str(),
        m.agent.skills.join(","),
        m.agent.capacity,
        presence_name(m.presence),
        m.open
    )
}

fn member_row(session: Session, m: TeamMember, editing: RwSignal<Option<String>>) -> impl IntoView {
    let id = m.agent.id.clone();
    let edit_id = id.clone();
    let is_editing = move || editing.with(|e| e.as_deref() == Some(edit_id.as_str()));
    let skills = if m.agent.skills.is_empty() {
        "—".to_owned()
    } else {
        m.agent.skills.join(", ")
    };
    let row = view! {
        <tr data-agent=id.clone()>
            <th scope="row">{m.agent.name.clone()}</th>
            <td>{m.agent.email.clone()}</td>
            <td data-role=m.agent.role.as_str()>{role_label(m.agent.role)}</td>
            <td>{skills}</td>
            <td>
                <span class="dot" data-presence=presence_name(m.presence) aria-hidden="true"></span>
                {presence_label(m.presence)}
            </td>
            <td>{format!("{} / {}", m.open, m.agent.capacity)}</td>
            <td>
                <button
                    type="button"
                    class="secondary"
                    aria-label=format!("Edit {}", m.agent.name)
                    on:click={
                        let id = id.clone();
                        move |_| editing.set(Some(id.clone()))
                    }
                >
                    "Edit"
                </button>
            </td>
        </tr>
    };
    let is_editing_row = is_editing.clone();
    view! {
        {row}
        <Show when=move || is_editing_row()>
            <tr class="edit-row">
                <td colspan="7">{edit_form(session, m.clone(), editing)}</td>
            </tr>
        </Show>
    }
}

fn edit_form(session: Session, m: TeamMember, editing: RwSignal<Option<String>>) -> impl IntoView {
    let id = m.agent.id.clone();
    let name = RwSignal::new(m.agent.name.clone());
    let role = RwSignal::new(m.agent.role.as_str().to_owned());
    let skills = RwSignal::new(m.agent.skills.join(", "));
    let capacity = RwSignal::new(m.agent.capacity.to_string());
    let outcome = RwSignal::new(None::<Outcome>);
    let busy = RwSignal::new(false);
    let prefix = format!("edit-{id}");
    let field_id = move |f: &str| format!("{prefix}-{f}");
    let submit = move |ev: SubmitEvent| {
        ev.prevent_default();
        let changes = (|| {
            Ok::<_, String>(AgentChanges {
                name: Some(name.get_untracked().trim().to_owned()).filter(|n| !n.is_empty()),
                role: Some(parse_role(&role.get_untracked())?),
                skills: Some(parse_skills(&skills.get_untracked())),
                capacity: Some(parse_capacity(&capacity.get_untracked())?),
            })
        })();
        let changes = match changes {
            Ok(c) => c,
            Err(e) => {
                outcome.set(Some(Outcome::Failed(e)));
                return;
            }
        };
        busy.set(true);
        let id = id.clone();
        spawn_local(async move {
            let result = session.update_agent(id, changes).await;
            busy.try_set(false);
            match result {
                Ok(_) => {
                    editing.set(None);
                }
                Err(e) => {
                    outcome.try_set(Some(Outcome::Failed(e)));
                }
            }
        });
    };
    view! {
        <form class="grid-form" on:submit=submit aria-label=format!("Edit {}", m.agent.name)>
            <label for=field_id("name")>"Name"</label>
            <input id=field_id("name") bind:value=name required />
            <label for=field_id("role")>"Role"</label>
            <select id=field_id("role") on:change=move |ev| role.set(event_target_value(&ev))>
                {role_options(move || role.get())}
            </select>
            <label for=field_id("skills")>"Skills (comma separated)"</label>
            <input id=field_id("skills") bind:value=skills />
            <label for=field_id("capacity")>"Capacity"</label>
            <input id=field_id("capacity") type="number" min="0" max={MAX_CAPACITY.to_string()} bind:value=capacity />
            {outcome_view(outcome)}
            <div class="row">
                <button type="submit" class="primary" disabled=move || busy.get()>
                    "Save"
                </button>
                <button type="button" class="secondary" on:click=move |_| editing.set(None)>
                    "Cancel"
                </button>
            </div>
        </form>
    }
}

fn invite_form(session: Session) -> impl IntoView {
    let name = RwSignal::new(String::new());
    let email = RwSignal::new(String::new());
    let role = RwSignal::new("agent".to_owned());
    let skills = RwSignal::new(String::new());
    let capacity = RwSignal::new("2".to_owned());
    let password = RwSignal::new(String::new());
    let outcome = RwSignal::new(None::<Outcome>);
    let busy = RwSignal::new(false);
    let submit = move |ev: SubmitEvent| {
        ev.prevent_default();
        let fields = InviteFields {
            name: name.get_untracked(),
            email: email.get_untracked(),
            role: role.get_untracked(),
            skills: skills.get_untracked(),
            capacity: capacity.get_untracked(),
            password: password.get_untracked(),
        };
        let agent = match fields.to_new_agent() {
            Ok(a) => a,
            Err(e) => {
                outcome.set(Some(Outcome::Failed(e)));
                return;
            }
        };
        busy.set(true);
        outcome.set(None);
        spawn_local(async move {
            let result = session.invite(agent).await;
            busy.try_set(false);
            match result {
                Ok(profile) => {
                    outcome.try_set(Some(Outcome::Done(format!(
                        "{} can now sign in as {}.",
                        profile.name, profile.email
                    ))));
                    for s in [name, email, skills, password] {
                        s.try_set(String::new());
                    }
                }
                Err(e) => {
                    outcome.try_set(Some(Outcome::Failed(e)));
                }
            }
        });
    };
    view! {
        <form class="grid-form invite" on:submit=submit aria-labelledby="invite-title" novalidate>
            <h2 id="invite-title">"Invite someone"</h2>
            <label for="invite-name">"Name"</label>
            <input id="invite-name" bind:value=name required />
            <label for="invite-email">"Email"</label>
            <input id="invite-email" type="email" bind:value=email required autocomplete="off" />
            <label for="invite-role">"Role"</label>
            <select id="invite-role" on:change=move |ev| role.set(event_target_value(&ev))>
                {role_options(move || role.get())}
            </select>
            <label for="invite-skills">"Skills (comma separated)"</label>
            <input id="invite-skills" bind:value=skills placeholder="en, billing" />
            <label for="invite-capacity">"Capacity"</label>
            <input id="invite-capacity" type="number" min="0" max={MAX_CAPACITY.to_string()} bind:value=capacity />
            <label for="invite-password">"Initial password (at least 10 characters)"</label>
            <input id="invite-password" type="password" bind:value=password autocomplete="new-password" required />
            {outcome_view(outcome)}
            <div class="row">
                <button type="submit" class="primary" disabled=move || busy.get()>
                    "Invite"
                </button>
            </div>
        </form>
    }
}

/// The canned responses screen.
pub fn canned(session: Session) -> impl IntoView {
    session.refresh_canned();
    let shortcut = RwSignal::new(String::new());
    let text = RwSignal::new(String::new());
    let outcome = RwSignal::new(None::<Outcome>);
    let busy = RwSignal::new(false);
    let submit = move |ev: SubmitEvent| {
        ev.prevent_default();
        let s = shortcut
            .get_untracked()
            .trim()
            .trim_start_matches('/')
            .to_owned();
        let t = text.get_untracked().trim().to_owned();
        if !valid_shortcut(&s) {
            outcome.set(Some(Outcome::Failed(
                "A shortcut is 1-32 of a-z, 0-9, '_' or '-'.".to_owned(),
            )));
            return;
        }
        if t.is_empty() {
            outcome.set(Some(Outcome::Failed(
                "Enter the text to insert.".to_owned(),
            )));
            return;
        }
        busy.set(true);
        spawn_local(async move {
            let result = session.save_canned(s.clone(), t).await;
            busy.try_set(false);
            outcome.try_set(Some(match result {
                Ok(()) => {
                    shortcut.try_set(String::new());
                    text.try_set(String::new());
                    Outcome::Done(format!("Saved /{s}."))
                }
                Err(e) => Outcome::Failed(e),
            }));
        });
    };
    let delete = move |s: String| {
        spawn_local(async move {
            let result = session.delete_canned(s.clone()).await;
            outcome.try_set(Some(match result {
                Ok(()) => Outcome::Done(format!("Deleted /{s}.")),
                Err(e) => Outcome::Failed(e),
            }));
        });
    };
    view! {
        <main class="admin" id=super::MAIN_ID tabindex="-1" aria-labelledby="canned-title">
            <h1 id="canned-title">"Canned responses"</h1>
            <p class="muted">"Agents insert them by typing /shortcut in the composer."</p>
            <table class="canned">
                <thead>
                    <tr>
                        <th scope="col">"Shortcut"</th>
                        <th scope="col">"Text"</th>
                        <th scope="col">
                            <span class="visually-hidden">"Actions"</span>
                        </th>
                    </tr>
                </thead>
                <tbody>
                    <For
                        each=move || session.canned.get()
                        key=|r| (r.shortcut.clone(), r.text.clone())
                        children=move |r| {
                            let edit = r.clone();
                            let gone = r.shortcut.clone();
                            view! {
                                <tr data-shortcut=r.shortcut.clone()>
                                    <th scope="row">{format!("/{}", r.shortcut)}</th>
                                    <td class="pre">{r.text.clone()}</td>
                                    <td class="row">
                                        <button
                                            type="button"
                                            class="secondary"
                                            aria-label=format!("Edit /{}", r.shortcut)
                                            on:click=move |_| {
                                                shortcut.set(edit.shortcut.clone());
                                                text.set(edit.text.clone());
                                            }
                                        >
                                            "Edit"
                                        </button>
                                        <button
                                            type="button"
                                            class="danger"
                                            aria-label=format!("Delete /{}", r.shortcut)
                                            on:click=move |_| delete(gone.clone())
                                        >
                                            "Delete"
                                        </button>
                                    </td>
                                </tr>
                            }
                        }
                    />
                </tbody>
            </table>
            <form class="grid-form" on:submit=submit aria-labelledby="canned-form-title" novalidate>
                <h2 id="canned-form-title">"Add or change a response"</h2>
                <label for="canned-shortcut">"Shortcut"</label>
                <input id="canned-shortcut" bind:value=shortcut placeholder="refund" autocomplete="off" />
                <label for="canned-text">"Text"</label>
                <textarea
                    id="canned-text"
                    rows="4"
                    prop:value=move || text.get()
                    on:input=move |ev| text.set(event_target_value(&ev))
                ></textarea>
                {outcome_view(outcome)}
                <div class="row">
                    <button type="submit" class="primary" disabled=move || busy.get()>
                        "Save"
                    </button>
                </div>
            </form>
        </main>
    }
}

/// The site's languages, by tag, with their names in their own language.
const LANGUAGES: [(&str, &str); 4] = [
    ("en", "English"),
    ("pt-BR", "Português (Brasil)"),
    ("es", "Español"),
    ("zh-CN", "简体中文"),
];

fn language_name(tag: &str) -> &'static str {
    LANGUAGES
        .iter()
        .find(|(t, _)| *t == tag)
        .map_or("", |(_, name)| name)
}

/// The site's own texts for visitors (welcome, away message, expected wait, privacy text, the
/// rating's questions), one language at a time. A text left empty falls back to the default language's.
pub fn site_texts() -> impl IntoView {
    let list = RwSignal::new(None::<SiteTextsList>);
    let locale = RwSignal::new("en".to_owned());
    let welcome = RwSignal::new(String::new());
    let away = RwSignal::new(String::new());
    let wait = RwSignal::new(String::new());
    let privacy = RwSignal::new(String::new());
    let csat_question = RwSignal::new(String::new());
    let nps_question = RwSignal::new(String::new());
    let outcome = RwSignal::new(None::<Outcome>);
    let busy = RwSignal::new(false);
    // The fields show the chosen language's texts as stored.
    let fill = move || {
        let chosen = locale.get_untracked();
        let texts = list.with_untracked(|l| {
            l.as_ref()
                .and_then(|l| l.locales.iter().find(|t| t.locale == chosen))
                .map(|t| t.texts.clone())
                .unwrap_or_default()
        });
        welcome.try_set(texts.welcome);
        away.try_set(texts.away_message);
        wait.try_set(texts.expected_wait);
        privacy.try_set(texts.privacy_text);
        csat_question.try_set(texts.csat_question);
        nps_question.try_set(texts.nps_question);
    };
    spawn_local(async move {
        match api::site_texts().await {
            Ok(l) => {
                list.try_set(Some(l));
                fill();
            }
            Err(e) => {
                outcome.try_set(Some(Outcome::Failed(e.describe())));
            }
        }
    });
    let default_locale = move || {
        list.with(|l| l.as_ref().map(|l| l.default_locale.clone()))
            .unwrap_or_default()
    };
    let submit = move |ev: SubmitEvent| {
        ev.prevent_default();
        let texts = SiteTexts {
            welcome: welcome.get_untracked(),
            away_message: away.get_untracked(),
            expected_wait: wait.get_untracked(),
            privacy_text: privacy.get_untracked(),
            csat_question: csat_question.get_untracked(),
            nps_question: nps_question.get_untracked(),
        }
        .trimmed();
        // The edge checks the same rules; saying so here names the field at once.
        if let Err(e) = texts.check() {
            outcome.set(Some(Outcome::Failed(e.message)));
            return;
        }
        let chosen = locale.get_untracked();
        busy.set(true);
        outcome.set(None);
        spawn_local(async move {
            let result = api::put_site_texts(&chosen, &texts).await;
            busy.try_set(false);
            outcome.try_set(Some(match result {
                Ok(saved) => {
                    list.try_update(|l| {
                        if let Some(entry) = l
                            .as_mut()
                            .and_then(|l| l.locales.iter_mut().find(|t| t.locale == saved.locale))
                        {
                            entry.texts = saved.texts.clone();
                        }
                    });
                    Outcome::Done(format!(
                        "Saved the {} texts. Visitors see them on their next page view.",
                        language_name(&saved.locale)
                    ))
                }
                Err(e) => Outcome::Failed(e.describe()),
            }));
        });
    };
    let field = move |id: &'static str,
                      label: &'static str,
                      value: RwSignal<String>,
                      rows: &'static str| {
        view! {
            <label for=id>{label}</label>
            <textarea
                id=id
                rows=rows
                aria-describedby="texts-hint"
                prop:value=move || value.get()
                on:input=move |ev| value.set(event_target_value(&ev))
            ></textarea>
        }
    };
    view! {
        <main class="admin" id=super::MAIN_ID tabindex="-1" aria-labelledby="texts-title">
            <h1 id="texts-title">"Site texts"</h1>
            <p class="muted" id="texts-hint">
                {move || {
                    format!(
                        "What visitors read in the widget, per language. A text left empty shows the default language's ({}).",
                        language_name(&default_locale()),
                    )
                }}
            </p>
            <form class="grid-form site-texts" on:submit=submit aria-labelledby="texts-title" novalidate>
                <label for="texts-locale">"Language"</label>
                <select
                    id="texts-locale"
                    on:change=move |ev| {
                        locale.set(event_target_value(&ev));
                        outcome.set(None);
                        fill();
                    }
                >
                    {LANGUAGES
                        .into_iter()
                        .map(|(tag, name)| {
                            view! {
                                <option value=tag selected=move || locale.get() == tag>
                                    {move || {
                                        if default_locale() == tag {
                                            format!("{name} (default)")
                                        } else {
                                            name.to_owned()
                                        }
                                    }}
                                </option>
                            }
                        })
                        .collect_view()}
                </select>
                {field("texts-welcome", "Welcome", welcome, "2")}
                {field("texts-away", "Away message (no agent online)", away, "2")}
                {field("texts-wait", "Expected wait", wait, "1")}
                {field("texts-privacy", "Privacy text (with the consent checkbox)", privacy, "3")}
                {field("texts-csat", "Rating question (CSAT, 1 to 5)", csat_question, "1")}
                {field("texts-nps", "Recommendation question (NPS, 0 to 10)", nps_question, "1")}
                {outcome_view(outcome)}
                <div class="row">
                    <button type="submit" class="primary" disabled=move || busy.get() || list.with(Option::is_none)>
                        "Save"
                    </button>
                </div>
            </form>
        </main>
    }
}
