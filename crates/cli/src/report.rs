//! `urenwinst report …`: the reports of the product, for one organisation or for all at
//! once. The Value Case is assembled by `app::value_case` (shared with the pages and the
//! API); this module resolves names, writes files and shows progress.

use std::path::{Path, PathBuf};
use std::sync::Mutex;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Instant;

use anyhow::Context as _;
use app::access::Caller;
use chrono::NaiveDate;
use clap::{Args, Subcommand};
use report::PdfRenderer as _;
use store::Store;

use crate::admin::{app_error, organisation};

#[derive(Subcommand)]
pub enum ReportCommand {
    /// The Value Case of Fase 0 (docs/value-case.md): one organisation as JSON, PDF or
    /// HTML, or (`--all --out DIR`) the PDF of every organisation with a closed round.
    ValueCase(ValueCaseArgs),
    /// The regional picture of a region: aggregates per subsector and for the region, with
    /// the organisation-level disclosure control (`urenwinst region report` is the same).
    Region(crate::region::RegionReportArgs),
    /// The round-table pack of a subsector (docs/round-tables.md): the subsector's regional
    /// picture and the discussion questions; with `--org` that organisation's own copy
    /// (its own figures added), without it the shared version naming no organisation.
    RoundTable(RoundTableArgs),
    /// The impact report: "Het Verhaal van" one organisation (`--org`), or the region's
    /// impact report (`--region`, counts only, no organisation named).
    Impact(ImpactReportArgs),
    /// The Fase 0 checklist: of one organisation (`--org`) or of all, computed from the
    /// data (interview, survey round, HR snapshot, PNIL, roster scan, report).
    Fase0 {
        /// Organisation (name or id); default: every organisation.
        #[arg(long)]
        org: Option<String>,
        /// Print JSON instead of a table.
        #[arg(long)]
        json: bool,
    },
}

#[derive(Args)]
#[command(group(clap::ArgGroup::new("scope").required(true).args(["org", "all"])))]
pub struct ValueCaseArgs {
    /// Organisation (name or id).
    #[arg(long)]
    org: Option<String>,
    /// Every organisation: writes `DIR/<id>-<name>.pdf` for each organisation with a
    /// closed round and lists the others as skipped with the reason.
    #[arg(long, requires = "out", conflicts_with_all = ["round", "snapshot", "json", "pdf", "html"])]
    all: bool,
    /// The directory for `--all`.
    #[arg(long)]
    out: Option<PathBuf>,
    /// Survey round (name or id); default: the employees' round closed last.
    #[arg(long)]
    round: Option<String>,
    /// Peildatum of the HR snapshot (YYYY-MM-DD); default: the one nearest the round's
    /// close date.
    #[arg(long)]
    snapshot: Option<NaiveDate>,
    /// Print the Value Case as JSON.
    #[arg(long, group = "format")]
    json: bool,
    /// Write the report as PDF to FILE.
    #[arg(long, group = "format", value_name = "FILE")]
    pdf: Option<PathBuf>,
    /// Write the report as HTML to FILE.
    #[arg(long, group = "format", value_name = "FILE")]
    html: Option<PathBuf>,
}

/// `--region R --subsector S [--org ORG] (--html FILE | --pdf FILE)`.
#[derive(Args)]
#[command(group(clap::ArgGroup::new("format").required(true).args(["html", "pdf"])))]
pub struct RoundTableArgs {
    /// Region (name).
    #[arg(long)]
    region: String,
    /// Subsector code (vvt, gz, ggz, …).
    #[arg(long)]
    subsector: String,
    /// Organisation (name or id) for its own copy; without it the shared version.
    #[arg(long)]
    org: Option<String>,
    /// Write the pack as HTML to FILE.
    #[arg(long, value_name = "FILE")]
    html: Option<PathBuf>,
    /// Write the pack as PDF to FILE.
    #[arg(long, value_name = "FILE")]
    pdf: Option<PathBuf>,
}

