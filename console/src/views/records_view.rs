//! The records screen (operators and admins): the search form, whose filters live in the URL
//! fragment so that a search can be bookmarked and shared, the results newest first with their
//! count and a "Load more" that follows the keyset cursor, and the CSV export of the same search.
//! The rules (fragment, addresses, what a row shows, the form's values) are in
//! [`crate::records`]; the edge checks the role on every records endpoint anyway.

use leptos::ev::SubmitEvent;
use leptos::prelude::*;
use leptos::task::spawn_local;
use porchlight_shared::records::query::{Cursor, RecordQuery};
use porchlight_shared::records::row::{RecordPage, RecordRow};
use porchlight_shared::Status;

use crate::actions::status_label;
use crate::browser;
use crate::records::{self, ExportChoice, Fields, NPS_BANDS};
use crate::route::Route;
use crate::session::Session;

/// What the results area shows.
#[derive(Debug, Clone, PartialEq)]
enum Results {
    /// A search is on its way.
    Loading,
    /// It failed (or the address was not a search): a sentence.
    Failed(String),
    /// The rows so far, where the next page starts, and the total.
    Ready(RecordPage),
}

/// The id of the first results row's link on page `n` of what is shown (where the focus goes
/// after "Load more").
fn row_link_id(index: usize) -> String {
    format!("record-{index}")
}

