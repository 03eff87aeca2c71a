//! One conversation's record (operators and admins), opened from a records row: each ticket's
//! figures, the visitor, the files exchanged and the whole history across tickets, with who
//! sent each message and where its status changed or it was transferred; a link to the
//! printable transcript. The rules are in [`crate::detail`]; the texts in [`crate::words`].

use leptos::prelude::*;
use leptos::task::spawn_local;
use porchlight_shared::records::detail::{DetailTicket, RecordDetail};

use super::records_view::{lasted, moment};
use super::Loaded;
use crate::actions::status_label;
use crate::detail::{self, Entry};
use crate::route::Route;
use crate::session::Session;
use crate::{browser, files, words};

/// The detail screen of conversation `id`.
pub fn record(session: Session, id: String) -> impl IntoView {
    let state = RwSignal::new(Loaded::<RecordDetail>::Loading);
    // Back to the search the record was opened from (all records when none was).
    let back = Route::Records(session.records_search.get_value()).hash();
    let wanted = id.clone();
    spawn_local(async move {
        if let Some(now) = Loaded::after(session.record_detail(wanted).await) {
            state.try_set(now);
        }
    });
    view! {
        <main class="admin record-detail" id=super::MAIN_ID tabindex="-1" aria-labelledby="detail-title">
            <p class="crumbs">
                <a href=back>{words::BACK_TO_RECORDS}</a>
            </p>
            {move || match state.get() {
                Loaded::Loading => {
                    view! {
                        <h1 id="detail-title">{words::CONVERSATION_WITH}" …"</h1>
                        <p class="muted" role="status">{words::LOADING}</p>
                    }
                        .into_any()
                }
                Loaded::Failed(text) => {
                    view! {
                        <h1 id="detail-title">{format!("{} {id}", words::CONVERSATION)}</h1>
                        <p class="error" role="alert">{text}</p>
                    }
                        .into_any()
                }
                Loaded::Ready(d) => ready(*d).into_any(),
            }}
        </main>
    }
}

fn ready(d: RecordDetail) -> impl IntoView {
    let title = format!("{} {}", words::CONVERSATION_WITH, detail::visitor_title(&d));
    let transcript = detail::transcript_path(
        &d.conversation_id,
        &browser::time_zone(),
        &browser::locale(),
    );
    let tickets = d
        .tickets
        .iter()
        .cloned()
        .map(|t| ticket_row(&d, t))
        .map(IntoAny::into_any)
        .collect::<Vec<AnyView>>();
    view! {
        <h1 id="detail-title">{title}</h1>
        <div class="row detail-actions">
            <a class="button" href=transcript target="_blank" rel="noopener" aria-describedby="transcript-hint">
                {words::PRINTABLE_TRANSCRIPT}
            </a>
            <a class="button secondary" href=Route::Conversation(d.conversation_id.clone()).hash()>
                {words::OPEN_IN_INBOX}
            </a>
            <span class="hint muted" id="transcript-hint">{words::TRANSCRIPT_HINT}</span>
        </div>
        <section aria-labelledby="detail-tickets">
            <h2 id="detail-tickets">{words::TICKETS_TITLE}</h2>
            <table class="detail-tickets">
                <thead>
                    <tr>
                        <th scope="col">{words::TICKET}</th>
                        <th scope="col">{words::STATUS}</th>
                        <th scope="col">{words::CREATED_AT}</th>
                        <th scope="col">{words::DURATION}</th>
                        <th scope="col">{words::INTERACTIONS}</th>
                        <th scope="col">{words::FIRST_RESPONSE}</th>
                        <th scope="col">{words::RESOLUTION}</th>
                        <th scope="col">{words::CSAT}</th>
                        <th scope="col">{words::NPS}</th>
                        <th scope="col">{words::AGENTS}</th>
                    </tr>
                </thead>
                <tbody>{tickets}</tbody>
            </table>
            <p class="hint muted">{words::RATING_TEXTS_NOT_KEPT}</p>
        </section>
        {visitor(&d)}
        {files_section(&d)}
        {history(&d)}
    }
}

fn ticket_row(d: &RecordDetail, t: DetailTicket) -> impl IntoView {
    let name = |id: &String| d.names.get(id).cloned().unwrap_or_else(|| id.clone());
    let agents = if t.agents.is_empty() {
        t.assignee
            .as_ref()
            .map(name)
            .unwrap_or_else(|| "—".to_owned())
    } else {
        t.agents.iter().map(name).collect::<Vec<_>>().join(", ")
    };
    let score = |s: Option<u8>, of: &str| s.map_or_else(|| "—".to_owned(), |s| format!("{s}{of}"));
    let status = t.status.map(
        |s| view! { <span class=format!("badge status-{}", s.as_str())>{status_label(s)}</span> },
    );
    view! {
        <tr data-ticket=t.number>
            <th scope="row">{t.number}</th>
            <td>{status}</td>
            <td>{moment(t.created_at)}</td>
            <td>{lasted(Some(t.duration_ms))}</td>
            <td>{t.interactions}</td>
            <td>{lasted(t.first_response_ms)}</td>
            <td>{lasted(t.resolution_ms)}</td>
            <td>{score(t.csat, "/5")}</td>
            <td>{score(t.nps, "")}</td>
            <td>{agents}</td>
        </tr>
    }
}

