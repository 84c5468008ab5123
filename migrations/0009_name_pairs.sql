-- Chartkeep schema 9: two-name search. Two common beginnings typed together ("ma jo") used to
-- be found by intersecting two long ranges of the token index and sorting what both held. Now
-- every pair of a patient's name tokens is kept once (the smaller token first), keyed by the
-- first two characters of each and stored in the order results are shown (family name, then
-- given names), so such a search reads one short range in that order and stops at a page of
-- results. Like the tokens, the pairs live only inside this encrypted database.
CREATE TABLE patient_name_pairs (
    -- The first two characters of each token, the smaller first: 'jo ma'.
    pair_key  TEXT NOT NULL,
    -- The family name, char(31) and the given names, as stored in patients: the results' order.
    sort_key  TEXT NOT NULL,
    number    INTEGER NOT NULL,
    token_a   TEXT NOT NULL,
    token_b   TEXT NOT NULL,
    PRIMARY KEY (pair_key, sort_key, number, token_a, token_b)
) STRICT, WITHOUT ROWID;

-- The pairs of the patients registered before, from their tokens as stored; new and changed
-- records write theirs with their other search keys (crates/clinic/src/patients/store/search.rs).
INSERT INTO patient_name_pairs (pair_key, sort_key, number, token_a, token_b)
SELECT substr(a.token, 1, 2) || ' ' || substr(b.token, 1, 2), p.family_name || char(31) || p.given_names,
       a.number, a.token, b.token
FROM patient_name_tokens a
JOIN patient_name_tokens b ON b.number = a.number AND b.token > a.token
JOIN patients p ON p.number = a.number
ORDER BY 1, 2, 3, 4, 5;
