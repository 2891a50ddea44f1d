-- Comments for the columns V1 and V2 left without one: the schema documents itself (psql \d+ shows them).
COMMENT ON COLUMN run_epoch.run_id IS 'The run (run.run_id).';
COMMENT ON COLUMN run_epoch.recorded_at IS 'When the epoch''s row was last written.';
COMMENT ON COLUMN run_class_metric.run_id IS 'The run (run.run_id).';
COMMENT ON COLUMN run_class_metric.class_index IS 'Class index, 0-based, in the order of run.class_names.';
COMMENT ON COLUMN run_class_metric.label IS 'Class name.';
COMMENT ON COLUMN run_confusion.run_id IS 'The run (run.run_id).';
COMMENT ON COLUMN run_confusion.predicted IS 'Index of the class the model predicted (row of the chapter''s Predicted x Actual table).';
COMMENT ON COLUMN run_confusion.actual IS 'Index of the true class (column of the table).';
COMMENT ON COLUMN run_confusion.count IS 'Test images of class actual predicted as class predicted.';
COMMENT ON COLUMN trial.study_id IS 'The study the trial belongs to (study.study_id).';
