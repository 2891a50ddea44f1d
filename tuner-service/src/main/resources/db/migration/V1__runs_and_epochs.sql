-- TransferLab run records. This schema is a public interface: users query it with SQL (see README, "Query runs
-- with SQL"). Evolve it additively through new migrations; never edit a migration that has shipped.

CREATE TABLE run (
    run_id              text PRIMARY KEY,
    study_id            text,
    trial_index         integer,
    status              text NOT NULL CHECK (status IN ('QUEUED', 'RUNNING', 'SUCCEEDED', 'FAILED', 'CANCELLED')),
    spec                jsonb,
    varied_flags        jsonb,
    dataset             text,
    backbone            text,
    weights             text,
    freeze_backbone     boolean,
    pooling             text,
    dense_units         integer,
    dropout             double precision,
    optimizer           text,
    learning_rate       double precision,
    batch_size          integer,
    epochs              integer,
    image_size          integer,
    train_size          integer,
    test_size           integer,
    validation_split    double precision,
    seed                bigint,
    epochs_completed    integer NOT NULL DEFAULT 0,
    train_loss          double precision,
    train_accuracy      double precision,
    val_loss            double precision,
    val_accuracy        double precision,
    test_loss           double precision,
    test_accuracy       double precision,
    class_names         jsonb,
    confusion_matrix    jsonb,
    model_id            text,
    model_version       integer,
    device              text,
    trainer_id          text,
    images_per_second   double precision,
    error_code          text,
    error_message       text,
    correlation_id      text,
    submitted_at        timestamptz,
    started_at          timestamptz,
    finished_at         timestamptz,
    duration_ms         bigint,
    updated_at          timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX run_study_idx ON run (study_id);
CREATE INDEX run_status_idx ON run (status);

COMMENT ON TABLE run IS 'Every training run, tuned or standalone: one row per run id, upserted from vision.train.requests, vision.train.progress and vision.train.results.';
COMMENT ON COLUMN run.run_id IS 'The run id (Kafka key of its train messages).';
COMMENT ON COLUMN run.study_id IS 'The tuning study the run belongs to; NULL for a standalone run.';
COMMENT ON COLUMN run.trial_index IS '0-based position of the run in its study''s plan.';
COMMENT ON COLUMN run.status IS 'QUEUED, RUNNING, SUCCEEDED, FAILED or CANCELLED; a final status is never overwritten by a late message.';
COMMENT ON COLUMN run.spec IS 'The full resolved run spec (every flag) as JSON.';
COMMENT ON COLUMN run.varied_flags IS 'The flags the study varied for this run, and their values, as JSON.';
COMMENT ON COLUMN run.dataset IS 'Flag: data set (mnist, fashion-mnist, cifar10, dataset:<id>).';
COMMENT ON COLUMN run.backbone IS 'Flag: backbone (small-cnn, resnet18, resnet50, vgg16, torchscript:<file>, run:<id>).';
COMMENT ON COLUMN run.weights IS 'Flag: imagenet or random.';
COMMENT ON COLUMN run.freeze_backbone IS 'Flag: backbone frozen while the head trains.';
COMMENT ON COLUMN run.pooling IS 'Flag: flatten or avg.';
COMMENT ON COLUMN run.dense_units IS 'Flag: units of the head''s hidden dense layer.';
COMMENT ON COLUMN run.dropout IS 'Flag: dropout rate of the head.';
COMMENT ON COLUMN run.optimizer IS 'Flag: rmsprop, adam or sgd.';
COMMENT ON COLUMN run.learning_rate IS 'Flag: the head''s learning rate.';
COMMENT ON COLUMN run.batch_size IS 'Flag: mini-batch size.';
COMMENT ON COLUMN run.epochs IS 'Flag: planned epochs of the first stage.';
COMMENT ON COLUMN run.image_size IS 'Flag: side in pixels the images were resized to (NULL: the data set''s own).';
COMMENT ON COLUMN run.train_size IS 'Flag: training images used (NULL: all), validation split included.';
COMMENT ON COLUMN run.test_size IS 'Flag: test images evaluated (NULL: all).';
COMMENT ON COLUMN run.validation_split IS 'Flag: fraction of training images held out for validation.';
COMMENT ON COLUMN run.seed IS 'Flag: random seed.';
COMMENT ON COLUMN run.epochs_completed IS 'Epochs finished so far (from progress messages).';
COMMENT ON COLUMN run.train_loss IS 'Loss on the training images after training (no dropout).';
COMMENT ON COLUMN run.train_accuracy IS 'Accuracy in [0, 1] on the training images after training.';
COMMENT ON COLUMN run.val_loss IS 'Validation loss of the last epoch.';
COMMENT ON COLUMN run.val_accuracy IS 'Validation accuracy in [0, 1] of the last epoch.';
COMMENT ON COLUMN run.test_loss IS 'Loss on the test images.';
COMMENT ON COLUMN run.test_accuracy IS 'Accuracy in [0, 1] on the test images.';
COMMENT ON COLUMN run.class_names IS 'Class names in class-index order, as a JSON array.';
COMMENT ON COLUMN run.confusion_matrix IS 'Confusion matrix as JSON {labels, counts}: counts[p][a] = test images of actual class a predicted as p (rows Predicted, columns Actual). Long form in run_confusion.';
COMMENT ON COLUMN run.model_id IS 'The model the run published to the store (SUCCEEDED runs).';
COMMENT ON COLUMN run.model_version IS 'The version of that model the run published.';
COMMENT ON COLUMN run.device IS 'Where the run executed, e.g. cpu() or gpu(0).';
COMMENT ON COLUMN run.trainer_id IS 'The trainer replica that ran it.';
COMMENT ON COLUMN run.images_per_second IS 'Training throughput over the whole run.';
COMMENT ON COLUMN run.error_code IS 'Why the run failed or was cancelled: INVALID_SPEC, MISSING_WEIGHTS, UNKNOWN_DATASET, OUT_OF_MEMORY, INTERNAL...';
COMMENT ON COLUMN run.error_message IS 'A readable reason for a FAILED or CANCELLED run.';
COMMENT ON COLUMN run.correlation_id IS 'Correlation id of the HTTP call that started the run (also in every service''s logs).';
COMMENT ON COLUMN run.submitted_at IS 'When the run was requested.';
COMMENT ON COLUMN run.started_at IS 'When a trainer started it.';
COMMENT ON COLUMN run.finished_at IS 'When it ended.';
COMMENT ON COLUMN run.duration_ms IS 'Wall time of the run on the trainer.';
COMMENT ON COLUMN run.updated_at IS 'Last time any message changed this row.';

CREATE TABLE run_epoch (
    run_id          text NOT NULL REFERENCES run (run_id) ON DELETE CASCADE,
    epoch           integer NOT NULL CHECK (epoch >= 1),
    stage           text NOT NULL,
    loss            double precision NOT NULL,
    accuracy        double precision NOT NULL,
    val_loss        double precision,
    val_accuracy    double precision,
    elapsed_ms      bigint NOT NULL,
    recorded_at     timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (run_id, epoch)
);
COMMENT ON TABLE run_epoch IS 'Per-epoch metrics of every run (the history behind the accuracy and loss curves); one row per run and epoch, so a redelivered progress message overwrites instead of adding.';
COMMENT ON COLUMN run_epoch.epoch IS '1-based epoch, counting on across the train and fine-tune stages.';
COMMENT ON COLUMN run_epoch.stage IS 'train (the head, or the whole net from scratch) or fine-tune (backbone unfrozen).';
COMMENT ON COLUMN run_epoch.loss IS 'Training loss of the epoch.';
COMMENT ON COLUMN run_epoch.accuracy IS 'Training accuracy in [0, 1] of the epoch.';
COMMENT ON COLUMN run_epoch.val_loss IS 'Validation loss after the epoch (NULL without a validation split).';
COMMENT ON COLUMN run_epoch.val_accuracy IS 'Validation accuracy in [0, 1] after the epoch.';
COMMENT ON COLUMN run_epoch.elapsed_ms IS 'Wall time of the epoch.';

CREATE TABLE run_class_metric (
    run_id       text NOT NULL REFERENCES run (run_id) ON DELETE CASCADE,
    class_index  integer NOT NULL,
    label        text NOT NULL,
    accuracy     double precision,
    support      integer NOT NULL,
    PRIMARY KEY (run_id, class_index)
);
COMMENT ON TABLE run_class_metric IS 'Per-class test accuracy of finished runs.';
COMMENT ON COLUMN run_class_metric.accuracy IS 'Percent: 100 x correctly predicted / test images of the class (NULL when the class has none).';
COMMENT ON COLUMN run_class_metric.support IS 'Test images of the class.';

CREATE TABLE run_confusion (
    run_id      text NOT NULL REFERENCES run (run_id) ON DELETE CASCADE,
    predicted   integer NOT NULL,
    actual      integer NOT NULL,
    count       integer NOT NULL,
    PRIMARY KEY (run_id, predicted, actual)
);
COMMENT ON TABLE run_confusion IS 'The test confusion matrix in long form: how many test images of class actual were predicted as class predicted.';
