//! Embeds every tax-year rule file `rules/YYYY.toml`, so adding a year is a data-only
//! change: drop in the file and rebuild (the loader validates it like the others).

// A build script reads the rule files and talks to cargo on stdout: exempt from the purity rules.
#![allow(clippy::disallowed_methods, clippy::disallowed_macros)]

use std::fmt::Write as _;

fn main() {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("rules");
    println!("cargo:rerun-if-changed={}", dir.display());
    let mut years: Vec<(i32, std::path::PathBuf)> = std::fs::read_dir(&dir)
        .expect("crates/income/rules exists")
        .filter_map(|e| {
            let path = e.ok()?.path();
            let stem = path.file_stem()?.to_str()?;
            let is_year = path.extension()? == "toml"
                && stem.len() == 4
                && stem.chars().all(|c| c.is_ascii_digit());
            is_year
                .then(|| (stem.parse().ok(), path.clone()))
                .and_then(|(y, p)| Some((y?, p)))
        })
        .collect();
    years.sort();
    let mut out = String::from("&[\n");
    for (y, path) in &years {
        println!("cargo:rerun-if-changed={}", path.display());
        let _ = writeln!(
            out,
            "    ({y}, include_str!({:?})),",
            path.display().to_string()
        );
    }
    out.push(']');
    let target =
        std::path::Path::new(&std::env::var("OUT_DIR").expect("OUT_DIR")).join("rule_files.rs");
    std::fs::write(target, out).expect("write rule_files.rs");
}
