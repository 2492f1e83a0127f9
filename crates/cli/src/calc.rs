//! `urenwinst calc` (owned by the income work; replaced when the engine lands).

#[derive(clap::Args)]
pub struct CalcArgs {
    /// JSON input file; reads standard input when absent.
    pub file: Option<std::path::PathBuf>,
}

pub fn run(_args: CalcArgs) -> anyhow::Result<()> {
    anyhow::bail!("calc: engine not wired yet")
}
