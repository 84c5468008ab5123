//! The short runs of the fuzz targets under `cargo test` (CI has no coverage-guided fuzzer): each
//! target gets its committed seed corpus (`fuzz/corpus/<target>/`), then inputs mutated from it
//! by a small deterministic mutator (bit flips, boundary bytes and numbers, cut, copied and
//! spliced ranges) for a few seconds. A failing input is kept in `target/quick-fuzz-failures/`
//! and shown in hex in the test's failure, so it can be replayed and kept as a regression test;
//! `target/quick-fuzz-runs/` says how many executions each run made.

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

/// How long each target runs in a quick run, unless `CHARTKEEP_QUICK_FUZZ_SECONDS` says.
const DEFAULT_SECONDS: f64 = 3.0;

/// The committed corpus folder of the workspace.
pub fn corpus_folder() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../fuzz/corpus")
}

/// Where the seeds' writers write: fuzz/corpus when `CHARTKEEP_WRITE_FUZZ_SEEDS` is set
/// (`scripts/fuzz --seeds`), otherwise `scratch`, where the tests check what they write.
pub fn seeds_folder(scratch: &Path) -> PathBuf {
    match std::env::var_os("CHARTKEEP_WRITE_FUZZ_SEEDS") {
        Some(_) => corpus_folder(),
        None => scratch.to_owned(),
    }
}

/// The committed seeds of `target`, sorted by file name.
pub fn seeds(target: &str) -> Vec<Vec<u8>> {
    seeds_in(&corpus_folder(), target)
}

/// The seeds of `target` in `corpus`, sorted by file name.
pub fn seeds_in(corpus: &Path, target: &str) -> Vec<Vec<u8>> {
    let folder = corpus.join(target);
    let mut files: Vec<PathBuf> = std::fs::read_dir(&folder)
        .map(|entries| entries.flatten().map(|entry| entry.path()).filter(|path| path.is_file()).collect())
        .unwrap_or_default();
    files.sort();
    files.into_iter().filter_map(|path| std::fs::read(path).ok()).collect()
}

/// What a quick run did.
#[derive(Debug, Clone, Copy)]
pub struct QuickRun {
    pub executions: u64,
    pub elapsed: Duration,
}

/// A small xorshift generator: the same sequence on every run.
#[derive(Debug)]
struct Random(u64);

impl Random {
    fn next(&mut self) -> u64 {
        let mut x = self.0;
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        self.0 = x;
        x.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }

    fn below(&mut self, n: usize) -> usize {
        if n == 0 { 0 } else { (self.next() % n as u64) as usize }
    }
}

const BYTES: &[u8] = b"\x00\x01\x7f\x80\xff\"{}[],:\n\r\\-.0123456789eE/ aZ";
const NUMBERS: &[&str] = &[
    "0",
    "-1",
    "1",
    "255",
    "4294967295",
    "4294967296",
    "9223372036854775807",
    "-9223372036854775808",
    "18446744073709551615",
    "99999999999999999999",
    "1e309",
    "0.5",
    "null",
    "\"\"",
    "[]",
    "{}",
];

fn mutate(input: &[u8], seeds: &[Vec<u8>], random: &mut Random) -> Vec<u8> {
    let mut data = input.to_vec();
    for _ in 0..=random.below(4) {
        let len = data.len();
        match random.below(9) {
            0 if len > 0 => {
                let at = random.below(len);
                data[at] ^= 1 << random.below(8);
            }
            1 if len > 0 => {
                let at = random.below(len);
                data[at] = BYTES[random.below(BYTES.len())];
            }
            2 if len > 0 => {
                let start = random.below(len);
                let end = (start + 1 + random.below(16)).min(len);
                data.drain(start..end);
            }
            3 if len > 0 => {
                let start = random.below(len);
                let end = (start + 1 + random.below(64)).min(len);
                let copied = data[start..end].to_vec();
                let at = random.below(len + 1);
                data.splice(at..at, copied);
            }
            4 => {
                let at = random.below(len + 1);
                let inserted: Vec<u8> = (0..1 + random.below(8)).map(|_| BYTES[random.below(BYTES.len())]).collect();
                data.splice(at..at, inserted);
            }
            5 if len > 0 => data.truncate(random.below(len)),
            6 => {
                // A run of digits becomes a boundary number (or something that is not one).
                let digits: Vec<usize> = (0..len).filter(|at| data[*at].is_ascii_digit()).collect();
                if !digits.is_empty() {
                    let start = digits[random.below(digits.len())];
                    let end = (start..len).find(|at| !data[*at].is_ascii_digit()).unwrap_or(len);
                    data.splice(start..end, NUMBERS[random.below(NUMBERS.len())].bytes());
                }
            }
            7 if !seeds.is_empty() => {
                let other = &seeds[random.below(seeds.len())];
                let cut = random.below(len + 1);
                let from = random.below(other.len() + 1);
                data.truncate(cut);
                data.extend_from_slice(&other[from..]);
            }
            _ => {
                // Two bytes change places.
                if len > 2 {
                    let at = random.below(len);
                    let to = random.below(len);
                    data.swap(at, to);
                }
            }
        }
    }
    data
}

