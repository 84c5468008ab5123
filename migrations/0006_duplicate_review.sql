-- Chartkeep 6: what a record flagged for duplicate review resembles, so the Owner compares the
-- right two records (an existing patient, or the record made from an earlier row of the same
-- import).
ALTER TABLE patients ADD COLUMN probable_duplicate_of TEXT REFERENCES patients(id);

-- Records that survived a merge or were merged were reviewed; flags left on them are settled.
UPDATE patients SET needs_duplicate_review = 0
WHERE needs_duplicate_review = 1
  AND (merged_into IS NOT NULL OR id IN (SELECT survivor_id FROM patient_merges WHERE unmerged_at IS NULL));
