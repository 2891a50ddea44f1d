-- Tuning studies and their planned trials. The tuner keeps its whole dispatch state here (nothing in memory), so
-- a restarted tuner, or a second replica, carries on exactly where the plan stands: a trial is dispatched when
-- trial.dispatched_at is set, in flight while its run is QUEUED or RUNNING, done when its run is final.

CREATE TABLE study (
    study_id            text PRIMARY KEY,
    name                text,
    status              text NOT NULL CHECK (status IN ('RUNNING', 'COMPLETED', 'CANCELLED', 'REJECTED')),
    objective_metric    text NOT NULL DEFAULT 'val_accuracy'
                        CHECK (objective_metric IN ('val_accuracy', 'val_loss', 'test_accuracy', 'test_loss',
                                                    'accuracy', 'loss')),
    objective_direction text NOT NULL DEFAULT 'maximize' CHECK (objective_direction IN ('maximize', 'minimize')),
    max_parallel        integer NOT NULL DEFAULT 2 CHECK (max_parallel >= 1),
    trial_count         integer NOT NULL DEFAULT 0,
    search              text CHECK (search IN ('grid', 'random')),
    base_spec           jsonb,
    -- json, not jsonb: jsonb reorders keys, and a grid's flag order is its expansion order (first flag slowest).
    grid                json,
    random_search       json,
    rejection           jsonb,
    cancel_reason       text,
    correlation_id      text,
    submitted_at        timestamptz,
    planned_at          timestamptz,
    cancelled_at        timestamptz,
    finished_at         timestamptz,
    created_at          timestamptz NOT NULL DEFAULT now(),
    updated_at          timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX study_active_idx ON study (status) WHERE status IN ('RUNNING', 'CANCELLED');

COMMENT ON TABLE study IS 'Tuning studies (vision.tune.requests): a base spec, a flag grid or random search, the objective that ranks the runs, and where the study stands. Its runs are the rows of run (and ls_runs) with this study_id.';
COMMENT ON COLUMN study.study_id IS 'The study id (Kafka key of its tune request and of vision.tune.control messages).';
COMMENT ON COLUMN study.name IS 'A name given by the user, if any.';
COMMENT ON COLUMN study.status IS 'RUNNING (trials queued or in flight), COMPLETED (every trial ended), CANCELLED (queued trials never start) or REJECTED (the request broke the contract; see rejection).';
COMMENT ON COLUMN study.objective_metric IS 'The metric that ranks the runs: val_accuracy (default), val_loss, test_accuracy, test_loss, accuracy or loss (the ls_runs metric_* column of that name).';
COMMENT ON COLUMN study.objective_direction IS 'maximize or minimize the objective metric.';
COMMENT ON COLUMN study.max_parallel IS 'At most this many trials are in flight (dispatched, not yet ended) at once.';
COMMENT ON COLUMN study.trial_count IS 'How many trials the search space expanded into.';
COMMENT ON COLUMN study.search IS 'grid (every combination) or random (a seeded sample).';
COMMENT ON COLUMN study.base_spec IS 'The run spec every trial starts from, as JSON.';
COMMENT ON COLUMN study.grid IS 'The flag grid as sent: flag name to the values to try, in expansion order (first flag varies slowest).';
COMMENT ON COLUMN study.random_search IS 'The random search as sent: trials, seed and each flag''s value space.';
COMMENT ON COLUMN study.rejection IS 'For a REJECTED study: every violation as a JSON array of {path, message}.';
COMMENT ON COLUMN study.cancel_reason IS 'Why the study was cancelled, as given in its vision.tune.control message.';
COMMENT ON COLUMN study.correlation_id IS 'Correlation id of the HTTP call that submitted the study; every trial''s train request carries it.';
COMMENT ON COLUMN study.submitted_at IS 'When the study was submitted (from the tune request).';
COMMENT ON COLUMN study.planned_at IS 'When the tuner expanded the search space into trials; NULL for a rejected study or one cancelled before its request arrived.';
COMMENT ON COLUMN study.cancelled_at IS 'When the cancel request was recorded.';
COMMENT ON COLUMN study.finished_at IS 'When the last trial ended (COMPLETED studies).';
COMMENT ON COLUMN study.created_at IS 'When the tuner first recorded the study.';
COMMENT ON COLUMN study.updated_at IS 'Last time the study row changed.';

CREATE TABLE trial (
    study_id        text NOT NULL REFERENCES study (study_id) ON DELETE CASCADE,
    trial_index     integer NOT NULL CHECK (trial_index >= 0),
    run_id          text NOT NULL UNIQUE REFERENCES run (run_id) ON DELETE CASCADE,
    flags           jsonb NOT NULL,
    dispatched_at   timestamptz,
    cancel_sent_at  timestamptz,
    PRIMARY KEY (study_id, trial_index)
);
CREATE INDEX trial_undispatched_idx ON trial (study_id, trial_index) WHERE dispatched_at IS NULL;

COMMENT ON TABLE trial IS 'The planned trials of each study and their dispatch state. Every trial has its run row (status QUEUED) from the moment it is planned; the run id is fixed then, so a re-sent train request carries the same id.';
COMMENT ON COLUMN trial.trial_index IS '0-based position in the plan; trials are dispatched in this order.';
COMMENT ON COLUMN trial.run_id IS 'The run this trial is (run.run_id, Kafka key of its train messages).';
COMMENT ON COLUMN trial.flags IS 'The flags this trial varies and their values, as JSON.';
COMMENT ON COLUMN trial.dispatched_at IS 'When the broker acknowledged the trial''s train request; NULL while the trial waits for a free slot.';
COMMENT ON COLUMN trial.cancel_sent_at IS 'When a CANCEL for this in-flight run went to vision.train.control (cancelled studies only).';