fn budget() -> Duration {
    let seconds = std::env::var("CHARTKEEP_QUICK_FUZZ_SECONDS")
        .ok()
        .and_then(|text| text.parse::<f64>().ok())
        .filter(|seconds| seconds.is_finite() && *seconds >= 0.0)
        .unwrap_or(DEFAULT_SECONDS);
    Duration::from_secs_f64(seconds)
}

/// The folder beside the workspace's sources where quick runs leave what they found and did.
fn results_folder(kind: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../target").join(kind)
}

/// Keeps a failing input (named by its FNV-1a hash) and says where, what it is, and what failed.
fn failure_report(name: &str, input: &[u8], panic: &(dyn std::any::Any + Send)) -> String {
    let folder = results_folder("quick-fuzz-failures");
    let _ = std::fs::create_dir_all(&folder);
    let hash = input.iter().fold(0xcbf2_9ce4_8422_2325_u64, |h, b| (h ^ u64::from(*b)).wrapping_mul(0x100_0000_01b3));
    let path = folder.join(format!("{name}-{hash:016x}"));
    let _ = std::fs::write(&path, input);
    let said = panic
        .downcast_ref::<String>()
        .map(String::as_str)
        .or_else(|| panic.downcast_ref::<&str>().copied())
        .unwrap_or("(no message)");
    format!(
        "quick fuzz run of {name} failed: {said}\ninput ({} bytes) kept in {}: {}",
        input.len(),
        path.display(),
        hex::encode(input)
    )
}

/// Runs `target` on every seed, then on mutated seeds until the time budget is spent or
/// `max_executions` ran. Panics (with the input saved) when the target does.
pub fn run(name: &str, seeds: &[Vec<u8>], max_executions: u64, target: impl Fn(&[u8])) -> QuickRun {
    let started = Instant::now();
    let budget = budget();
    let mut random =
        Random(0x9e37_79b9_7f4a_7c15 ^ name.bytes().fold(0u64, |h, b| h.wrapping_mul(31).wrapping_add(u64::from(b))));
    let mut executions = 0u64;
    let one = |input: &[u8]| {
        let outcome = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| target(input)));
        if let Err(panic) = outcome {
            panic!("{}", failure_report(name, input, panic.as_ref()));
        }
    };
    for seed in seeds {
        one(seed);
        executions += 1;
    }
    let empty = [Vec::new()];
    let pool: &[Vec<u8>] = if seeds.is_empty() { &empty } else { seeds };
    while started.elapsed() < budget && executions < max_executions {
        let base = &pool[random.below(pool.len())];
        let input = mutate(base, pool, &mut random);
        one(&input);
        executions += 1;
    }
    let run = QuickRun { executions, elapsed: started.elapsed() };
    // What each run did, for the record (`cargo test` shows no output of a passing test).
    let folder = results_folder("quick-fuzz-runs");
    let _ = std::fs::create_dir_all(&folder);
    let line = format!("{name}: {} executions in {:.1} s\n", run.executions, run.elapsed.as_secs_f64());
    let _ = std::fs::write(folder.join(name), line);
    run
}
