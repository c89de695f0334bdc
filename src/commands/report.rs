//! `thresh report DIR`: (re)build the report page, `DIR/index.html`, from a report folder.

use super::exit::Exit;
use crate::cli::ReportArgs;
use anyhow::Result;

pub fn run(args: ReportArgs) -> Result<Exit> {
    crate::report::page::write(&args.dir)?;
    if !args.quiet {
        eprintln!(
            "thresh: wrote {}",
            args.dir.join(crate::report::page::FILE).display()
        );
    }
    Ok(Exit::Success)
}
