//! The short runs of the fuzz targets under `cargo test` (CI has no coverage-guided fuzzer): each
//! target gets its committed seed corpus (`fuzz/corpus/<target>/`), then inputs mutated from it
//! by a small deterministic mutator (bit flips, boundary bytes and numbers, cut, copied and
//! spliced ranges) for a few seconds. A failing input is printed in hex and written beside the
//! test's target folder, so it can be replayed and kept as a regression test.

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

/// How long each target runs in a quick run, unless `CHARTKEEP_QUICK_FUZZ_SECONDS` says.
const DEFAULT_SECONDS: f64 = 3.0;

/// The committed corpus folder of the workspace.
pub fn corpus_folder() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../fuzz/corpus")
}

/// The committed seeds of `target`, sorted by file name.
pub fn seeds(target: &str) -> Vec<Vec<u8>> {
    let folder = corpus_folder().join(target);
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

fn report_failure(name: &str, input: &[u8]) {
    let folder = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../target/quick-fuzz-failures");
    let _ = std::fs::create_dir_all(&folder);
    let path = folder.join(format!("{name}-{:016x}", input.iter().fold(0xcbf2_9ce4_8422_2325_u64, |h, b| {
        (h ^ u64::from(*b)).wrapping_mul(0x100_0000_01b3)
    })));
    let _ = std::fs::write(&path, input);
    #[allow(clippy::print_stderr)]
    {
        eprintln!("quick fuzz run of {name} failed on {} ({} bytes): {}", path.display(), input.len(), hex::encode(input));
    }
}

/// Runs `target` on every seed, then on mutated seeds until the time budget is spent or
/// `max_executions` ran. Panics (with the input saved) when the target does.
pub fn run(name: &str, seeds: &[Vec<u8>], max_executions: u64, target: impl Fn(&[u8])) -> QuickRun {
    let started = Instant::now();
    let budget = budget();
    let mut random = Random(0x9e37_79b9_7f4a_7c15 ^ name.bytes().fold(0u64, |h, b| h.wrapping_mul(31).wrapping_add(u64::from(b))));
    let mut executions = 0u64;
    let one = |input: &[u8]| {
        let outcome = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| target(input)));
        if let Err(panic) = outcome {
            report_failure(name, input);
            std::panic::resume_unwind(panic);
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
    #[allow(clippy::print_stderr)]
    {
        eprintln!("quick fuzz run of {name}: {} executions in {:.1} s", run.executions, run.elapsed.as_secs_f64());
    }
    run
}
