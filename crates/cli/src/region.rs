//! `region …`: add and list regions, and the regional picture as JSON or a Dutch table
//! (`urenwinst region report`, wired as `urenwinst report region` too).

use clap::{Args, Subcommand};
use store::{Actor, Store};

use crate::admin::app_error;

#[derive(Subcommand)]
pub enum RegionCommand {
    /// Add a region (disclosure thresholds: at least 3 organisations, at most 50%).
    Add {
        /// Name of the region.
        name: String,
        /// A regional figure needs at least this many organisations (3 or more).
        #[arg(long, default_value_t = 3)]
        min_orgs: i64,
        /// No organisation may contribute more than this percentage (1–50).
        #[arg(long, default_value_t = 50)]
        dominance_percent: i64,
    },
    /// List the regions with their thresholds and organisations.
    List {
        /// Print JSON instead of a table.
        #[arg(long)]
        json: bool,
    },
    /// The regional picture of a region (aggregates only, disclosure control applied).
    Report(RegionReportArgs),
    /// Bring the kept regional figures of every organisation up to date (the background
    /// worker does this every ten minutes; after a large import this does it at once).
    Refresh,
}

/// `[--region R] [--subsector S] (--json | --pdf FILE)`; without `--json` a Dutch table.
#[derive(Args)]
pub struct RegionReportArgs {
    /// Region (name); default the first region.
    #[arg(long)]
    pub region: Option<String>,
    /// Only this subsector's row (code such as vvt, gz) next to the region's total.
    #[arg(long)]
    pub subsector: Option<String>,
    /// Print the picture as JSON (the shape of GET /api/v1/regions/{id}/picture).
    #[arg(long, conflicts_with_all = ["pdf", "html"])]
    pub json: bool,
    /// Write the picture as an HTML report (the `report::doc` document the PDF uses).
    #[arg(long, value_name = "FILE")]
    pub html: Option<std::path::PathBuf>,
    /// Write the picture as a PDF (the same document as `--html`, typeset with typst).
    #[arg(long, value_name = "FILE")]
    pub pdf: Option<std::path::PathBuf>,
}

pub async fn run(store: &Store, cmd: RegionCommand) -> anyhow::Result<()> {
    match cmd {
        RegionCommand::Add {
            name,
            min_orgs,
            dominance_percent,
        } => {
            let r = app::region::create_region(
                store,
                &Actor::cli(),
                &name,
                min_orgs,
                dominance_percent,
            )
            .await
            .map_err(app_error)?;
            println!("{}\t{}", r.id, r.name);
        }
        RegionCommand::List { json } => {
            let regions = store.regions().await?;
            if json {
                println!("{}", serde_json::to_string_pretty(&regions)?);
            } else {
                println!("id\tnaam\tmin. organisaties\tdominantie\torganisaties");
                for r in regions {
                    let n = store.region_organisations(r.id).await?.len();
                    println!(
                        "{}\t{}\t{}\t{}%\t{n}",
                        r.id, r.name, r.min_orgs, r.dominance_percent
                    );
                }
            }
        }
        RegionCommand::Report(args) => report(store, args).await?,
        RegionCommand::Refresh => {
            let today = chrono::NaiveDate::parse_from_str(&app::survey::today(), "%Y-%m-%d")?;
            let started = std::time::Instant::now();
            let mut total = 0;
            loop {
                let n = app::region::refresh_stale(store, 500, today)
                    .await
                    .map_err(app_error)?;
                total += n;
                if n == 0 {
                    break;
                }
            }
            println!(
                "Regiocijfers van {total} organisaties bijgewerkt in {:.1} s.",
                started.elapsed().as_secs_f64()
            );
        }
    }
    Ok(())
}

