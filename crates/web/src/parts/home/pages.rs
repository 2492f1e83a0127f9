//! The dashboard (`/dashboard`, one page per role) and the help pages.

use askama::Template;
use axum::Router;
use axum::extract::{Path, State};
use axum::http::HeaderMap;
use axum::response::Response;
use axum::routing::get;
use report::nl;

use app::dashboard::{
    Dashboard, ManagerDashboard, OrgDashboard, PlannerDashboard, ProgrammeDashboard,
    RegionDashboard,
};

use crate::auth::{Auth, MaybeAuth};
use crate::page::{Layout, render};
use crate::{AppState, PageError};

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/dashboard", get(dashboard))
        .route("/hulp", get(help_index))
        .route("/hulp/{deel}", get(help_part))
}

/// A label and a formatted figure.
pub struct Figure {
    pub label: &'static str,
    pub value: String,
}

#[derive(Template)]
#[template(path = "home/programme.html")]
struct ProgrammePage {
    l: Layout,
    d: ProgrammeDashboard,
}

#[derive(Template)]
#[template(path = "home/first_run.html")]
struct FirstRunPage {
    l: Layout,
    region: String,
    steps: &'static [String],
}

#[derive(Template)]
#[template(path = "home/organisation.html")]
struct OrganisationPage {
    l: Layout,
    d: OrgDashboard,
    period: String,
    figures: Vec<Figure>,
}

#[derive(Template)]
#[template(path = "home/manager.html")]
struct ManagerPage {
    l: Layout,
    d: ManagerDashboard,
}

#[derive(Template)]
#[template(path = "home/planner.html")]
struct PlannerPage {
    l: Layout,
    d: PlannerDashboard,
}

#[derive(Template)]
#[template(path = "home/region.html")]
struct RegionPage {
    l: Layout,
    d: RegionDashboard,
}

/// A number with one decimal, the Dutch way (for templates, which pass by reference).
pub fn number1(x: &f64) -> String {
    nl::number(*x, 1)
}

fn own_figures(f: &region::OwnFigures) -> Vec<Figure> {
    let mut out = vec![Figure {
        label: "Medewerkers in het HR-bestand",
        value: nl::integer(f.employees as i64),
    }];
    if let Some(h) = f.average_contract_hours {
        out.push(Figure {
            label: "Gemiddeld contract (uur per week)",
            value: nl::number(h, 1),
        });
    }
    if let Some(d) = f.deeltijdfactor {
        out.push(Figure {
            label: "Deeltijdfactor",
            value: nl::number(d, 2),
        });
    }
    out.push(Figure {
        label: "Reacties op de vragenlijst",
        value: nl::integer(f.respondents as i64),
    });
    if let Some(s) = f.open_share {
        out.push(Figure {
            label: "Staat open voor meer uren",
            value: nl::percent(s, 0),
        });
    }
    out.push(Figure {
        label: "Urenpotentieel (fte)",
        value: nl::number(f.potential_fte, 1),
    });
    if let Some(c) = f.pnil_last_12_months_cost_cents {
        out.push(Figure {
            label: "PNIL-kosten, laatste 12 maanden",
            value: nl::euro_cents(c),
        });
    }
    out
}

async fn dashboard(
    State(state): State<AppState>,
    Auth(session): Auth,
    headers: HeaderMap,
) -> Result<Response, PageError> {
    let d = app::dashboard::dashboard(&state.store, &session.user, app::programme::today()).await?;
    let title = match &d {
        Dashboard::Programme(p) => format!("Overzicht {}", p.region),
        Dashboard::Organisation(o) => format!("Overzicht {}", o.org_name),
        Dashboard::Manager(m) => format!("Overzicht {}", m.org_name),
        Dashboard::Planner(p) => format!("Overzicht {}", p.org_name),
        Dashboard::Region(_) => "Overzicht".to_string(),
    };
    let l = Layout::new(&title, "dashboard", Some(&session), &headers);
    let had_flash = l.flash.is_some();
    match d {
        Dashboard::Programme(d) if d.first_run => render(
            &FirstRunPage {
                l,
                region: d.region,
                steps: app::help::part("start").map_or(&[][..], |p| &p.steps[..]),
            },
            had_flash,
        ),
        Dashboard::Programme(d) => render(&ProgrammePage { l, d }, had_flash),
        Dashboard::Organisation(d) => {
            let (period, figures) = match &d.figures {
                Some((p, f)) => (p.clone(), own_figures(f)),
                None => (String::new(), Vec::new()),
            };
            render(
                &OrganisationPage {
                    l,
                    d,
                    period,
                    figures,
                },
                had_flash,
            )
        }
        Dashboard::Manager(d) => render(&ManagerPage { l, d }, had_flash),
        Dashboard::Planner(d) => render(&PlannerPage { l, d }, had_flash),
        Dashboard::Region(d) => render(&RegionPage { l, d }, had_flash),
    }
}

// ----- help -------------------------------------------------------------------------------

fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

/// The folded explanation of a term, for templates: `{{ crate::parts::home::pages::uitleg("pnil")|safe }}`.
/// An unknown key gives nothing (the test `every_explained_term_exists` keeps templates
/// and the help file in step).
pub fn uitleg(key: &str) -> String {
    match app::help::term(key) {
        Some(t) => format!(
            "<details class=\"uitleg\"><summary>Wat betekent {label}?</summary><p>{text} \
             <a href=\"/hulp/{page}#{key}\">Meer hulp</a></p></details>",
            label = escape(&t.label),
            text = escape(&t.text),
            page = app::help::BEGRIPPEN,
            key = escape(&t.key),
        ),
        None => {
            tracing::warn!(key, "unknown help term");
            String::new()
        }
    }
}

/// The term as an `<abbr>` with its explanation as the title, for table headers and
/// short labels.
pub fn begrip(key: &str, shown: &str) -> String {
    match app::help::term(key) {
        Some(t) => format!(
            "<abbr title=\"{}\">{}</abbr>",
            escape(&t.text),
            escape(shown)
        ),
        None => escape(shown),
    }
}

#[derive(Template)]
#[template(path = "home/help.html")]
struct HelpPage {
    l: Layout,
    title: String,
    intro: &'static [String],
    steps: &'static [String],
    terms: Vec<&'static app::help::Term>,
    parts: &'static [app::help::Part],
    current: String,
}

async fn help_index(auth: MaybeAuth, headers: HeaderMap) -> Result<Response, PageError> {
    help_page(auth, headers, "start").await
}

async fn help_part(
    auth: MaybeAuth,
    Path(deel): Path<String>,
    headers: HeaderMap,
) -> Result<Response, PageError> {
    help_page(auth, headers, &deel).await
}

async fn help_page(auth: MaybeAuth, headers: HeaderMap, key: &str) -> Result<Response, PageError> {
    let (title, intro, steps, terms): (String, &'static [String], &'static [String], Vec<_>) =
        if key == app::help::BEGRIPPEN {
            (
                "Begrippen".into(),
                &[],
                &[],
                app::help::terms().iter().collect(),
            )
        } else {
            let p = app::help::part(key).ok_or(PageError::NotFound)?;
            (
                p.title.clone(),
                &p.intro[..],
                &p.steps[..],
                p.terms.iter().filter_map(|k| app::help::term(k)).collect(),
            )
        };
    let l = Layout::new(&format!("Hulp: {title}"), "hulp", auth.0.as_ref(), &headers);
    let had_flash = l.flash.is_some();
    render(
        &HelpPage {
            l,
            title,
            intro,
            steps,
            terms,
            parts: app::help::parts(),
            current: key.to_string(),
        },
        had_flash,
    )
}