fn visitor(d: &RecordDetail) -> impl IntoView {
    let v = &d.visitor;
    let id = v.external_id.as_ref().map(|id| {
        if v.verified {
            format!("{id} {}", words::VERIFIED)
        } else {
            id.clone()
        }
    });
    let fields = [
        (words::NAME, v.name.clone()),
        (words::EMAIL, v.email.clone()),
        (words::PHONE, v.phone.clone()),
        (words::EXTERNAL_ID, id),
        (words::LANGUAGE, v.locale.clone()),
        (words::PAGE, v.page_url.clone()),
    ]
    .into_iter()
    .map(|(label, value)| {
        let value = value.unwrap_or_else(|| words::NOT_KNOWN.to_owned());
        view! {
            <dt>{label}</dt>
            <dd>{value}</dd>
        }
    })
    .map(IntoAny::into_any)
    .collect::<Vec<AnyView>>();
    let attributes = (!v.attributes.is_empty()).then(|| {
        let list = v
            .attributes
            .iter()
            .map(|(k, val)| view! { <li><span class="muted">{k.clone()}": "</span>{val.clone()}</li> })
            .map(IntoAny::into_any)
        .collect::<Vec<AnyView>>();
        view! {
            <dt>{words::ATTRIBUTES}</dt>
            <dd><ul class="plain">{list}</ul></dd>
        }
    });
    view! {
        <section aria-labelledby="detail-visitor">
            <h2 id="detail-visitor">{words::VISITOR_TITLE}</h2>
            <dl class="facts">{fields}{attributes}</dl>
        </section>
    }
}

fn files_section(d: &RecordDetail) -> impl IntoView {
    let list = detail::files(d);
    let counted: u32 = d.tickets.iter().map(|t| t.files).sum();
    let body = if list.is_empty() {
        let text = if d.items.is_empty() && counted > 0 {
            words::files_not_available(counted)
        } else {
            words::NO_FILES.to_owned()
        };
        view! { <p class="muted">{text}</p> }.into_any()
    } else {
        let items = list
            .into_iter()
            .map(|f| {
                let href = files::url(&d.conversation_id, &f.file);
                let details = format!(
                    " · {} · {} · {} · ",
                    files::kind(&f.file),
                    files::size_text(f.file.size),
                    f.sender
                );
                view! {
                    <li>
                        <a href=href target="_blank" rel="noopener">{files::name(&f.file)}</a>
                        <span class="muted">{details}{moment(f.at)}</span>
                    </li>
                }
            })
            .map(IntoAny::into_any)
            .collect::<Vec<AnyView>>();
        view! { <ul class="detail-files">{items}</ul> }.into_any()
    };
    view! {
        <section aria-labelledby="detail-files">
            <h2 id="detail-files">{words::FILES_TITLE}</h2>
            {body}
        </section>
    }
}

fn history(d: &RecordDetail) -> impl IntoView {
    let entries = detail::entries(d);
    let conversation = d.conversation_id.clone();
    let body = if entries.is_empty() {
        view! { <p class="muted">{words::NO_HISTORY}</p> }.into_any()
    } else {
        let lines = entries
            .into_iter()
            .map(|e| entry(&conversation, e))
            .map(IntoAny::into_any)
            .collect::<Vec<AnyView>>();
        view! { <ol class="detail-history">{lines}</ol> }.into_any()
    };
    view! {
        <section aria-labelledby="detail-history">
            <h2 id="detail-history">{words::HISTORY_TITLE}</h2>
            {body}
        </section>
    }
}

fn entry(conversation: &str, e: Entry) -> impl IntoView {
    match e {
        Entry::Ticket { number, heading } => view! {
            <li class="ticket-start" data-ticket=number>
                <h3>{heading}</h3>
            </li>
        }
        .into_any(),
        Entry::Event { seq, at, text } => view! {
            <li class="history-event" data-seq=seq>
                {text}
                " · "
                {moment(at)}
            </li>
        }
        .into_any(),
        Entry::Message {
            seq,
            at,
            sender,
            note,
            text,
            files: attached,
        } => {
            let class = match (note, sender.visitor) {
                (true, _) => "history-message note",
                (false, true) => "history-message from-visitor",
                (false, false) => "history-message",
            };
            let attached = (!attached.is_empty()).then(|| {
                let links = attached
                    .into_iter()
                    .map(|a| {
                        let href = files::url(conversation, &a);
                        view! { <li><a href=href target="_blank" rel="noopener">{files::name(&a)}</a></li> }
                    })
                    .map(IntoAny::into_any)
        .collect::<Vec<AnyView>>();
                view! { <ul class="plain">{links}</ul> }
            });
            view! {
                <li class=class data-seq=seq>
                    <p class="meta">
                        <strong class="sender">{sender.name}</strong>
                        {sender.tag.map(|t| view! { " " <span class="badge">{t}</span> })}
                        {note.then(|| view! { " " <span class="badge note-tag">{words::INTERNAL_NOTE}</span> })}
                        " · "
                        {moment(at)}
                    </p>
                    {(!text.is_empty()).then(|| view! { <p class="pre">{text}</p> })}
                    {attached}
                </li>
            }
            .into_any()
        }
    }
}
