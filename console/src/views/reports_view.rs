//! The reports screen (operators and admins): a period (presets or start and end, in the
//! viewer's time zone) and production or test traffic, kept in the URL fragment; the headline
//! figures; then each chart, drawn here as SVG bars, with its numbers as a table beside it and a
//! CSV download of that table. The edge computes the report from the rows the records list reads
//! for the same filters; the layout rules are in [`crate::reports`], the texts in
//! [`crate::words`].

use leptos::ev::SubmitEvent;
use leptos::prelude::*;
use leptos::task::spawn_local;
use porchlight_shared::records::query::{Environment, RecordQuery};
use porchlight_shared::records::report::Report;

use super::Loaded;
use crate::reports::{self, Preset, Table, CHART_HEIGHT, CHART_WIDTH};

/// Room left and right of a chart for the halves of its edge labels ("Wed, Oct 29").
const LABEL_MARGIN: f64 = 36.0;
use crate::route::Route;
use crate::session::Session;
use crate::{browser, words};

/// The viewer's midnight `n` days from today.
fn day_start(n: i32) -> i64 {
    browser::day_start(browser::now(), n)
}

/// The reports screen.
pub fn reports(session: Session) -> impl IntoView {
    // Agents' names for the volume by agent.
    session.refresh_team();
    let search = Memo::new(move |_| match session.route.get() {
        Route::Reports(query) => Some(reports::parse(&query, day_start)),
        _ => None,
    });
    let from = RwSignal::new(String::new());
    let to = RwSignal::new(String::new());
    let env = RwSignal::new(String::from("production"));
    let form_error = RwSignal::new(None::<String>);
    let state = RwSignal::new(Loaded::<Report>::Loading);
    let generation = StoredValue::new(0_u32);
    let zone = browser::time_zone();

    let fetch_zone = zone.clone();
    Effect::new(move |_| {
        let Some(found) = search.get() else {
            return;
        };
        generation.update_value(|g| *g = g.wrapping_add(1));
        let mine = generation.get_value();
        let q = match found {
            Ok(q) => q,
            Err(text) => {
                state.set(Loaded::Failed(text));
                return;
            }
        };
        from.set(q.from.map(browser::local_input).unwrap_or_default());
        to.set(q.to.map(browser::local_input).unwrap_or_default());
        env.set(q.environment.as_str().to_owned());
        form_error.set(None);
        state.set(Loaded::Loading);
        let zone = fetch_zone.clone();
        spawn_local(async move {
            let answer = session.report(q, zone).await;
            if generation.try_get_value() != Some(mine) {
                return;
            }
            if let Some(now) = Loaded::after(answer) {
                state.try_set(now);
            }
        });
    });

    let current = move || {
        search
            .get_untracked()
            .and_then(Result::ok)
            .unwrap_or_default()
    };
    let environment = move || {
        if env.get_untracked() == "test" {
            Environment::Test
        } else {
            Environment::Production
        }
    };
    let go = move |q: RecordQuery| session.go(&Route::Reports(crate::records::search_query(&q)));
    let submit = move |ev: SubmitEvent| {
        ev.prevent_default();
        let moment = |v: String| browser::parse_local_input(v.trim());
        match (moment(from.get_untracked()), moment(to.get_untracked())) {
            (Some(start), Some(end)) if start < end => {
                form_error.set(None);
                go(RecordQuery {
                    from: Some(start),
                    to: Some(end),
                    ..reports::with_environment(&current(), environment())
                });
            }
            (Some(_), Some(_)) => form_error.set(Some(words::PERIOD_BACKWARDS.to_owned())),
            _ => form_error.set(Some(words::PERIOD_MISSING.to_owned())),
        }
    };
    let preset = move |p: Preset| {
        let (start, end) = p.period(day_start);
        go(RecordQuery {
            from: Some(start),
            to: Some(end),
            ..reports::with_environment(&current(), environment())
        });
    };
    let records_href = move || {
        search
            .get()
            .and_then(Result::ok)
            .map(|q| reports::records_hash(&q))
            .unwrap_or_else(|| crate::records::RECORDS_HASH.to_owned())
    };
    let presets = Preset::ALL
        .into_iter()
        .map(|p| {
            view! {
                <button type="button" class="secondary" on:click=move |_| preset(p)>
                    {p.label()}
                </button>
            }
        })
        .map(IntoAny::into_any)
        .collect::<Vec<AnyView>>();

    view! {
        <main class="admin reports" id=super::MAIN_ID tabindex="-1" aria-labelledby="reports-title">
            <h1 id="reports-title">{words::REPORTS_TITLE}</h1>
            <form class="filters" aria-label=words::PERIOD on:submit=submit novalidate>
                <div class="filters-top">
                    <fieldset class="period">
                        <legend>{words::PERIOD}</legend>
                        <div class="row">
                            {moment_input("reports-from", words::FROM, from)}
                            {moment_input("reports-to", words::TO, to)}
                        </div>
                        <div class="row presets">{presets}</div>
                        <p class="hint muted" id="reports-zone">{words::zone_hint(&zone)}</p>
                    </fieldset>
                    <span class="field">
                        <label for="reports-env">{words::TRAFFIC}</label>
                        <select id="reports-env" on:change=move |ev| env.set(event_target_value(&ev))>
                            <option value="production" selected=move || env.get() != "test">
                                {words::PRODUCTION}
                            </option>
                            <option value="test" selected=move || env.get() == "test">
                                {words::TEST}
                            </option>
                        </select>
                    </span>
                </div>
                {move || form_error.get().map(|e| view! { <p class="error" role="alert">{e}</p> })}
                <div class="row">
                    <button type="submit" class="primary">{words::SHOW}</button>
                    <a class="button secondary" href=records_href>{words::SEE_IN_RECORDS}</a>
                </div>
            </form>
            {move || match state.get() {
                Loaded::Loading => {
                    view! { <p class="muted" role="status">{words::LOADING}</p> }.into_any()
                }
                Loaded::Failed(text) => view! { <p class="error" role="alert">{text}</p> }.into_any(),
                Loaded::Ready(r) => report_view(session, *r).into_any(),
            }}
        </main>
    }
}

