-- Owners (issue 14, item 6): runs, studies and models belong to the gateway API key that submitted them (its
-- name, the gateway's security principal). Only that key, or one with the admin role, may cancel a run or study or
-- publish a new version of a model. Rows recorded before this migration have owner NULL: nobody owns them, so any
-- key with the train role may cancel them or publish into them (and a model then belongs to the key that published
-- its next version). ls_runs and study_overview gain owner as their last column (CREATE OR REPLACE VIEW may only
-- add columns at the end; their other columns, comments and grants stay as V4-V7 left them).

ALTER TABLE run ADD COLUMN owner text;
COMMENT ON COLUMN run.owner IS 'Name of the gateway API key that submitted the run (a trial: its study''s, from vision.train.requests); only it or an admin key may cancel the run. NULL for runs recorded before owners were.';

ALTER TABLE study ADD COLUMN owner text;
ALTER TABLE study ADD COLUMN owner_is_admin boolean NOT NULL DEFAULT false;
COMMENT ON COLUMN study.owner IS 'Name of the gateway API key that submitted the study (vision.tune.requests); every trial''s run carries it, and only it or an admin key may cancel the study. NULL for studies recorded before owners were.';
COMMENT ON COLUMN study.owner_is_admin IS 'The owner''s key held the admin role when it submitted the study: its trials may publish over models other keys own.';

ALTER TABLE model ADD COLUMN owner text;
COMMENT ON COLUMN model.owner IS 'Name of the API key whose run published this version (its model card''s owner). The owner of a model id''s latest version owns the model id. NULL for versions published before owners were recorded.';
-- One key's runs (WHERE owner = ..., the "runs-of-a-key" query in docs/sql.md) are found through this index.
CREATE INDEX run_owner_idx ON run (owner);

CREATE OR REPLACE VIEW ls_runs AS
WITH measured AS (
    SELECT r.run_id,
           r.study_id,
           r.trial_index,
           r.status,
           -- tfruns semantics: metric_loss/metric_accuracy are the last epoch's training figures.
           last_epoch.loss                                        AS metric_loss,
           last_epoch.accuracy                                    AS metric_accuracy,
           COALESCE(r.val_loss, last_epoch.val_loss)              AS metric_val_loss,
           COALESCE(r.val_accuracy, last_epoch.val_accuracy)      AS metric_val_accuracy,
           r.test_loss                                            AS metric_test_loss,
           r.test_accuracy                                        AS metric_test_accuracy,
           r.dataset                                              AS flag_dataset,
           r.spec -> 'classes'                                    AS flag_classes,
           r.train_size                                           AS flag_train_size,
           r.test_size                                            AS flag_test_size,
           r.spec ->> 'sampling'                                  AS flag_sampling,
           r.image_size                                           AS flag_image_size,
           r.spec ->> 'preprocessing'                             AS flag_preprocessing,
           r.backbone                                             AS flag_backbone,
           r.weights                                              AS flag_weights,
           r.freeze_backbone                                      AS flag_freeze,
           r.pooling                                              AS flag_pooling,
           r.dense_units                                          AS flag_dense_units,
           r.dropout                                              AS flag_dropout,
           r.optimizer                                            AS flag_optimizer,
           r.learning_rate                                        AS flag_learning_rate,
           (r.spec ->> 'momentum')::double precision              AS flag_momentum,
           r.epochs                                               AS flag_epochs,
           r.batch_size                                           AS flag_batch_size,
           r.validation_split                                     AS flag_validation_split,
           r.seed                                                 AS flag_seed,
           (r.spec ->> 'augmentFlip')::boolean                    AS flag_augment_flip,
           (r.spec ->> 'augmentShift')::double precision          AS flag_augment_shift,
           (r.spec ->> 'earlyStoppingPatience')::integer          AS flag_early_stopping_patience,
           (r.spec ->> 'fineTuneEpochs')::integer                 AS flag_fine_tune_epochs,
           (r.spec ->> 'fineTuneLearningRate')::double precision  AS flag_fine_tune_learning_rate,
           COALESCE(r.spec ->> 'batchNorm',
                    CASE WHEN r.backbone LIKE 'run:%' OR r.backbone LIKE 'torchscript:%' OR r.weights = 'imagenet'
                         THEN 'frozen' ELSE 'train' END)          AS flag_batch_norm,
           r.epochs_completed,
           r.model_id,
           r.model_version,
           r.device,
           r.error_message,
           r.submitted_at,
           r.started_at,
           r.finished_at,
           r.duration_ms,
           r.owner,
           s.objective_metric,
           s.objective_direction
    FROM run r
    LEFT JOIN study s ON s.study_id = r.study_id
    LEFT JOIN LATERAL (
        SELECT e.loss, e.accuracy, e.val_loss, e.val_accuracy
        FROM run_epoch e
        WHERE e.run_id = r.run_id
        ORDER BY e.epoch DESC
        LIMIT 1
    ) last_epoch ON true
), scored AS (
    SELECT m.*,
           CASE m.objective_metric
               WHEN 'val_accuracy' THEN m.metric_val_accuracy
               WHEN 'val_loss' THEN m.metric_val_loss
               WHEN 'test_accuracy' THEN m.metric_test_accuracy
               WHEN 'test_loss' THEN m.metric_test_loss
               WHEN 'accuracy' THEN m.metric_accuracy
               WHEN 'loss' THEN m.metric_loss
           END AS objective_value
    FROM measured m
), eligible AS (
    -- Only finished, successful runs compete: the best run of a study must not change while runs are half-way.
    SELECT s.*, (s.status = 'SUCCEEDED' AND s.objective_value IS NOT NULL) AS ranked
    FROM scored s
)
SELECT e.run_id,
       e.study_id,
       e.trial_index,
       e.status,
       CASE WHEN e.ranked THEN row_number() OVER (
           PARTITION BY e.study_id, e.ranked
           ORDER BY CASE WHEN e.objective_direction = 'minimize' THEN e.objective_value ELSE -e.objective_value END,
                    e.trial_index, e.run_id)
       END AS study_rank,
       e.objective_value,
       e.metric_loss, e.metric_accuracy, e.metric_val_loss, e.metric_val_accuracy, e.metric_test_loss,
       e.metric_test_accuracy,
       e.flag_dataset, e.flag_classes, e.flag_train_size, e.flag_test_size, e.flag_sampling, e.flag_image_size,
       e.flag_preprocessing, e.flag_backbone, e.flag_weights, e.flag_freeze, e.flag_pooling, e.flag_dense_units,
       e.flag_dropout, e.flag_optimizer, e.flag_learning_rate, e.flag_momentum, e.flag_epochs, e.flag_batch_size,
       e.flag_validation_split, e.flag_seed, e.flag_augment_flip, e.flag_augment_shift,
       e.flag_early_stopping_patience, e.flag_fine_tune_epochs, e.flag_fine_tune_learning_rate,
       e.epochs_completed, e.model_id, e.model_version, e.device, e.error_message,
       e.submitted_at, e.started_at, e.finished_at, e.duration_ms,
       e.flag_batch_norm,
       e.owner
FROM eligible e;


COMMENT ON COLUMN ls_runs.owner IS 'Name of the gateway API key that submitted the run (NULL: recorded before owners were).';

CREATE OR REPLACE VIEW study_overview AS
SELECT s.study_id,
       s.name,
       s.status,
       s.objective_metric,
       s.objective_direction,
       s.max_parallel,
       s.trial_count,
       counts.queued    AS runs_queued,
       counts.running   AS runs_running,
       counts.succeeded AS runs_succeeded,
       counts.failed    AS runs_failed,
       counts.cancelled AS runs_cancelled,
       best.run_id      AS best_run_id,
       best.objective_value AS best_value,
       s.created_at,
       s.finished_at,
       s.owner
FROM study s
CROSS JOIN LATERAL (
    SELECT count(*) FILTER (WHERE r.status = 'QUEUED')    AS queued,
           count(*) FILTER (WHERE r.status = 'RUNNING')   AS running,
           count(*) FILTER (WHERE r.status = 'SUCCEEDED') AS succeeded,
           count(*) FILTER (WHERE r.status = 'FAILED')    AS failed,
           count(*) FILTER (WHERE r.status = 'CANCELLED') AS cancelled
    FROM run r
    WHERE r.study_id = s.study_id
) counts
LEFT JOIN LATERAL (
    SELECT l.run_id, l.objective_value FROM ls_runs l WHERE l.study_id = s.study_id AND l.study_rank = 1
) best ON true;

COMMENT ON COLUMN study_overview.owner IS 'Name of the gateway API key that submitted the study (NULL: recorded before owners were).';
