//! The quick runs of the vault's fuzz targets (`make test`), and the seeds' writer.

use super::*;

/// Most executions a quick run makes, whatever its time budget.
const MAX_EXECUTIONS: u64 = 200_000;

fn committed(target: &str) -> Vec<Vec<u8>> {
    let seeds = quick::seeds(target);
    assert!(!seeds.is_empty(), "no seeds in fuzz/corpus/{target}: run `scripts/fuzz --seeds`");
    seeds
}

#[test]
fn quick_fuzz_backup_file() {
    let seeds = committed("backup_file");
    // The seeds are real backups: each opens with the recovery key and with the practice's key.
    let fixture = fixture();
    for seed in seeds.iter().filter(|seed| seed.first() == Some(&0)) {
        let folder = tempfile::tempdir().unwrap();
        let path = folder.path().join("seed.ckbackup");
        std::fs::write(&path, &seed[1..]).unwrap();
        open_backup(&path, BackupUnlock::Key(&fixture.recovery_key)).unwrap();
        open_backup(&path, BackupUnlock::Practice(&fixture.source)).unwrap();
    }
    quick::run("backup_file", &seeds, MAX_EXECUTIONS, backup_file);
}

#[test]
fn quick_fuzz_key_slots_file() {
    let seeds = committed("key_slots_file");
    for seed in &seeds {
        KeySlots::parse(seed).unwrap();
    }
    quick::run("key_slots_file", &seeds, MAX_EXECUTIONS, key_slots_file);
}

#[test]
fn quick_fuzz_keyring_entry() {
    let seeds = committed("keyring_entry");
    for seed in &seeds {
        decode_entry(std::str::from_utf8(seed).unwrap()).unwrap();
    }
    quick::run("keyring_entry", &seeds, MAX_EXECUTIONS, keyring_entry);
}

/// A fuzz target's body.
type Target = fn(&[u8]);

/// The seeds' writer runs the real writers; every seed it writes is taken by its target.
#[test]
fn the_seeds_writer_writes_seeds_each_target_takes() {
    let scratch = tempfile::tempdir().unwrap();
    let corpus = quick::seeds_folder(scratch.path());
    write_seeds(&corpus).unwrap();
    let targets: [(&str, Target); 3] =
        [("backup_file", backup_file), ("key_slots_file", key_slots_file), ("keyring_entry", keyring_entry)];
    for (target, run) in targets {
        let seeds = quick::seeds_in(&corpus, target);
        assert!(seeds.len() >= 2, "{target} has seeds");
        seeds.iter().for_each(|seed| run(seed));
    }
}
