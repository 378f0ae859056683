-- The scheduled breaks of a repeating shift (schedule/chains): each placed in every
-- occurrence at the same number of minutes after its start (none when not planned), so
-- that a break lies inside every occurrence whatever the clocks do. Written only with
-- their chain's row, whose triggers move the schedule's version.
CREATE TABLE shift_chain_breaks (
    company_id BIGINT NOT NULL REFERENCES companies(id),
    chain_id BIGINT NOT NULL REFERENCES shift_chains(id),
    sort BIGINT NOT NULL,
    length_minutes BIGINT NOT NULL
        CONSTRAINT shift_chain_breaks_length_known CHECK (length_minutes BETWEEN 1 AND 1440),
    paid BIGINT NOT NULL CONSTRAINT shift_chain_breaks_paid_flag CHECK (paid IN (0, 1)),
    start_offset_minutes BIGINT
        CONSTRAINT shift_chain_breaks_offset_known CHECK (start_offset_minutes BETWEEN 0 AND 1439),
    PRIMARY KEY (company_id, chain_id, sort)
);
