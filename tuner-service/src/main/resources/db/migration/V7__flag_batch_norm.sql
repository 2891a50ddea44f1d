-- The batchNorm flag (issue 12): what a pretrained backbone's batch norms do while its weights train. ls_runs gains
-- flag_batch_norm as its last column (CREATE OR REPLACE VIEW may only add columns at the end; the view's other
-- columns, their comments, its grants and study_overview, which reads it, stay as V4-V6 left them). Runs recorded
-- before this flag existed show the value they ran with: frozen for pretrained backbones (run:, torchscript:,
-- imagenet weights), train for backbones trained from scratch.
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
       e.flag_batch_norm
FROM eligible e;

COMMENT ON COLUMN ls_runs.flag_batch_norm IS 'Flag batchNorm: frozen (a pretrained backbone''s batch norms stay in inference mode while its weights train; running statistics unchanged) or train (batch statistics, running statistics updated; always so from scratch). A frozen backbone runs them in inference mode either way.';