/// A labelled `datetime-local` input over `value`.
fn moment_input(id: &'static str, label: &'static str, value: RwSignal<String>) -> impl IntoView {
    view! {
        <span class="field">
            <label for=id>{label}</label>
            <input
                id=id
                type="datetime-local"
                aria-describedby="reports-zone"
                prop:value=move || value.get()
                on:input=move |ev| value.set(event_target_value(&ev))
            />
        </span>
    }
}

fn report_view(session: Session, r: Report) -> impl IntoView {
    let number = |n: i64| browser::number(n.max(0) as u64);
    let headline = [
        (words::TICKETS_CREATED, number(i64::from(r.tickets))),
        (
            words::TICKETS_SOLVED,
            number(i64::from(reports::solved(&r))),
        ),
        (
            words::FIRST_RESPONSE,
            reports::spread_text(&r.first_response),
        ),
        (words::RESOLUTION, reports::spread_text(&r.resolution)),
        (
            words::CSAT_AVERAGE,
            format!(
                "{} · {}",
                reports::csat_average(&r),
                words::answers(&number(i64::from(r.csat.answers())))
            ),
        ),
        (
            words::NPS_SCORE,
            format!(
                "{} · {}",
                reports::nps_score(&r),
                words::answers(&number(i64::from(r.nps.answers())))
            ),
        ),
    ]
    .into_iter()
    .map(|(label, value)| {
        view! {
            <div class="figure">
                <dt>{label}</dt>
                <dd>{value}</dd>
            </div>
        }
    })
    .map(IntoAny::into_any)
    .collect::<Vec<AnyView>>();
    let agent = move |id: &str| {
        session
            .inbox
            .with_untracked(|i| i.member(id).map(|m| m.agent.name.clone()))
            .unwrap_or_else(|| id.to_owned())
    };
    let charts = reports::tables(&r, agent, browser::day_label)
        .into_iter()
        .map(chart)
        .map(IntoAny::into_any)
        .collect::<Vec<AnyView>>();
    view! {
        <section aria-labelledby="reports-summary">
            <h2 id="reports-summary">{words::SUMMARY}</h2>
            <dl class="figures">{headline}</dl>
        </section>
        {charts}
    }
}

