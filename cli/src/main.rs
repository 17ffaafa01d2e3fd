//! `health-binder`: Health Binder's rules on the command line.
//!
//! `health-binder reconcile --current FILE --new FILE [--allergies FILE]` reads one medication
//! (or allergy) per line and prints a JSON array with one object per input line: `line`, `side`,
//! `ingredients`, `status`, `flags`, `changes`, `notes` (see `core::reconcile`).

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::{Parser, Subcommand};
use health_binder_core::reconcile::reconcile;

/// A medication list is a few dozen lines; anything this large is the wrong file.
const MAX_LIST_BYTES: u64 = 1024 * 1024;

#[derive(Parser)]
#[command(name = "health-binder", version, about = "Health Binder's rules on the command line")]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Reconciles a current medication list against new orders, line by line.
    Reconcile {
        /// The medications the patient takes now, one per line.
        #[arg(long)]
        current: PathBuf,
        /// The new orders (the whole list from now on), one per line.
        #[arg(long)]
        new: PathBuf,
        /// Recorded allergies, one substance or drug class per line.
        #[arg(long)]
        allergies: Option<PathBuf>,
    },
}

fn read_lines(path: &Path) -> Result<String, String> {
    let shown = path.display();
    let size = std::fs::metadata(path).map_err(|e| format!("cannot read {shown}: {e}"))?.len();
    if size > MAX_LIST_BYTES {
        return Err(format!("{shown} is {size} bytes; a medication list should be under {MAX_LIST_BYTES}"));
    }
    let bytes = std::fs::read(path).map_err(|e| format!("cannot read {shown}: {e}"))?;
    String::from_utf8(bytes).map_err(|_| format!("{shown} is not UTF-8 text"))
}

fn run(cli: Cli) -> Result<String, String> {
    match cli.command {
        Command::Reconcile { current, new, allergies } => {
            let current = read_lines(&current)?;
            let new = read_lines(&new)?;
            let allergies = allergies.as_deref().map(read_lines).transpose()?.unwrap_or_default();
            let (current, new, allergies): (Vec<&str>, Vec<&str>, Vec<&str>) =
                (current.lines().collect(), new.lines().collect(), allergies.lines().collect());
            let results = reconcile(&current, &new, &allergies);
            serde_json::to_string_pretty(&results).map_err(|e| e.to_string())
        }
    }
}

fn main() -> ExitCode {
    match run(Cli::parse()) {
        Ok(json) => {
            println!("{json}");
            ExitCode::SUCCESS
        }
        Err(problem) => {
            eprintln!("health-binder: {problem}");
            ExitCode::from(2)
        }
    }
}
