//! `urenwinst roster …` (owned by the roster work; replaced when the engine lands).

#[derive(clap::Subcommand)]
pub enum RosterCommand {
    /// Check a roster against an instance.
    Check {
        instance: std::path::PathBuf,
        roster: std::path::PathBuf,
    },
}

pub fn run(_cmd: RosterCommand) -> anyhow::Result<()> {
    anyhow::bail!("roster: engine not wired yet")
}