fn chart(table: Table) -> impl IntoView {
    let title_id = format!("chart-{}", table.id);
    let labelled_by = title_id.clone();
    let number = |n: i64| browser::number(n.max(0) as u64);
    let lines = table.lines.len();
    let slot = CHART_WIDTH / lines.max(1) as f64;
    let bars = reports::bars(&table)
        .into_iter()
        .map(|b| {
            view! {
                <rect
                    class=format!("bar series-{}", b.series)
                    x=format!("{:.1}", b.x)
                    y=format!("{:.1}", b.y)
                    width=format!("{:.1}", b.width)
                    height=format!("{:.1}", b.height)
                ></rect>
            }
        })
        .map(IntoAny::into_any)
        .collect::<Vec<AnyView>>();
    let labels = table
        .lines
        .iter()
        .enumerate()
        .filter(|(i, _)| reports::labelled(lines, *i))
        .map(|(i, line)| {
            view! {
                <text x=format!("{:.1}", (i as f64 + 0.5) * slot) y=format!("{:.0}", CHART_HEIGHT + 16.0) text-anchor="middle">
                    {line.label.clone()}
                </text>
            }
        })
        .map(IntoAny::into_any)
        .collect::<Vec<AnyView>>();
    let legend = (table.drawn() > 1).then(|| {
        table
            .columns
            .iter()
            .take(table.drawn())
            .enumerate()
            .map(|(i, (name, _))| {
                view! {
                    <span class="legend-item">
                        <span class=format!("swatch series-{i}") aria-hidden="true"></span>
                        {*name}
                    </span>
                }
            })
            .map(IntoAny::into_any)
            .collect::<Vec<AnyView>>()
    });
    let head = table
        .columns
        .iter()
        .map(|(name, _)| view! { <th scope="col">{*name}</th> })
        .map(IntoAny::into_any)
        .collect::<Vec<AnyView>>();
    let rows = table
        .lines
        .iter()
        .map(|line| {
            let cells = line
                .values
                .iter()
                .enumerate()
                .map(|(i, v)| view! { <td>{table.cell(i, *v, &number)}</td> })
                .map(IntoAny::into_any)
                .collect::<Vec<AnyView>>();
            view! {
                <tr>
                    <th scope="row">{line.label.clone()}</th>
                    {cells}
                </tr>
            }
        })
        .map(IntoAny::into_any)
        .collect::<Vec<AnyView>>();
    let csv = reports::csv_href(&table.csv());
    let file = format!("porchlight-{}.csv", table.id);
    // The labels under the first and last bars are wider than their bars: the drawing has a
    // margin on each side (its viewBox starts left of 0) as wide as half the widest label.
    let picture = format!(
        "{} (chart; its numbers are in the table beside it)",
        table.title
    );
    view! {
        <section class="chart" aria-labelledby=labelled_by data-chart=table.id>
            <h2 id=title_id>{table.title}</h2>
            <div class="chart-pair">
                <figure>
                    <svg
                        viewBox=format!("-{LABEL_MARGIN:.0} 0 {:.0} {:.0}", CHART_WIDTH + 2.0 * LABEL_MARGIN, CHART_HEIGHT + 24.0)
                        role="img"
                        aria-label=picture
                    >
                        <line class="axis" x1="0" x2=format!("{CHART_WIDTH:.0}") y1=format!("{CHART_HEIGHT:.0}") y2=format!("{CHART_HEIGHT:.0}")></line>
                        {bars}
                        {labels}
                    </svg>
                    {legend.map(|l| view! { <figcaption class="legend">{l}</figcaption> })}
                </figure>
                <div class="chart-table">
                    <table>
                        <caption class="visually-hidden">{table.title}</caption>
                        <thead>
                            <tr>
                                <th scope="col">{table.label}</th>
                                {head}
                            </tr>
                        </thead>
                        <tbody>{rows}</tbody>
                    </table>
                    <a class="button secondary csv" href=csv download=file>
                        {words::DOWNLOAD_CSV}
                        <span class="visually-hidden">{format!(": {}", table.title)}</span>
                    </a>
                </div>
            </div>
        </section>
    }
}
