//! `urenwinst calc`: the WerkUrenBerekenaar on the command line. Reads one JSON
//! document (the `income::CalcInput` shape) from a file or standard input and writes
//! the result as JSON on standard output. Invalid input is written as
//! `{"error": {"field", "code", "message"}}` and the command exits with status 2.
//! Nothing entered is logged.

use std::io::Read;

use anyhow::Context;

#[derive(clap::Args)]
pub struct CalcArgs {
    /// JSON input file; reads standard input when absent.
    pub file: Option<std::path::PathBuf>,
    /// Write the 0–40 hours curve with its cliffs instead of the scenarios.
    #[arg(long)]
    pub curve: bool,
    /// Write the example households (voorbeeldscenario's) and ignore any input.
    #[arg(long)]
    pub examples: bool,
}

pub fn run(args: CalcArgs) -> anyhow::Result<()> {
    let book = income::RuleBook::embedded().context("rule files are invalid")?;
    if args.examples {
        println!("{}", serde_json::to_string_pretty(&income::examples())?);
        return Ok(());
    }
    let text = match &args.file {
        Some(path) => std::fs::read_to_string(path)
            .with_context(|| format!("cannot read {}", path.display()))?,
        None => {
            let mut s = String::new();
            std::io::stdin()
                .read_to_string(&mut s)
                .context("cannot read standard input")?;
            s
        }
    };
    let result = income::CalcInput::from_json(&text).and_then(|input| {
        if args.curve {
            book.curve(&input)
                .map(|c| serde_json::to_value(c).unwrap_or_default())
        } else {
            book.calculate(&input)
                .map(|c| serde_json::to_value(c).unwrap_or_default())
        }
    });
    match result {
        Ok(value) => {
            println!("{}", serde_json::to_string_pretty(&value)?);
            Ok(())
        }
        Err(e) => {
            // The error (field, code, Dutch message) is the result: JSON on standard
            // output, a one-line summary on standard error, exit status 2.
            println!(
                "{}",
                serde_json::to_string_pretty(&serde_json::json!({ "error": e }))?
            );
            eprintln!("urenwinst calc: {e}");
            std::process::exit(2)
        }
    }
}
