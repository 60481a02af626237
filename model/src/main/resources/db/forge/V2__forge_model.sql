-- Trained models live in the database so that every host sharing it shares the model.
CREATE TABLE forge_model (
    version        INTEGER                  NOT NULL PRIMARY KEY,
    trained_at     TIMESTAMP WITH TIME ZONE NOT NULL,
    row_count      INTEGER                  NOT NULL,
    layout_version INTEGER                  NOT NULL,
    feature_layout VARCHAR(8000)            NOT NULL,
    holdout        VARCHAR(16000)           NOT NULL,
    payload        BLOB                     NOT NULL
);
