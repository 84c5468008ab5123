//! `chartkeep-admin`: set up, inspect and recover a practice's vault from the command line.
//!
//! Secrets are read from standard input only (`--password-stdin`, `--recovery-key-stdin`), never
//! from arguments. Exit status 0 means success; any failure prints one plain line and exits 1.

mod backup;
#[cfg(feature = "bench")]
mod bench;
mod commands;
#[cfg(feature = "bench")]
mod developer;
mod import;
mod progress;
#[cfg(feature = "bench")]
mod seed;
mod stdin_lines;

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand};

#[derive(Debug, Parser)]
#[command(name = "chartkeep-admin", version, about = "Administer a Chartkeep practice vault")]
struct Cli {
    /// The practice's data folder (default: the OS's per-user data folder for Chartkeep).
    #[arg(long, global = true, env = "CHARTKEEP_DATA_DIR")]
    data_dir: Option<PathBuf>,

    /// Print the result as JSON.
    #[arg(long, global = true)]
    json: bool,

    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Create a practice and its owner; prints the recovery key once.
    Init {
        #[arg(long)]
        practice: String,
        #[arg(long)]
        owner_username: String,
        #[arg(long)]
        owner_name: String,
        /// Read the owner's password from the first line of standard input.
        #[arg(long, required = true)]
        password_stdin: bool,
        /// Also write the Recovery Kit PDF to this file.
        #[arg(long)]
        recovery_kit: Option<PathBuf>,
        /// For demo practices only: no role starts out requiring two-step sign-in (the owner
        /// can require it later under Settings).
        #[arg(long)]
        without_second_factor_policy: bool,
        /// The owner also sees patients (holds the Clinician role too), as in a small practice.
        #[arg(long)]
        owner_is_clinician: bool,
    },
    /// Show the vault id, key slots, keyring state and schema version.
    Status {
        /// Also open the vault with this password (first line of standard input).
        #[arg(long)]
        password_stdin: bool,
        #[arg(long)]
        username: Option<String>,
    },
    /// Work with the audit trail.
    Audit {
        #[command(subcommand)]
        command: AuditCommand,
    },
    /// Rotate the database key: every page is re-encrypted under a new key, so a copy of the
    /// key-slot file or of the key made before opens nothing from then on. Signs in as the Owner
    /// with the password on standard input.
    Rekey {
        #[arg(long, required = true)]
        password_stdin: bool,
        #[arg(long)]
        username: Option<String>,
    },
    /// Regain access with the recovery key (first stdin line); the owner's new password follows
    /// on the second line.
    Recover {
        #[arg(long, required = true)]
        recovery_key_stdin: bool,
    },
    /// Encrypted backups: make one, verify one, restore one.
    Backup {
        #[command(subcommand)]
        command: BackupCommand,
    },
    /// Import from a file. Signs in with the password on standard input (then the two-step
    /// code on the next line when the account has one).
    Import {
        #[command(subcommand)]
        command: ImportCommand,
    },
    /// Developer builds only (feature `bench`): synthetic practices and benchmarks.
    #[cfg(feature = "bench")]
    #[command(flatten)]
    Developer(developer::DeveloperCommand),
}

#[derive(Debug, Subcommand)]
enum BackupCommand {
    /// Back up into a folder, then verify the backup. Signs in as an Owner with the password
    /// on standard input (then the two-step code when the account has one).
    Create {
        #[arg(long)]
        out: PathBuf,
        #[arg(long, required = true)]
        password_stdin: bool,
        #[arg(long)]
        username: Option<String>,
    },
    /// Verify a backup: with an Owner's password on this practice, or with the recovery key
    /// (or a further recipient's key) anywhere. Exit status 0 only when every check passes.
    Verify {
        file: PathBuf,
        #[arg(long, conflicts_with = "recovery_key_stdin", required_unless_present = "recovery_key_stdin")]
        password_stdin: bool,
        #[arg(long)]
        recovery_key_stdin: bool,
        #[arg(long)]
        username: Option<String>,
    },
    /// Restore a backup. The recovery key is the first line of standard input. Where the
    /// practice is ready on this PC, an Owner's password follows and the database is replaced
    /// in place (the old one is kept, encrypted); on a new PC the Owner's new password follows.
    Restore {
        file: PathBuf,
        #[arg(long, required = true)]
        recovery_key_stdin: bool,
        /// The Owner who signs in for a restore in place (default: the practice's owner).
        #[arg(long)]
        username: Option<String>,
    },
}