/// `(--org ORG | --region R) [--as-of D] (--html FILE | --pdf FILE)`.
#[derive(Args)]
#[command(group(clap::ArgGroup::new("scope").required(true).args(["org", "region"])))]
#[command(group(clap::ArgGroup::new("format").required(true).args(["html", "pdf"])))]
pub struct ImpactReportArgs {
    /// Organisation (name or id): its impact report "Het Verhaal van …".
    #[arg(long)]
    org: Option<String>,
    /// Region (name): the region's impact report.
    #[arg(long)]
    region: Option<String>,
    /// The date to measure on, YYYY-MM-DD (default today).
    #[arg(long)]
    as_of: Option<String>,
    /// Write the report as HTML to FILE.
    #[arg(long, value_name = "FILE")]
    html: Option<PathBuf>,
    /// Write the report as PDF to FILE.
    #[arg(long, value_name = "FILE")]
    pdf: Option<PathBuf>,
}

async fn impact_report(store: &Store, args: ImpactReportArgs) -> anyhow::Result<()> {
    let as_of = match args.as_of.as_deref() {
        Some(d) => NaiveDate::parse_from_str(d.trim(), "%Y-%m-%d")
            .with_context(|| format!("--as-of: '{d}' is geen datum; gebruik JJJJ-MM-DD"))?,
        None => today()?,
    };
    let doc = match (&args.org, &args.region) {
        (Some(key), _) => {
            let org = organisation(store, key).await?;
            let imp = app::impact::impact(store, Caller::Operator, org.id, as_of)
                .await
                .map_err(app_error)?;
            app::impact::story(&imp)
        }
        (None, Some(name)) => {
            let region = app::region::find_region(store, name)
                .await
                .map_err(app_error)?;
            app::impact::region_story_unchecked(store, region.id, as_of)
                .await
                .map_err(app_error)?
        }
        (None, None) => anyhow::bail!("Kies --org of --region."),
    };
    if let Some(file) = &args.html {
        std::fs::write(file, html_page(&doc))
            .with_context(|| format!("kan {} niet schrijven", file.display()))?;
        println!("{} geschreven naar {}", doc.title, file.display());
    }
    if let Some(file) = &args.pdf {
        let bytes = pdf_renderer()
            .render(&doc)
            .map_err(|e| anyhow::anyhow!("de PDF kon niet worden gemaakt: {e}"))?;
        std::fs::write(file, bytes)
            .with_context(|| format!("kan {} niet schrijven", file.display()))?;
        println!("{} geschreven naar {}", doc.title, file.display());
    }
    Ok(())
}

async fn round_table(store: &Store, args: RoundTableArgs) -> anyhow::Result<()> {
    let region = app::region::find_region(store, &args.region)
        .await
        .map_err(app_error)?;
    let org = match &args.org {
        Some(key) => Some(organisation(store, key).await?.id),
        None => None,
    };
    let doc = app::round_table::pack(
        store,
        Caller::Operator,
        region.id,
        &args.subsector,
        org,
        today()?,
    )
    .await
    .map_err(app_error)?;
    if let Some(file) = &args.html {
        std::fs::write(file, html_page(&doc))
            .with_context(|| format!("kan {} niet schrijven", file.display()))?;
        println!("Rondetafelpakket geschreven naar {}", file.display());
    }
    if let Some(file) = &args.pdf {
        let bytes = pdf_renderer()
            .render(&doc)
            .map_err(|e| anyhow::anyhow!("de PDF kon niet worden gemaakt: {e}"))?;
        std::fs::write(file, bytes)
            .with_context(|| format!("kan {} niet schrijven", file.display()))?;
        println!("Rondetafelpakket geschreven naar {}", file.display());
    }
    Ok(())
}

pub async fn run(store: &Store, cmd: ReportCommand) -> anyhow::Result<()> {
    match cmd {
        ReportCommand::RoundTable(args) => round_table(store, args).await,
        ReportCommand::Region(args) => crate::region::report(store, args).await,
        ReportCommand::ValueCase(args) => value_case(store, args).await,
        ReportCommand::Fase0 { org, json } => fase0(store, org, json).await,
        ReportCommand::Impact(args) => impact_report(store, args).await,
    }
}