/// `urenwinst region report` / `urenwinst report region`.
pub async fn report(store: &Store, args: RegionReportArgs) -> anyhow::Result<()> {
    let region = match &args.region {
        Some(name) => app::region::find_region(store, name)
            .await
            .map_err(app_error)?,
        None => store.default_region().await?,
    };
    let today = chrono::NaiveDate::parse_from_str(&app::survey::today(), "%Y-%m-%d")?;
    let p = app::region::picture_of(store, region.id, today)
        .await
        .map_err(app_error)?;
    let mut picture = p.picture;
    if let Some(code) = &args.subsector {
        let code = code.trim().to_lowercase();
        if !picture
            .subsectors
            .iter()
            .any(|r| r.subsector.as_deref() == Some(code.as_str()))
        {
            anyhow::bail!(
                "Subsector '{code}' heeft geen organisaties met resultaten in {}.",
                region.name
            );
        }
        picture
            .subsectors
            .retain(|r| r.subsector.as_deref() == Some(code.as_str()));
        for t in &mut picture.trend {
            t.subsectors
                .retain(|r| r.subsector.as_deref() == Some(code.as_str()));
        }
    }
    if args.html.is_some() || args.pdf.is_some() {
        let doc = app::region::picture_document(
            &app::region::PictureForUser {
                picture: picture.clone(),
                region: region.clone(),
                without_results: p.without_results.clone(),
                labels: p.labels.clone(),
            },
            today,
        );
        if let Some(file) = &args.html {
            let html = format!(
                "<!doctype html>\n<html lang=\"nl\"><head><meta charset=\"utf-8\"><title>{}</title></head><body>\n{}\n</body></html>\n",
                report::chart::escape(&doc.title),
                report::doc::to_html(&doc)
            );
            std::fs::write(file, html)?;
            println!("Regiobeeld geschreven naar {}", file.display());
        }
        if let Some(file) = &args.pdf {
            use report::PdfRenderer;
            let bytes = report_pdf::TypstRenderer::new()
                .render(&doc)
                .map_err(|e| anyhow::anyhow!("PDF maken lukte niet: {e}"))?;
            std::fs::write(file, bytes)?;
            println!("Regiobeeld (PDF) geschreven naar {}", file.display());
        }
        return Ok(());
    }
    if args.json {
        let mut body = serde_json::to_value(&picture)?;
        body["region_id"] = serde_json::json!(region.id);
        body["organisations_without_results"] = serde_json::json!(p.without_results.len());
        body["option_labels"] = serde_json::json!(p.labels);
        println!("{}", serde_json::to_string_pretty(&body)?);
        return Ok(());
    }
    print!("{}", text_table(&picture, &p.labels, &p.without_results));
    Ok(())
}

/// The picture as a tab-separated Dutch table (one column per subsector and the total).
fn text_table(
    picture: &region::RegionalPicture,
    labels: &std::collections::BTreeMap<String, String>,
    without_results: &[String],
) -> String {
    use std::fmt::Write;
    let nl = |x: f64, d: usize| report::nl::number(x, d);
    let rows: Vec<&region::Row> = picture
        .subsectors
        .iter()
        .chain(std::iter::once(&picture.total))
        .collect();
    let mut out = String::new();
    let _ = writeln!(
        out,
        "Regiobeeld {} — periode {} (minstens {} organisaties, dominantie {}%)",
        picture.region,
        picture.period.as_deref().unwrap_or("–"),
        picture.policy.min_orgs,
        picture.policy.dominance_percent
    );
    let header: Vec<String> = rows
        .iter()
        .map(|r| {
            r.subsector
                .as_deref()
                .and_then(store::Subsector::from_code)
                .map_or_else(
                    || r.subsector.clone().unwrap_or_else(|| "Hele regio".into()),
                    |s| s.label().to_string(),
                )
        })
        .collect();
    let _ = writeln!(out, "cijfer\t{}", header.join("\t"));
    let line = |label: &str, f: &dyn Fn(&region::Row) -> Option<String>| -> String {
        let cells: Vec<String> = rows
            .iter()
            .map(|r| f(r).unwrap_or_else(|| "afgeschermd".into()))
            .collect();
        format!("{label}\t{}\n", cells.join("\t"))
    };
    out += &line("Organisaties", &|r| Some(r.organisations.to_string()));
    out += &line("Medewerkers", &|r| r.employees.map(|v| nl(v as f64, 0)));
    out += &line("Gemiddelde contracturen", &|r| {
        r.average_contract_hours.map(report::nl::hours)
    });
    out += &line("Deeltijdfactor", &|r| r.deeltijdfactor.map(|v| nl(v, 2)));
    out += &line("Respondenten", &|r| r.respondents.map(|v| nl(v as f64, 0)));
    out += &line("Open voor meer uren", &|r| {
        r.open_share.map(|s| report::nl::percent(s, 0))
    });
    out += &line("Potentieel (fte)", &|r| r.potential_fte.map(|v| nl(v, 1)));
    out += &line("PNIL-kosten 12 maanden", &|r| {
        r.pnil_last_12_months_cost.map(report::nl::euro)
    });
    out += &line("Belangrijkste voorwaarde", &|r| {
        r.respondents?;
        Some(r.conditions.first().map_or("–".into(), |o| {
            labels.get(&o.option).cloned().unwrap_or(o.option.clone())
        }))
    });
    for r in &rows {
        if let Some(reason) = &r.reason {
            let name = r.subsector.as_deref().unwrap_or("hele regio");
            let _ = writeln!(out, "afgeschermd bij {name}: {reason}");
        }
    }
    if !without_results.is_empty() {
        let _ = writeln!(out, "Nog geen resultaten: {}", without_results.join(", "));
    }
    out
}