#[derive(Debug, Subcommand)]
enum ImportCommand {
    /// Patients from a CSV file (UTF-8, with or without BOM), mapped by a saved mapping or the
    /// built-in `synthea` preset. All valid rows are imported in one transaction, or none.
    Patients {
        file: PathBuf,
        #[arg(long)]
        mapping: String,
        /// Only check the file: print every invalid row and probable duplicate, import nothing.
        #[arg(long)]
        dry_run: bool,
        /// Import the valid rows even if some are invalid (those are left out).
        #[arg(long)]
        skip_invalid_rows: bool,
        #[arg(long, required = true)]
        password_stdin: bool,
        /// Sign in as this user (default: the practice's owner).
        #[arg(long)]
        username: Option<String>,
    },
}

#[derive(Debug, Subcommand)]
enum AuditCommand {
    /// Verify the whole audit chain; exit status 0 only when it verifies. Reads the password,
    /// then the two-step sign-in code on the next line when the account has a second factor.
    Verify {
        #[arg(long, required = true)]
        password_stdin: bool,
        /// Sign in as this user (default: the practice's owner).
        #[arg(long)]
        username: Option<String>,
    },
}

fn main() -> ExitCode {
    chartkeep_vault::restrict_new_files_to_owner();
    let cli = Cli::parse();
    let data_dir = match &cli.data_dir {
        Some(path) => chartkeep_vault::DataDir::at(path),
        None => match chartkeep_vault::DataDir::from_environment() {
            Ok(data_dir) => data_dir,
            Err(error) => return commands::fail(&error.to_string(), cli.json),
        },
    };
    let progress = progress::Progress::for_this_run(cli.json);
    let output = match cli.command {
        Command::Init {
            practice,
            owner_username,
            owner_name,
            recovery_kit,
            without_second_factor_policy,
            owner_is_clinician,
            ..
        } => {
            let request = commands::InitRequest {
                practice: &practice,
                username: &owner_username,
                owner_name: &owner_name,
                kit: recovery_kit.as_deref(),
                without_second_factor_policy,
                owner_is_clinician,
            };
            commands::init(&data_dir, &request)
        }
        Command::Status { password_stdin, username } => {
            commands::status(&data_dir, password_stdin, username.as_deref())
        }
        Command::Audit { command: AuditCommand::Verify { username, .. } } => {
            commands::audit_verify(&data_dir, username.as_deref())
        }
        Command::Recover { .. } => commands::recover(&data_dir),
        Command::Rekey { username, .. } => commands::rekey(&data_dir, username.as_deref(), progress),
        Command::Import {
            command: ImportCommand::Patients { file, mapping, dry_run, skip_invalid_rows, username, .. },
        } => {
            let request = import::ImportRequest {
                file: &file,
                mapping: &mapping,
                dry_run,
                skip_invalid_rows,
                username: username.as_deref(),
            };
            import::import_patients(&data_dir, &request, progress)
        }
        Command::Backup { command: BackupCommand::Create { out, username, .. } } => {
            backup::create(&data_dir, &out, username.as_deref(), progress)
        }
        Command::Backup { command: BackupCommand::Verify { file, recovery_key_stdin, username, .. } } => {
            backup::verify(&data_dir, &file, recovery_key_stdin, username.as_deref(), progress)
        }
        Command::Backup { command: BackupCommand::Restore { file, username, .. } } => {
            backup::restore(&data_dir, &file, username.as_deref(), progress)
        }
        #[cfg(feature = "bench")]
        Command::Developer(command) => developer::run(command, &data_dir, progress),
    };
    match output {
        Ok(report) => commands::succeed(&report, cli.json),
        Err(failure) => commands::fail_with(&failure, cli.json),
    }
}