async fn fase0(store: &Store, org: Option<String>, json: bool) -> anyhow::Result<()> {
    let lists = match org {
        Some(key) => {
            let org = organisation(store, &key).await?;
            let c = app::value_case::checklist(store, Caller::Operator, org.id)
                .await
                .map_err(app_error)?;
            vec![(org, c)]
        }
        None => app::value_case::checklists(store, Caller::Operator)
            .await
            .map_err(app_error)?,
    };
    if json {
        let rows: Vec<serde_json::Value> = lists
            .iter()
            .map(|(o, c)| {
                serde_json::json!({"organisation": {"id": o.id, "name": o.name}, "checklist": c})
            })
            .collect();
        println!("{}", serde_json::to_string_pretty(&rows)?);
        return Ok(());
    }
    for (o, c) in &lists {
        println!(
            "{} ({} van {} stappen klaar)",
            o.name,
            c.done,
            c.steps.len()
        );
        for s in &c.steps {
            println!("  {:<10} {}  {}", s.state.label(), s.label, s.detail);
        }
    }
    Ok(())
}

pub fn today() -> anyhow::Result<NaiveDate> {
    Ok(app::survey::today().parse()?)
}

async fn value_case(store: &Store, args: ValueCaseArgs) -> anyhow::Result<()> {
    if args.all {
        let out = args.out.expect("clap requires --out with --all");
        return value_case_all(store, &out).await;
    }
    let key = args.org.expect("clap requires --org or --all");
    let org = organisation(store, &key).await?;
    let round = match &args.round {
        Some(r) => Some(
            store
                .find_survey_round(org.id, r)
                .await
                .map_err(|_| anyhow::anyhow!("Ronde '{r}' bestaat niet bij {}.", org.name))?
                .id,
        ),
        None => None,
    };
    let vc = app::value_case::assemble(
        store,
        Caller::Operator,
        org.id,
        round,
        args.snapshot,
        today()?,
    )
    .await
    .map_err(app_error)?;
    if args.json {
        app::value_case::record_generated(store, Caller::Operator, &vc, "json")
            .await
            .map_err(app_error)?;
        println!("{}", serde_json::to_string_pretty(&vc)?);
        return Ok(());
    }
    let doc = valuecase::document::document(&vc);
    if let Some(path) = &args.html {
        let html = html_page(&doc);
        std::fs::write(path, html)
            .with_context(|| format!("kan {} niet schrijven", path.display()))?;
        app::value_case::record_generated(store, Caller::Operator, &vc, "html")
            .await
            .map_err(app_error)?;
        eprintln!(
            "Value Case van {} geschreven naar {}",
            org.name,
            path.display()
        );
        return Ok(());
    }
    if let Some(path) = &args.pdf {
        let bytes = pdf_renderer()
            .render(&doc)
            .map_err(|e| anyhow::anyhow!("{e}"))?;
        std::fs::write(path, bytes)
            .with_context(|| format!("kan {} niet schrijven", path.display()))?;
        app::value_case::record_generated(store, Caller::Operator, &vc, "pdf")
            .await
            .map_err(app_error)?;
        eprintln!(
            "Value Case van {} geschreven naar {}",
            org.name,
            path.display()
        );
        return Ok(());
    }
    anyhow::bail!("Kies --json, --pdf BESTAND of --html BESTAND.")
}

/// The typst renderer of this binary (fonts embedded; the same document gives the same
/// bytes).
fn pdf_renderer() -> report_pdf::TypstRenderer {
    report_pdf::TypstRenderer::new()
}

/// A whole HTML file around the report fragment, with the report's stylesheet inlined.
fn html_page(doc: &report::Document) -> String {
    format!(
        "<!doctype html>\n<html lang=\"nl\">\n<head>\n<meta charset=\"utf-8\">\n<title>{} · {}</title>\n<style>\n{}</style>\n</head>\n<body>\n{}</body>\n</html>\n",
        report::chart::escape(&doc.title),
        report::chart::escape(&doc.org_name),
        web::REPORT_CSS,
        report::to_html(doc)
    )
}

/// A file name from an organisation's id and name: `007-zorggroep-de-dinkel.pdf`.
fn file_name(id: i64, name: &str) -> String {
    let slug: Vec<String> = name
        .split(|c: char| !c.is_ascii_alphanumeric())
        .filter(|s| !s.is_empty())
        .map(str::to_ascii_lowercase)
        .collect();
    format!("{id:03}-{}.pdf", slug.join("-"))
}

/// What [`write_all_value_cases`] did: the PDFs written (organisation, file), those that
/// failed (organisation, error) and the organisations skipped (organisation, reason).
pub struct ValueCaseAll {
    pub written: Vec<(String, PathBuf)>,
    pub failed: Vec<(String, String)>,
    pub skipped: Vec<(String, String)>,
    /// Time spent typesetting and writing (after assembling).
    pub typeset: std::time::Duration,
}

