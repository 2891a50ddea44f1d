-- Models announced on vision.models, for GET /api/v1/models and for SQL.

CREATE TABLE model (
    model_id        text NOT NULL,
    version         integer NOT NULL CHECK (version >= 1),
    run_id          text,
    dataset         text,
    backbone        text,
    lineage         text,
    location        text,
    test_accuracy   double precision,
    card            jsonb NOT NULL,
    created_at      timestamptz,
    recorded_at     timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (model_id, version)
);
CREATE INDEX model_run_idx ON model (run_id);

COMMENT ON TABLE model IS 'Every model version published to the model store (vision.models): one row per model id and version; a redelivered announcement overwrites its row.';
COMMENT ON COLUMN model.model_id IS 'The model id (what classify requests name).';
COMMENT ON COLUMN model.version IS 'Version within the model id; increases each time a run publishes into it.';
COMMENT ON COLUMN model.run_id IS 'The training run that produced this version (run.run_id).';
COMMENT ON COLUMN model.dataset IS 'The data set the version was trained on (from its spec).';
COMMENT ON COLUMN model.backbone IS 'The backbone of the version (from its spec).';
COMMENT ON COLUMN model.lineage IS 'Where the backbone''s weights came from: imagenet:<arch>, run:<id>, random...';
COMMENT ON COLUMN model.location IS 'The version''s folder, relative to the model store root.';
COMMENT ON COLUMN model.test_accuracy IS 'Accuracy in [0, 1] on the test images, from the model card.';
COMMENT ON COLUMN model.card IS 'The whole model card as announced (ModelPublished JSON: spec, class names, metrics, lineage).';
COMMENT ON COLUMN model.created_at IS 'When the trainer wrote the version to the store.';
COMMENT ON COLUMN model.recorded_at IS 'When the tuner recorded the announcement.';
