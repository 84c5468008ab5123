//! Secrets arrive on standard input, one per line.

use std::io::BufRead;

use zeroize::Zeroizing;

/// Reads the next line of standard input without its line ending. A missing line is an error
/// that names what was expected.
pub fn next_line(
    lines: &mut impl Iterator<Item = std::io::Result<String>>,
    what: &str,
) -> Result<Zeroizing<String>, String> {
    match lines.next() {
        Some(Ok(line)) => Ok(Zeroizing::new(line.trim_end_matches(['\r', '\n']).to_owned())),
        Some(Err(error)) => Err(format!("Could not read the {what} from standard input: {error}")),
        None => Err(format!("Expected the {what} on standard input.")),
    }
}

pub fn stdin_lines() -> impl Iterator<Item = std::io::Result<String>> {
    std::io::stdin().lock().lines()
}
