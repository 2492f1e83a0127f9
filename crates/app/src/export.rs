//! The organisation export (AVG/GDPR right of access and portability, issue 34): all data
//! of one organisation as a ZIP of CSV files, one per table, in a folder per data kind of
//! the processing register, plus the published results of its closed survey rounds (CSV
//! and JSON, with the same suppression as the results page) and a README.txt in Dutch that
//! says what each file and column is, what is pseudonymised and what is left out on
//! purpose. Which tables and columns go in is the register's (`crate::register`), so a
//! secret column (password or token hash, sealed upload, pseudonym key) is never read,
//! and raw survey answers never leave: they are anonymous also towards the organisation.

use std::io::Write;

use report::nl;
use store::{Cell, Organisation, Store};

use crate::AppError;
use crate::access::Caller;
use crate::register::{Kind, RegisterTable, register};
use crate::survey::RoundContext;

/// The audit action of an export.
pub const AUDIT_ACTION: &str = "organisation.export";

/// The file name of an export (`urenwinst-export-zorggroep-de-dinkel-2026-12-07.zip`).
pub fn file_name(org_name: &str, today: &str) -> String {
    let mut stem = String::new();
    for c in org_name.to_lowercase().chars() {
        if c.is_ascii_alphanumeric() {
            stem.push(c);
        } else if !stem.ends_with('-') {
            stem.push('-');
        }
    }
    let stem = stem.trim_matches('-');
    let stem = if stem.is_empty() { "organisatie" } else { stem };
    format!("urenwinst-export-{stem}-{today}.zip")
}

/// All data of organisation `org_id` as ZIP bytes, for its organisation admin, the
/// programme admin and the operator (another organisation: not found; other roles:
/// forbidden). Every export is recorded in the audit log.
pub async fn organisation_export(
    store: &Store,
    by: Caller<'_>,
    org_id: i64,
) -> Result<Vec<u8>, AppError> {
    by.require_admin_org(org_id)?;
    let org = store.organisation(org_id).await?;
    let reg = register();
    let tables = reg.export_tables();
    let specs: Vec<store::ExportTable> = tables.iter().map(|(_, _, spec)| spec.clone()).collect();
    let rows = store.organisation_rows(org_id, &specs).await?;

    let mut zip = ZipOut::new();
    let mut listed = Vec::new();
    for ((kind, table, _), rows) in tables.iter().zip(&rows) {
        let path = format!("{}/{}.csv", kind.key, table.name);
        zip.add(&path, table_csv(table, rows).as_bytes())?;
        listed.push((*kind, *table, path, rows.len()));
    }

    let mut rounds = Vec::new();
    for round in store.survey_rounds(org_id).await? {
        if round.status != "gesloten" {
            continue;
        }
        let ctx = RoundContext {
            org: org.clone(),
            round,
        };
        let results = crate::survey::analyse_round(store, &ctx).await?;
        let q = crate::survey::questionnaire(&ctx.round)?;
        let csv = crate::survey::tables_csv(&crate::survey::tables(&ctx.round, &q, &results))?;
        let json = serde_json::to_vec_pretty(&crate::survey::results_json(&ctx, &results))
            .map_err(AppError::internal)?;
        let stem = format!("enquete/uitkomsten-ronde-{}", ctx.round.id);
        zip.add(&format!("{stem}.csv"), csv.as_bytes())?;
        zip.add(&format!("{stem}.json"), &json)?;
        rounds.push((ctx.round.id, ctx.round.name.clone(), stem));
    }

    let today = crate::survey::today();
    let periods = crate::retention::current(store).await?;
    let readme = readme(&org, &today, &periods, &listed, &rounds);
    zip.add("README.txt", readme.as_bytes())?;
    let bytes = zip.finish()?;

    store
        .audit(
            &by.actor(),
            Some(org_id),
            AUDIT_ACTION,
            &org.name,
            &format!(
                "bestanden={} enquêterondes={}",
                listed.len() + 2 * rounds.len() + 1,
                rounds.len()
            ),
        )
        .await?;
    tracing::info!(org_id, bytes = bytes.len(), "organisation export");
    Ok(bytes)
}

struct ZipOut(zip::ZipWriter<std::io::Cursor<Vec<u8>>>);

impl ZipOut {
    fn new() -> ZipOut {
        ZipOut(zip::ZipWriter::new(std::io::Cursor::new(Vec::new())))
    }

    fn add(&mut self, path: &str, bytes: &[u8]) -> Result<(), AppError> {
        let options = zip::write::SimpleFileOptions::default()
            .compression_method(zip::CompressionMethod::Deflated);
        self.0
            .start_file(path, options)
            .map_err(|e| AppError::internal(format!("zip {path}: {e}")))?;
        self.0
            .write_all(bytes)
            .map_err(|e| AppError::internal(format!("zip {path}: {e}")))
    }