/// The records screen.
pub fn records(session: Session) -> impl IntoView {
    // Agents' names for the rows and the agent filter: the whole team, not only who is online.
    session.refresh_team();
    let search = Memo::new(move |_| match session.route.get() {
        Route::Records(query) => Some(records::parse_search(&query)),
        _ => None,
    });
    let fields = RwSignal::new(Fields::default());
    let form_error = RwSignal::new(None::<String>);
    let results = RwSignal::new(Results::Loading);
    let more_busy = RwSignal::new(false);
    let reload = RwSignal::new(0_u32);
    let generation = StoredValue::new(0_u32);
    let export = RwSignal::new(ExportChoice::default());

    // A new search in the address (typed, bookmarked, back button, or this form): the form shows
    // it and its first page is asked for. An older answer arriving late is dropped.
    Effect::new(move |_| {
        reload.track();
        let Some(found) = search.get() else {
            return;
        };
        generation.update_value(|g| *g = g.wrapping_add(1));
        let mine = generation.get_value();
        more_busy.set(false);
        let q = match found {
            Ok(q) => q,
            Err(text) => {
                results.set(Results::Failed(text));
                return;
            }
        };
        session.records_search.set_value(records::search_query(&q));
        fields.set(Fields::from_query(&q, browser::local_input));
        form_error.set(None);
        results.set(Results::Loading);
        spawn_local(async move {
            let answer = session.records(q).await;
            if generation.try_get_value() != Some(mine) {
                return;
            }
            match answer {
                Ok(page) => drop(results.try_set(Results::Ready(page))),
                Err(Some(text)) => drop(results.try_set(Results::Failed(text))),
                // The session ended: the sign-in shows.
                Err(None) => {}
            }
        });
    });

    let current = move || {
        search
            .get_untracked()
            .and_then(Result::ok)
            .unwrap_or_default()
    };
    let go =
        move |wanted: Fields| match wanted.to_query(current().limit, browser::parse_local_input) {
            Ok(q) => {
                form_error.set(None);
                let route = Route::Records(records::search_query(&q));
                if session.route.with_untracked(|r| *r == route) {
                    reload.update(|n| *n = n.wrapping_add(1));
                } else {
                    session.go(&route);
                }
            }
            Err(text) => form_error.set(Some(text)),
        };
    let submit = move |ev: SubmitEvent| {
        ev.prevent_default();
        go(fields.get_untracked());
    };
    let preset = move |days_back: Option<u32>| {
        let mut wanted = fields.get_untracked();
        wanted.from = days_back
            .map(|d| browser::local_input(browser::start_of_day(browser::now(), d)))
            .unwrap_or_default();
        wanted.to = String::new();
        go(wanted);
    };

    let load_more = move |_| {
        let Results::Ready(page) = results.get_untracked() else {
            return;
        };
        let Some(after) = page.next.as_deref().and_then(Cursor::parse) else {
            return;
        };
        let q = RecordQuery {
            after: Some(after),
            ..current()
        };
        let mine = generation.get_value();
        let first_new = page.rows.len();
        more_busy.set(true);
        spawn_local(async move {
            let answer = session.records(q).await;
            if generation.try_get_value() != Some(mine) {
                return;
            }
            more_busy.try_set(false);
            match answer {
                Ok(more) => {
                    results.try_update(|r| {
                        if let Results::Ready(page) = r {
                            page.rows.extend(more.rows);
                            page.next = more.next;
                            page.total = more.total;
                        }
                    });
                    // The focus goes to the first row that came in, not back to the page.
                    browser::after_render(move || {
                        browser::focus(&row_link_id(first_new));
                    });
                }
                Err(Some(text)) => drop(results.try_set(Results::Failed(text))),
                Err(None) => {}
            }
        });
    };

    // The export is offered only for a search the address names correctly (never "everything"
    // in place of a search that could not be read).
    let valid = move || search.with(|s| matches!(s, Some(Ok(_))));
    let export_href = move || {
        let q = search.get().and_then(Result::ok).unwrap_or_default();
        records::export_path(&q, export.get())
    };
    let zone = browser::time_zone();
    let zone_hint = if zone.is_empty() {
        "Dates and times are in your time zone.".to_owned()
    } else {
        format!("Dates and times are in your time zone ({zone}).")
    };

    view! {
        <main class="admin records" id=super::MAIN_ID tabindex="-1" aria-labelledby="records-title">
            <h1 id="records-title">"Records"</h1>
            <form class="filters" role="search" aria-label="Search the records" on:submit=submit novalidate>
                <div class="filters-top">
                    <div class="field wide">
                        <label for="records-q">"Search"</label>
                        <input
                            id="records-q"
                            type="search"
                            name="q"
                            autocomplete="off"
                            aria-describedby="records-q-hint"
                            prop:value=move || fields.with(|f| f.text.clone())
                            on:input=move |ev| fields.update(|f| f.text = event_target_value(&ev))
                        />
                        <p class="hint muted" id="records-q-hint">
                            "Visitor name, email, phone or external id, or words said in the conversation."
                        </p>
                    </div>
                    <fieldset class="period">
                        <legend>"Period"</legend>
                        <div class="row">
                            <span class="field">
                                <label for="records-from">"From"</label>
                                <input
                                    id="records-from"
                                    type="datetime-local"
                                    name="from"
                                    aria-describedby="records-zone"
                                    prop:value=move || fields.with(|f| f.from.clone())
                                    on:input=move |ev| fields.update(|f| f.from = event_target_value(&ev))
                                />
                            </span>
                            <span class="field">
                                <label for="records-to">"To"</label>
                                <input
                                    id="records-to"
                                    type="datetime-local"
                                    name="to"
                                    aria-describedby="records-zone"
                                    prop:value=move || fields.with(|f| f.to.clone())
                                    on:input=move |ev| fields.update(|f| f.to = event_target_value(&ev))
                                />
                            </span>
                        </div>
                        <div class="row presets">
                            <button type="button" class="secondary" on:click=move |_| preset(Some(0))>
                                "Today"
                            </button>
                            <button type="button" class="secondary" on:click=move |_| preset(Some(6))>
                                "Last 7 days"
                            </button>
                            <button type="button" class="secondary" on:click=move |_| preset(Some(29))>
                                "Last 30 days"
                            </button>
                            <button type="button" class="secondary" on:click=move |_| preset(None)>
                                "Any time"
                            </button>
                        </div>
                        <p class="hint muted" id="records-zone">{zone_hint}</p>
                    </fieldset>
                </div>
                <div class="selects">
                    {choice(
                        fields,
                        "records-env",
                        "Traffic",
                        |f| &f.env,
                        |f| &mut f.env,
                        vec![("production", "Production".to_owned()), ("test", "Test".to_owned())],
                    )}
                    {choice(
                        fields,
                        "records-status",
                        "Status",
                        |f| &f.status,
                        |f| &mut f.status,
                        std::iter::once(("", "Any status".to_owned()))
                            .chain(Status::ALL.into_iter().map(|s| (s.as_str(), status_label(s).to_owned())))
                            .collect(),
                    )}
                    {choice(
                        fields,
                        "records-channel",
                        "Channel",
                        |f| &f.channel,
                        |f| &mut f.channel,
                        vec![
                            ("", "Any channel".to_owned()),
                            ("widget", "Chat widget".to_owned()),
                            ("api", "API".to_owned()),
                        ],
                    )}
                    {agent_choice(session, fields)}
                    {choice(
                        fields,
                        "records-csat",
                        "CSAT",
                        |f| &f.csat,
                        |f| &mut f.csat,
                        vec![
                            ("", "Any CSAT".to_owned()),
                            ("5", "5 of 5".to_owned()),
                            ("4", "4 of 5".to_owned()),
                            ("3", "3 of 5".to_owned()),
                            ("2", "2 of 5".to_owned()),
                            ("1", "1 of 5".to_owned()),
                        ],
                    )}
                    {choice(
                        fields,
                        "records-nps",
                        "NPS",
                        |f| &f.nps,
                        |f| &mut f.nps,
                        std::iter::once(("", "Any NPS".to_owned()))
                            .chain(NPS_BANDS.into_iter().map(|b| (b.as_str(), records::nps_band_label(b).to_owned())))
                            .collect(),
                    )}
                    {choice(
                        fields,
                        "records-files",
                        "Files",
                        |f| &f.files,
                        |f| &mut f.files,
                        vec![
                            ("", "With or without files".to_owned()),
                            ("yes", "With files".to_owned()),
                            ("no", "Without files".to_owned()),
                        ],
                    )}
                    {flow_choice(fields)}
                </div>
                {move || form_error.get().map(|e| view! { <p class="error" role="alert">{e}</p> })}
                <div class="row">
                    <button type="submit" class="primary">"Search"</button>
                    <a class="button secondary" href=records::RECORDS_HASH>"Clear filters"</a>
                </div>
            </form>
            <section class="results" aria-labelledby="records-results-title">
                <h2 id="records-results-title">"Conversations"</h2>
                <div class="row export" role="group" aria-label="Export" hidden=move || !valid()>
                    <a class="button" href=export_href download="porchlight-records.csv">
                        "Export CSV"
                    </a>
                    <label>
                        <input
                            type="checkbox"
                            name="bom"
                            prop:checked=move || export.get().bom
                            on:change=move |ev| export.update(|e| e.bom = event_target_checked(&ev))
                        />
                        " BOM for spreadsheets"
                    </label>
                    <label>
                        <input
                            type="checkbox"
                            name="mask"
                            prop:checked=move || export.get().mask
                            on:change=move |ev| export.update(|e| e.mask = event_target_checked(&ev))
                        />
                        " Mask emails and phones"
                    </label>
                </div>
                {move || results_view(session, results, more_busy, load_more)}
            </section>
        </main>
    }
}

