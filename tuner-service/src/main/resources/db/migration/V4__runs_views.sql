-- SQL as a user interface: ls_runs is R tfruns' ls_runs() as a view (one row per run, flag_* and metric_*
-- columns), study_overview one row per study with its counts and best run. The HTTP API reads these same views,
-- so SQL and HTTP always rank alike.

CREATE VIEW ls_runs AS
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
           r.epochs_completed,
           r.model_id,
           r.model_version,
           r.device,
           r.error_message,
           r.submitted_at,
           r.started_at,
           r.finished_at,
           r.duration_ms,
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
       e.submitted_at, e.started_at, e.finished_at, e.duration_ms
FROM eligible e;

COMMENT ON VIEW ls_runs IS 'One row per training run in the layout of R tfruns'' ls_runs(): metric_* and flag_* columns, sortable by any of them. Runs of a study are ranked by the study''s objective (study_rank 1 = best); standalone runs have study_id NULL.';
COMMENT ON COLUMN ls_runs.run_id IS 'The run id.';
COMMENT ON COLUMN ls_runs.study_id IS 'The study of the run; NULL for a standalone run.';
COMMENT ON COLUMN ls_runs.trial_index IS '0-based position of the run in its study''s plan.';
COMMENT ON COLUMN ls_runs.status IS 'QUEUED, RUNNING, SUCCEEDED, FAILED or CANCELLED.';
COMMENT ON COLUMN ls_runs.study_rank IS 'Rank within the study by its objective, 1 = best; only SUCCEEDED runs with a value are ranked (ties go to the lower trial index).';
COMMENT ON COLUMN ls_runs.objective_value IS 'The run''s value of its study''s objective metric.';
COMMENT ON COLUMN ls_runs.metric_loss IS 'Training loss of the last epoch (as tfruns reports it).';
COMMENT ON COLUMN ls_runs.metric_accuracy IS 'Training accuracy in [0, 1] of the last epoch.';
COMMENT ON COLUMN ls_runs.metric_val_loss IS 'Validation loss of the last epoch.';
COMMENT ON COLUMN ls_runs.metric_val_accuracy IS 'Validation accuracy in [0, 1] of the last epoch.';
COMMENT ON COLUMN ls_runs.metric_test_loss IS 'Loss on the test images (finished runs).';
COMMENT ON COLUMN ls_runs.metric_test_accuracy IS 'Accuracy in [0, 1] on the test images (finished runs).';
COMMENT ON COLUMN ls_runs.flag_dataset IS 'Flag dataset.';
COMMENT ON COLUMN ls_runs.flag_classes IS 'Flag classes: the subset of class indices used (JSON array), NULL for all.';
COMMENT ON COLUMN ls_runs.flag_train_size IS 'Flag trainSize: training images used (NULL: all).';
COMMENT ON COLUMN ls_runs.flag_test_size IS 'Flag testSize: test images evaluated (NULL: all).';
COMMENT ON COLUMN ls_runs.flag_sampling IS 'Flag sampling: first or stratified.';
COMMENT ON COLUMN ls_runs.flag_image_size IS 'Flag imageSize: side in pixels (NULL: the data set''s own).';
COMMENT ON COLUMN ls_runs.flag_preprocessing IS 'Flag preprocessing: unit, caffe, torch or none.';
COMMENT ON COLUMN ls_runs.flag_backbone IS 'Flag backbone.';
COMMENT ON COLUMN ls_runs.flag_weights IS 'Flag weights: imagenet or random.';
COMMENT ON COLUMN ls_runs.flag_freeze IS 'Flag freeze: backbone frozen while the head trains.';
COMMENT ON COLUMN ls_runs.flag_pooling IS 'Flag pooling: flatten or avg.';
COMMENT ON COLUMN ls_runs.flag_dense_units IS 'Flag denseUnits: units of the head''s hidden dense layer.';
COMMENT ON COLUMN ls_runs.flag_dropout IS 'Flag dropout.';
COMMENT ON COLUMN ls_runs.flag_optimizer IS 'Flag optimizer: rmsprop, adam or sgd.';
COMMENT ON COLUMN ls_runs.flag_learning_rate IS 'Flag learningRate.';
COMMENT ON COLUMN ls_runs.flag_momentum IS 'Flag momentum (sgd).';
COMMENT ON COLUMN ls_runs.flag_epochs IS 'Flag epochs of the first stage.';
COMMENT ON COLUMN ls_runs.flag_batch_size IS 'Flag batchSize.';
COMMENT ON COLUMN ls_runs.flag_validation_split IS 'Flag validationSplit.';
COMMENT ON COLUMN ls_runs.flag_seed IS 'Flag seed.';
COMMENT ON COLUMN ls_runs.flag_augment_flip IS 'Flag augmentFlip.';
COMMENT ON COLUMN ls_runs.flag_augment_shift IS 'Flag augmentShift.';
COMMENT ON COLUMN ls_runs.flag_early_stopping_patience IS 'Flag earlyStoppingPatience (0: off).';
COMMENT ON COLUMN ls_runs.flag_fine_tune_epochs IS 'Flag fineTuneEpochs (0: no fine-tune stage).';
COMMENT ON COLUMN ls_runs.flag_fine_tune_learning_rate IS 'Flag fineTuneLearningRate.';
COMMENT ON COLUMN ls_runs.epochs_completed IS 'Epochs finished so far.';
COMMENT ON COLUMN ls_runs.model_id IS 'The model the run published (SUCCEEDED runs).';
COMMENT ON COLUMN ls_runs.model_version IS 'The model version the run published.';
COMMENT ON COLUMN ls_runs.device IS 'Where the run executed, e.g. cpu() or gpu(0).';
COMMENT ON COLUMN ls_runs.error_message IS 'Why a run failed or was cancelled.';
COMMENT ON COLUMN ls_runs.submitted_at IS 'When the run''s train request was sent.';
COMMENT ON COLUMN ls_runs.started_at IS 'When a trainer started it.';
COMMENT ON COLUMN ls_runs.finished_at IS 'When it ended.';
COMMENT ON COLUMN ls_runs.duration_ms IS 'Wall time of the run on the trainer.';