    fn finish(self) -> Result<Vec<u8>, AppError> {
        Ok(self
            .0
            .finish()
            .map_err(|e| AppError::internal(format!("zip: {e}")))?
            .into_inner())
    }
}

/// Columns holding a moment (unix seconds), written as `dd-mm-jjjj uu:mm`.
fn is_moment(column: &str) -> bool {
    column == "at" || column.ends_with("_at")
}

/// Columns holding an ISO date, written as `dd-mm-jjjj`.
fn is_date(column: &str) -> bool {
    column.ends_with("_on")
        || column.ends_with("_date")
        || matches!(
            column,
            "peildatum" | "deadline" | "period_start" | "period_end" | "snapshot"
        )
}

/// Text columns that hold a number with a decimal point (HR extracts keep them exact as
/// text), written with a decimal comma.
fn is_decimal_text(column: &str) -> bool {
    matches!(column, "contract_hours" | "part_time_factor" | "hours")
}

/// One cell as Dutch spreadsheet text: moments and dates in Dutch order, decimal comma,
/// and never a formula (`report::csv_cell`).
fn cell_text(column: &str, cell: &Cell) -> String {
    let text = match cell {
        Cell::Null => String::new(),
        Cell::Int(v) if is_moment(column) => nl::datetime_unix(*v),
        Cell::Int(v) => v.to_string(),
        Cell::Real(v) => nl::plain_f64(*v, 6),
        Cell::Text(t) if is_date(column) => nl::iso_date(t),
        Cell::Text(t) if is_decimal_text(column) && t.parse::<f64>().is_ok() => t.replace('.', ","),
        Cell::Text(t) => t.clone(),
    };
    report::csv_cell::neutralise(&text).into_owned()
}

fn csv_field(out: &mut String, text: &str) {
    if text.contains([';', '"', '\n', '\r']) {
        out.push('"');
        out.push_str(&text.replace('"', "\"\""));
        out.push('"');
    } else {
        out.push_str(text);
    }
}

/// A table as CSV for Dutch spreadsheet settings: UTF-8 with BOM, `;` between cells,
/// CRLF line ends, a header row with the column names.
fn table_csv(table: &RegisterTable, rows: &[Vec<Cell>]) -> String {
    let mut out = String::from("\u{feff}");
    for (i, c) in table.export.iter().enumerate() {
        if i > 0 {
            out.push(';');
        }
        csv_field(&mut out, c);
    }
    out.push_str("\r\n");
    for row in rows {
        for (i, (c, cell)) in table.export.iter().zip(row).enumerate() {
            if i > 0 {
                out.push(';');
            }
            csv_field(&mut out, &cell_text(c, cell));
        }
        out.push_str("\r\n");
    }
    out
}

