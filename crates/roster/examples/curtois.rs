//! Solve Curtois instances and re-check every result with the independent checker.
//! `cargo run --release -p roster --example curtois -- SECONDS SEED INSTANCE.txt...`
//! With `EPOCHS=N` in the environment every run stops after N epochs (machine-independent,
//! for comparing changes to the search on a busy machine). With `OUT=DIR` each roster is
//! written to DIR/INSTANCE.csv. With `INIT=ROSTER.csv` the search starts from that roster
//! (same format as the output) instead of constructing one.
//! An example is a caller: it reads files and the environment and prints, which the
//! crate itself may not (`clippy.toml`).
#![allow(clippy::disallowed_methods, clippy::disallowed_macros)]

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let seconds: f64 = args.first().and_then(|s| s.parse().ok()).unwrap_or(5.0);
    let seed: u64 = args.get(1).and_then(|s| s.parse().ok()).unwrap_or(1);
    for path in &args[2..] {
        let text = std::fs::read_to_string(path).expect("readable instance");
        let p = roster::curtois::parse_instance(path, &text).expect("valid instance");
        let initial = std::env::var("INIT").ok().map(|f| {
            let text = std::fs::read_to_string(f).expect("readable INIT roster");
            roster::curtois::parse_roster(&p, &text).expect("valid INIT roster")
        });
        let opts = roster::solve::SolveOptions {
            initial,
            seconds,
            seed,
            max_epochs: std::env::var("EPOCHS").ok().and_then(|e| e.parse().ok()),
            ..Default::default()
        };
        let r = roster::solve::solve(&p, &opts).expect("valid problem");
        let checked = r.roster.as_ref().map(|x| roster::check(&p, x));
        if let (Ok(dir), Some(x)) = (std::env::var("OUT"), r.roster.as_ref()) {
            let name = std::path::Path::new(path).file_stem().expect("file name");
            let out = std::path::Path::new(&dir).join(name).with_extension("csv");
            std::fs::write(out, roster::curtois::write_roster(&p, x)).expect("writable OUT");
        }
        println!(
            "{path}: objective {:?} feasible {} checker {:?} viol {:?} epochs {} iters {} {:.1}s cover {:?}",
            r.objective,
            r.feasible,
            checked.as_ref().map(|c| c.score.total),
            checked.as_ref().map(|c| c.violations.len()),
            r.epochs,
            r.iterations,
            r.seconds,
            checked.as_ref().map(|c| c.score.cover)
        );
    }
}
