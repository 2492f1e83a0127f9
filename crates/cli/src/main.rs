//! The one `urenwinst` binary: parses arguments, loads configuration, starts tracing and
//! dispatches to the crates that do the work. No business logic lives here.

mod calc;
mod roster;

use clap::{Parser, Subcommand};

#[derive(Parser)]
#[command(name = "urenwinst", version, about = "Urenwinst: contractuitbreiding in zorg en welzijn")]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// WerkUrenBerekenaar: read one JSON document (file or stdin), write the result as JSON.
    Calc(calc::CalcArgs),
    /// Roster tools: scan a roster export, solve or check a benchmark instance.
    #[command(subcommand)]
    Roster(roster::RosterCommand),
}

fn main() -> anyhow::Result<()> {
    let cli = Cli::parse();
    match cli.command {
        Command::Calc(args) => calc::run(args),
        Command::Roster(cmd) => roster::run(cmd),
    }
}