/// The README.txt of an export (Dutch, B1).
fn readme(
    org: &Organisation,
    today: &str,
    periods: &crate::retention::Retention,
    files: &[(&Kind, &RegisterTable, String, usize)],
    rounds: &[(i64, String, String)],
) -> String {
    let reg = register();
    let mut r = String::new();
    let date = nl::iso_date(today);
    r.push_str(&format!(
        "Export van alle gegevens van {} uit Urenwinst\r\nGemaakt op {date}.\r\n\r\n",
        org.name
    ));
    r.push_str(
        "Dit bestand legt uit wat er in deze export staat. U krijgt deze export omdat u \
         recht hebt op inzage in uw gegevens en op het meenemen ervan (AVG, artikel 15 en \
         20).\r\n\r\n\
         HOE U DE BESTANDEN LEEST\r\n\
         - Elk .csv-bestand is een tabel. De eerste regel noemt de kolommen. Cellen staan \
         tussen puntkomma's (;). Excel en LibreOffice openen de bestanden direct.\r\n\
         - Datums staan als dd-mm-jjjj, tijdstippen als dd-mm-jjjj uu:mm (Nederlandse tijd). \
         Getallen hebben een decimale komma. Bedragen in centen staan in kolommen met \
         'cents' in de naam: 147100 is € 1.471,00.\r\n\
         - Een lege cel betekent: niet ingevuld.\r\n\
         - Kolommen die eindigen op _id verwijzen naar het nummer (id) in een ander bestand.\r\n\
         - Een cel die met =, +, - of @ begon, staat er met een ' voor, zodat een \
         spreadsheet haar niet als formule uitvoert.\r\n\r\n\
         WAT GEPSEUDONIMISEERD IS\r\n\
         Medewerkers in de HR-gegevens en roosters staan er onder een pseudoniem: een code \
         in plaats van hun personeelsnummer of naam. Urenwinst bewaart geen namen van \
         medewerkers in leesbare vorm. De sleutel waarmee de pseudoniemen zijn gemaakt, zit \
         niet in deze export.\r\n\r\n",
    );
    r.push_str("WAT ER IN STAAT\r\n\r\n");
    let mut current = "";
    for (kind, table, path, count) in files {
        if kind.key != current {
            current = kind.key.as_str();
            r.push_str(&format!(
                "== Map {}/: {} ==\r\n{}\r\nWaarom: {}\r\nBewaartermijn: {}\r\n\r\n",
                kind.key,
                kind.name,
                kind.what,
                kind.purpose,
                kind.retention_now(periods)
            ));
        }
        let rows = if *count == 1 { "regel" } else { "regels" };
        r.push_str(&format!(
            "{path} ({} {rows})\r\n",
            nl::integer(*count as i64)
        ));
        for c in &table.export {
            let about = reg.describe(&table.name, c).unwrap_or_default();
            r.push_str(&format!("  - {c}: {about}\r\n"));
        }
        r.push_str("\r\n");
    }
    r.push_str("== Map enquete/: uitkomsten van gesloten enquêterondes ==\r\n");
    if rounds.is_empty() {
        r.push_str("Er is nog geen gesloten ronde, dus er zijn geen uitkomsten.\r\n\r\n");
    } else {
        r.push_str(
            "Per gesloten ronde de uitkomsten zoals ze op de resultatenpagina staan: als \
             tabel (.csv) en volledig (.json). Een cijfer over minder mensen dan de \
             minimale groepsgrootte is weggelaten (in de .csv als —, in de .json als null), \
             net als op de pagina.\r\n",
        );
        for (id, name, stem) in rounds {
            r.push_str(&format!("{stem}.csv en .json: ronde {id}, {name}\r\n"));
        }
        r.push_str("\r\n");
    }
    r.push_str(
        "WAT ER BEWUST NIET IN STAAT\r\n\
         - Losse antwoorden op de enquête. Die zijn anoniem, ook tegenover uw eigen \
         organisatie. U krijgt alleen de gepubliceerde uitkomsten, met dezelfde regels voor \
         kleine groepen.\r\n\
         - Wachtwoorden, API-sleutels, sessies, eenmalige links en toegangscodes. Urenwinst \
         bewaart die alleen als onomkeerbare hash; ook die hashes staan er niet in.\r\n\
         - De sleutel voor de pseudoniemen, en bestanden die nog op de koppelstap wachten \
         (die zijn versleuteld met de sleutel van de server en worden na 30 minuten \
         verwijderd).\r\n\
         - Namen van medewerkers uit roosterbestanden: die zijn versleuteld opgeslagen en \
         alleen voor de planner van het team te lezen.\r\n",
    );
    for (kind, table) in reg.tables() {
        if let Some(why) = &table.not_exported {
            r.push_str(&format!("- {} ({}): {why}\r\n", table.name, kind.name));
        }
    }
    r.push_str(
        "\r\nVragen over deze export of over uw gegevens? Neem contact op met het \
         programmateam. Welke gegevens Urenwinst bewaart, waarom en hoe lang, staat ook in \
         het verwerkingsregister.\r\n",
    );
    r
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cells_are_dutch_and_never_formulas() {
        assert_eq!(
            cell_text("created_at", &Cell::Int(1_795_439_100)),
            "23-11-2026 14:05"
        );
        assert_eq!(cell_text("employees", &Cell::Int(1234)), "1234");
        assert_eq!(cell_text("fulltime_hours", &Cell::Real(24.9)), "24,9");
        assert_eq!(
            cell_text("peildatum", &Cell::Text("2026-01-31".into())),
            "31-01-2026"
        );
        assert_eq!(
            cell_text("name", &Cell::Text("=HYPERLINK(1)".into())),
            "'=HYPERLINK(1)"
        );
        assert_eq!(cell_text("note", &Cell::Null), "");
        assert_eq!(
            cell_text("part_time_factor", &Cell::Text("0.6667".into())),
            "0,6667"
        );
        assert_eq!(cell_text("team", &Cell::Text("1.5".into())), "1.5");
        let mut out = String::new();
        csv_field(&mut out, "a;b \"c\"");
        assert_eq!(out, "\"a;b \"\"c\"\"\"");
    }

    #[test]
    fn file_names_are_plain() {
        assert_eq!(
            file_name("Zorggroep De Dinkel / Oost!", "2026-12-07"),
            "urenwinst-export-zorggroep-de-dinkel-oost-2026-12-07.zip"
        );
        assert_eq!(
            file_name("ééé", "2026-12-07"),
            "urenwinst-export-organisatie-2026-12-07.zip"
        );
    }
}