/// A labelled select over one of the form's fields.
fn choice(
    fields: RwSignal<Fields>,
    id: &'static str,
    label: &'static str,
    get: fn(&Fields) -> &String,
    set: fn(&mut Fields) -> &mut String,
    options: Vec<(&'static str, String)>,
) -> impl IntoView {
    let options = options
        .into_iter()
        .map(|(value, text)| {
            view! {
                <option value=value selected=move || fields.with(|f| get(f) == value)>
                    {text}
                </option>
            }
        })
        .collect_view();
    view! {
        <span class="field">
            <label for=id>{label}</label>
            <select id=id on:change=move |ev| fields.update(|f| *set(f) = event_target_value(&ev))>
                {options}
            </select>
        </span>
    }
}

/// The agent filter: the team, by name.
fn agent_choice(session: Session, fields: RwSignal<Fields>) -> impl IntoView {
    let members = Memo::new(move |_| {
        let mut team: Vec<(String, String)> = session.inbox.with(|i| {
            i.team()
                .iter()
                .map(|m| (m.agent.id.clone(), m.agent.name.clone()))
                .collect()
        });
        team.sort_by(|a, b| a.1.cmp(&b.1));
        // An agent named by the address but not in the team (gone since) stays choosable.
        let wanted = fields.with(|f| f.agent.clone());
        if !wanted.is_empty() && !team.iter().any(|(id, _)| *id == wanted) {
            team.push((wanted.clone(), wanted));
        }
        team
    });
    view! {
        <span class="field">
            <label for="records-agent">"Agent"</label>
            <select
                id="records-agent"
                on:change=move |ev| fields.update(|f| f.agent = event_target_value(&ev))
            >
                <option value="" selected=move || fields.with(|f| f.agent.is_empty())>
                    "Any agent"
                </option>
                <For
                    each=move || members.get()
                    key=|m| m.clone()
                    children=move |(id, name)| {
                        let value = id.clone();
                        view! {
                            <option value=id selected=move || fields.with(|f| f.agent == value)>
                                {name}
                            </option>
                        }
                    }
                />
            </select>
        </span>
    }
}

/// The flow filter: no flows exist yet, so it offers "Any flow" (and a flow the address names).
fn flow_choice(fields: RwSignal<Fields>) -> impl IntoView {
    let named = move || {
        let flow = fields.with(|f| f.flow.clone());
        (!flow.is_empty()).then(|| {
            view! {
                <option value=flow.clone() selected=true>
                    {flow.clone()}
                </option>
            }
        })
    };
    view! {
        <span class="field">
            <label for="records-flow">"Flow"</label>
            <select
                id="records-flow"
                on:change=move |ev| fields.update(|f| f.flow = event_target_value(&ev))
            >
                <option value="" selected=move || fields.with(|f| f.flow.is_empty())>
                    "Any flow"
                </option>
                {named}
            </select>
        </span>
    }
}

fn results_view(
    session: Session,
    results: RwSignal<Results>,
    more_busy: RwSignal<bool>,
    load_more: impl Fn(leptos::ev::MouseEvent) + Copy + 'static,
) -> impl IntoView {
    match results.get() {
        Results::Loading => view! { <p class="muted" role="status">"Searching…"</p> }.into_any(),
        Results::Failed(text) => view! { <p class="error" role="alert">{text}</p> }.into_any(),
        Results::Ready(page) => {
            let found = records::found(page.total, &browser::number(page.total));
            let shown = (page.total > 0).then(|| {
                format!(
                    " Showing {} of {}.",
                    browser::number(page.rows.len() as u64),
                    browser::number(page.total)
                )
            });
            let more = page.next.is_some();
            let rows = page
                .rows
                .into_iter()
                .enumerate()
                .map(|(i, row)| record_row(session, i, row))
                .collect_view();
            view! {
                <p class="found" role="status">
                    <strong>{found}</strong>
                    {shown}
                </p>
                <table class="records-table">
                    <caption class="visually-hidden">"Conversations, newest first"</caption>
                    <thead>
                        <tr>
                            <th scope="col">"Visitor"</th>
                            <th scope="col">"First line"</th>
                            <th scope="col">"Agent"</th>
                            <th scope="col">"Status"</th>
                            <th scope="col">"Created"</th>
                            <th scope="col">"First response after"</th>
                            <th scope="col">"Resolved after"</th>
                            <th scope="col">"Ratings"</th>
                        </tr>
                    </thead>
                    <tbody>{rows}</tbody>
                </table>
                {more
                    .then(|| {
                        view! {
                            <button
                                type="button"
                                class="secondary more"
                                disabled=move || more_busy.get()
                                on:click=load_more
                            >
                                {move || if more_busy.get() { "Loading…" } else { "Load more" }}
                            </button>
                        }
                    })}
            }
            .into_any()
        }
    }
}

/// A moment in a cell: the viewer's language and time zone, with the machine-readable time.
pub(super) fn moment(at: i64) -> impl IntoView {
    view! { <time datetime=browser::iso(at)>{browser::full_date(at)}</time> }
}

/// A duration in a cell, with the machine-readable one; a dash when there is none yet.
pub(super) fn lasted(ms: Option<i64>) -> impl IntoView {
    match ms {
        Some(ms) => {
            view! { <time datetime=records::iso_duration(ms)>{records::duration(ms)}</time> }
                .into_any()
        }
        None => view! { <span class="muted">"—"</span> }.into_any(),
    }
}

fn record_row(session: Session, index: usize, row: RecordRow) -> impl IntoView {
    let visitor = records::visitor(&row);
    let mut details = records::visitor_details(&row);
    if row.ticket > 1 {
        details = [details, format!("Ticket {}", row.ticket)]
            .into_iter()
            .filter(|d| !d.is_empty())
            .collect::<Vec<_>>()
            .join(" · ");
    }
    // By name once the team is known (it may arrive after the rows).
    let assignee = row.assignee.clone();
    let agent = move || match &assignee {
        Some(id) => session
            .inbox
            .with(|i| i.member(id).map(|m| m.agent.name.clone()))
            .unwrap_or_else(|| id.clone()),
        None => "—".to_owned(),
    };
    let status = row.status.map(
        |s| view! { <span class=format!("badge status-{}", s.as_str())>{status_label(s)}</span> },
    );
    let (first_response, resolution) = (row.first_response_ms(), row.resolution_ms());
    let ratings = records::ratings(&row);
    view! {
        <tr data-conversation=row.conversation_id.clone() data-ticket=row.ticket>
            <th scope="row">
                <a id=row_link_id(index) href=Route::Record(row.conversation_id.clone()).hash()>
                    {visitor}
                </a>
                {(!details.is_empty()).then(|| view! { <span class="visitor-details muted">{details}</span> })}
            </th>
            <td class="first-line">{row.first_line.clone()}</td>
            <td>{agent}</td>
            <td>{status}</td>
            <td>{moment(row.created_at)}</td>
            <td>{lasted(first_response)}</td>
            <td>{lasted(resolution)}</td>
            <td class="ratings">{ratings}</td>
        </tr>
    }
}
