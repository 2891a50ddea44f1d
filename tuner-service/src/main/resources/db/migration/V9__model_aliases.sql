-- Model aliases (issue 14): which version each alias of a model names, as vision.models.aliases announces it. The
-- alias 'production' names the version that classifications without a pinned version (model=<id>) are served with.
-- One row per model id and alias; a cleared alias keeps its row with no version, so who cleared it, and when,
-- stays on record. No foreign key to model: the change and the model's announcement travel on different topics and
-- may be recorded in either order (the gateway checked the version against model before publishing the change).
CREATE TABLE model_aliases (
    model_id     text NOT NULL,
    alias        text NOT NULL CHECK (alias ~ '^[a-z][a-z0-9-]{0,31}$'),
    version      integer CHECK (version >= 1),
    changed_by   text NOT NULL,
    changed_at   timestamptz NOT NULL,
    recorded_at  timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (model_id, alias)
);

COMMENT ON TABLE model_aliases IS 'The aliases of every model (vision.models.aliases): one row per model id and alias with the version it names now; production is the version unpinned classifications are served with. A cleared alias keeps its row with version NULL.';
COMMENT ON COLUMN model_aliases.model_id IS 'The model id (model.model_id).';
COMMENT ON COLUMN model_aliases.alias IS 'The alias name; the API sets only production for now.';
COMMENT ON COLUMN model_aliases.version IS 'The version the alias names (model.version); NULL when the alias was cleared.';
COMMENT ON COLUMN model_aliases.changed_by IS 'The name of the gateway API key that made the last change.';
COMMENT ON COLUMN model_aliases.changed_at IS 'When the gateway published the last change.';
COMMENT ON COLUMN model_aliases.recorded_at IS 'When the tuner recorded the last change.';
