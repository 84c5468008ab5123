//! Which backups to keep: the newest of each day for the last few days, of each week for the
//! last few weeks, of each month for the last few months (grandfather-father-son). A backup
//! whose verification failed is not kept, and the newest verified backup is always kept, so
//! rotation can never leave the practice without one.

use serde::{Deserialize, Serialize};
use time::OffsetDateTime;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct RetentionPolicy {
    pub daily: u32,
    pub weekly: u32,
    pub monthly: u32,
}

impl Default for RetentionPolicy {
    fn default() -> Self {
        RetentionPolicy { daily: 7, weekly: 4, monthly: 12 }
    }
}

/// A backup file still in the folder.
#[derive(Debug, Clone)]
pub struct KeptBackup {
    pub id: String,
    pub created_at: OffsetDateTime,
    /// `Some(true)` verified, `Some(false)` failed its verification, `None` not verified.
    pub verified: Option<bool>,
}

/// The ids of the backups to remove under `policy`.
pub fn backups_to_remove(backups: &[KeptBackup], policy: RetentionPolicy) -> Vec<String> {
    let mut verified: Vec<&KeptBackup> = backups.iter().filter(|backup| backup.verified == Some(true)).collect();
    verified.sort_by_key(|backup| std::cmp::Reverse(backup.created_at));
    let mut kept: Vec<&str> = Vec::new();
    let mut keep_newest_per = |count: u32, bucket: &dyn Fn(&KeptBackup) -> (i32, u32)| {
        let mut buckets: Vec<(i32, u32)> = Vec::new();
        for backup in &verified {
            let key = bucket(backup);
            if buckets.contains(&key) {
                continue;
            }
            if buckets.len() as u32 >= count {
                break;
            }
            buckets.push(key);
            kept.push(&backup.id);
        }
    };
    keep_newest_per(policy.daily, &|backup| (backup.created_at.year(), u32::from(backup.created_at.ordinal())));
    keep_newest_per(policy.weekly, &|backup| {
        let (year, week, _) = backup.created_at.to_iso_week_date();
        (year, u32::from(week))
    });
    keep_newest_per(policy.monthly, &|backup| {
        (backup.created_at.year(), u32::from(u8::from(backup.created_at.month())))
    });
    if let Some(newest) = verified.first() {
        kept.push(&newest.id);
    }
    backups
        .iter()
        .filter(|backup| match backup.verified {
            Some(true) => !kept.contains(&backup.id.as_str()),
            Some(false) => true,
            None => false,
        })
        .map(|backup| backup.id.clone())
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn daily_for(days: i64) -> Vec<KeptBackup> {
        let start = time::macros::datetime!(2026-11-25 18:30 UTC);
        (0..days)
            .map(|day| KeptBackup {
                id: format!("day-{day}"),
                created_at: start - time::Duration::days(day),
                verified: Some(true),
            })
            .collect()
    }

    #[test]
    fn a_year_of_daily_backups_keeps_seven_days_four_weeks_and_twelve_months() {
        let backups = daily_for(400);
        let removed = backups_to_remove(&backups, RetentionPolicy::default());
        let kept: Vec<&str> =
            backups.iter().map(|b| b.id.as_str()).filter(|id| !removed.iter().any(|r| r == id)).collect();
        for day in 0..7 {
            assert!(kept.contains(&format!("day-{day}").as_str()), "day {day}");
        }
        assert!(kept.len() <= 7 + 4 + 12, "{} kept: {kept:?}", kept.len());
        assert!(kept.len() >= 12, "{} kept", kept.len());
        assert!(!kept.contains(&"day-399"), "the oldest goes");
    }

    #[test]
    fn the_only_verified_backup_is_never_removed_and_failed_ones_go() {
        let mut backups = daily_for(1);
        backups.push(KeptBackup { id: "failed".into(), created_at: backups[0].created_at, verified: Some(false) });
        backups.push(KeptBackup { id: "unverified".into(), created_at: backups[0].created_at, verified: None });
        let policy = RetentionPolicy { daily: 1, weekly: 0, monthly: 0 };
        assert_eq!(backups_to_remove(&backups, policy), ["failed"]);
        let only_old = vec![KeptBackup {
            id: "old".into(),
            created_at: time::macros::datetime!(2020-01-01 0:00 UTC),
            verified: Some(true),
        }];
        assert!(backups_to_remove(&only_old, policy).is_empty());
    }
}