/// Every organisation's Value Case as PDF in `out`: assembled one after the other, typeset
/// on two threads (the reference machine's cores), with a progress bar when `progress` is
/// set. Organisations without a closed round (or without an HR snapshot) are skipped with
/// the reason. Each written PDF is recorded as generated.
pub async fn write_all_value_cases(
    store: &Store,
    out: &Path,
    progress: bool,
) -> anyhow::Result<ValueCaseAll> {
    std::fs::create_dir_all(out).with_context(|| format!("kan {} niet maken", out.display()))?;
    let today = today()?;
    let mut ready = Vec::new();
    let mut skipped = Vec::new();
    for org in store.organisations().await? {
        match app::value_case::assemble(store, Caller::Operator, org.id, None, None, today).await {
            Ok(vc) => ready.push(vc),
            Err(e @ (app::AppError::Invalid { .. } | app::AppError::BadRequest(_))) => {
                skipped.push((org.name, app_error(e).to_string()))
            }
            Err(e) => return Err(app_error(e)),
        }
    }
    let bar = if progress {
        let bar = indicatif::ProgressBar::new(ready.len() as u64);
        if let Ok(style) = indicatif::ProgressStyle::with_template(
            "{bar:40} {pos}/{len} PDF's  {elapsed_precise}  {msg}",
        ) {
            bar.set_style(style);
        }
        bar
    } else {
        indicatif::ProgressBar::hidden()
    };
    let renderer = pdf_renderer();
    let next = AtomicUsize::new(0);
    let results: Mutex<Vec<(usize, Result<PathBuf, String>)>> = Mutex::new(Vec::new());
    let started = Instant::now();
    std::thread::scope(|scope| {
        for _ in 0..2 {
            scope.spawn(|| {
                loop {
                    let i = next.fetch_add(1, Ordering::Relaxed);
                    let Some(vc) = ready.get(i) else { break };
                    let path = out.join(file_name(vc.organisation.id, &vc.organisation.name));
                    let doc = valuecase::document::document(vc);
                    let result = renderer
                        .render(&doc)
                        .map_err(|e| e.to_string())
                        .and_then(|bytes| std::fs::write(&path, bytes).map_err(|e| e.to_string()))
                        .map(|()| path);
                    bar.set_message(vc.organisation.name.clone());
                    bar.inc(1);
                    results
                        .lock()
                        .unwrap_or_else(|e| e.into_inner())
                        .push((i, result));
                }
            });
        }
    });
    bar.finish_and_clear();
    let typeset = started.elapsed();
    let mut results = results.into_inner().unwrap_or_else(|e| e.into_inner());
    results.sort_by_key(|(i, _)| *i);
    let mut written = Vec::new();
    let mut failed = Vec::new();
    for (i, result) in results {
        let vc = &ready[i];
        match result {
            Ok(path) => {
                app::value_case::record_generated(store, Caller::Operator, vc, "pdf")
                    .await
                    .map_err(app_error)?;
                written.push((vc.organisation.name.clone(), path));
            }
            Err(e) => failed.push((vc.organisation.name.clone(), e)),
        }
    }
    Ok(ValueCaseAll {
        written,
        failed,
        skipped,
        typeset,
    })
}

/// `report value-case --all --out DIR`: writes the PDFs and lists what happened.
async fn value_case_all(store: &Store, out: &Path) -> anyhow::Result<()> {
    use std::io::IsTerminal;
    let all = write_all_value_cases(store, out, std::io::stderr().is_terminal()).await?;
    for (name, path) in &all.written {
        println!("{name}\t{}", path.display());
    }
    for (name, e) in &all.failed {
        eprintln!("{name}: de PDF kon niet worden gemaakt: {e}");
    }
    for (name, reason) in &all.skipped {
        println!("{name}\tovergeslagen: {reason}");
    }
    eprintln!(
        "{} PDF's in {:.1} s naar {}; {} overgeslagen.",
        all.written.len(),
        all.typeset.as_secs_f64(),
        out.display(),
        all.skipped.len()
    );
    if !all.failed.is_empty() {
        anyhow::bail!("{} PDF's konden niet worden gemaakt", all.failed.len());
    }
    Ok(())
}
