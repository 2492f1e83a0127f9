//! A 100,000-row HR extract: read (CSV and XLSX), validate and pseudonymise.
//! Run: `cargo bench -p hr --bench extract`. Figures go in docs/benchmarks-hr.md.

use criterion::{Criterion, criterion_group, criterion_main};
use hr::{HrMapping, ImportOptions, Pseudonymiser, import_extract, propose_mapping};
use std::hint::black_box;

const ROWS: usize = 100_000;

/// A deterministic extract in the shape Dutch HR systems export: semicolons, decimal
/// commas, day-first dates, a name column that must be dropped.
fn extract_csv(rows: usize) -> Vec<u8> {
    let teams = [
        "Zon",
        "Maan",
        "Ster",
        "Wijk Noord",
        "Wijk Zuid",
        "Dagbesteding",
        "Nacht",
        "Flexpool",
    ];
    let functions = [
        "Verzorgende IG",
        "Helpende",
        "Verpleegkundige",
        "Zorgassistent",
        "Activiteitenbegeleider",
    ];
    let kinds = ["Vast", "Tijdelijk", "Oproep", "Flex"];
    let mut s = String::with_capacity(rows * 110);
    s.push_str("Personeelsnummer;Naam;Afdeling;Functie;FWG;Contracturen;Geboortedatum;Datum in dienst;Soort contract\n");
    let mut x: u64 = 0x9E37_79B9_7F4A_7C15;
    for i in 0..rows {
        // xorshift: deterministic without a dependency.
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        let hours = 8 + (x % 29) as u32; // 8..36
        let half = if x.is_multiple_of(3) { ",5" } else { "" };
        let day = 1 + (x % 28);
        let month = 1 + (x >> 8) % 12;
        let year = 1960 + (x >> 16) % 45;
        let start_year = 2000 + (x >> 24) % 25;
        s.push_str(&format!(
            "{};Medewerker {};{};{};FWG {};{}{};{:02}-{:02}-{};01-{:02}-{};{}\n",
            100_000 + i,
            i,
            teams[(x >> 3) as usize % teams.len()],
            functions[(x >> 5) as usize % functions.len()],
            25 + 5 * ((x >> 7) % 8),
            hours,
            half,
            day,
            month,
            year,
            month,
            start_year,
            kinds[(x >> 11) as usize % kinds.len()],
        ));
    }
    s.into_bytes()
}

/// The same extract as a spreadsheet, with number and date cells.
fn extract_xlsx(csv: &[u8]) -> Vec<u8> {
    let table = import::read_table(csv).unwrap();
    let mut wb = rust_xlsxwriter::Workbook::new();
    let ws = wb.add_worksheet();
    let date = rust_xlsxwriter::Format::new().set_num_format("dd-mm-yyyy");
    for (c, h) in table.headers.iter().enumerate() {
        ws.write_string(0, c as u16, h).unwrap();
    }
    for (r, row) in table.rows.iter().enumerate() {
        let r = r as u32 + 1;
        for (c, cell) in row.cells.iter().enumerate() {
            let c = c as u16;
            let text = cell.display();
            match c {
                0 | 5 => {
                    let n: f64 = import::parse_number(cell)
                        .unwrap()
                        .to_string()
                        .parse()
                        .unwrap();
                    ws.write_number(r, c, n).unwrap();
                }
                6 | 7 => {
                    let d = import::parse_date(cell).unwrap();
                    let x = rust_xlsxwriter::ExcelDateTime::parse_from_str(
                        &d.format("%Y-%m-%d").to_string(),
                    )
                    .unwrap();
                    ws.write_datetime_with_format(r, c, &x, &date).unwrap();
                }
                _ => {
                    ws.write_string(r, c, &text).unwrap();
                }
            }
        }
    }
    wb.save_to_buffer().unwrap()
}

fn bench(c: &mut Criterion) {
    let bytes = extract_csv(ROWS);
    let key = [7u8; 32];
    let opts = ImportOptions::new(chrono::NaiveDate::from_ymd_opt(2026, 11, 23).unwrap());
    // Sanity outside the timing: the file is read fully and cleanly.
    let table = import::read_table(&bytes).unwrap();
    let mapping: HrMapping = propose_mapping(&table).mapping;
    let p = Pseudonymiser::new(&key).unwrap();
    let result = import_extract(&table, &mapping, &opts, &p);
    assert_eq!(result.employees.len(), ROWS);
    assert!(!result.has_errors(), "{:?}", result.errors().next());

    let mut g = c.benchmark_group("hr_extract_100k");
    g.sample_size(10);
    g.bench_function("csv_read_validate_pseudonymise", |b| {
        b.iter(|| {
            let table = import::read_table(black_box(&bytes)).unwrap();
            let mapping = propose_mapping(&table).mapping;
            let p = Pseudonymiser::new(&key).unwrap();
            let r = import_extract(&table, &mapping, &opts, &p);
            black_box(r.employees.len())
        })
    });
    let xlsx = extract_xlsx(&bytes);
    let xt = import::read_table(&xlsx).unwrap();
    assert_eq!(xt.rows.len(), ROWS);
    g.bench_function("xlsx_read_validate_pseudonymise", |b| {
        b.iter(|| {
            let table = import::read_table(black_box(&xlsx)).unwrap();
            let mapping = propose_mapping(&table).mapping;
            let p = Pseudonymiser::new(&key).unwrap();
            let r = import_extract(&table, &mapping, &opts, &p);
            assert_eq!(r.employees.len(), ROWS);
            black_box(r.employees.len())
        })
    });
    g.bench_function("csv_read_only", |b| {
        b.iter(|| black_box(import::read_table(black_box(&bytes)).unwrap().rows.len()))
    });
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