CREATE VIEW study_overview AS
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
       s.finished_at
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

COMMENT ON VIEW study_overview IS 'One row per tuning study: its status, objective, how many of its runs are in each status, and its best run so far.';
COMMENT ON COLUMN study_overview.study_id IS 'The study id.';
COMMENT ON COLUMN study_overview.name IS 'The study''s name, if any.';
COMMENT ON COLUMN study_overview.status IS 'RUNNING, COMPLETED, CANCELLED or REJECTED.';
COMMENT ON COLUMN study_overview.objective_metric IS 'The metric that ranks the study''s runs.';
COMMENT ON COLUMN study_overview.objective_direction IS 'maximize or minimize.';
COMMENT ON COLUMN study_overview.max_parallel IS 'Trials in flight at most.';
COMMENT ON COLUMN study_overview.trial_count IS 'Trials planned.';
COMMENT ON COLUMN study_overview.runs_queued IS 'Runs waiting: not yet dispatched, or dispatched and not yet started by a trainer.';
COMMENT ON COLUMN study_overview.runs_running IS 'Runs a trainer is working on.';
COMMENT ON COLUMN study_overview.runs_succeeded IS 'Runs that finished successfully.';
COMMENT ON COLUMN study_overview.runs_failed IS 'Runs that failed.';
COMMENT ON COLUMN study_overview.runs_cancelled IS 'Runs cancelled, including trials that were never dispatched.';
COMMENT ON COLUMN study_overview.best_run_id IS 'The best SUCCEEDED run by the objective (ls_runs.study_rank = 1).';
COMMENT ON COLUMN study_overview.best_value IS 'The best run''s objective value.';
COMMENT ON COLUMN study_overview.created_at IS 'When the study was recorded.';
COMMENT ON COLUMN study_overview.finished_at IS 'When its last trial ended (COMPLETED studies).';
