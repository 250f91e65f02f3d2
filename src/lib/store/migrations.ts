// Numbered schema migrations: index i takes the database from user_version i to i + 1. Never edit a released one.
export const MIGRATIONS: readonly string[] = [
  // 1: runs, artifact versions, tags, lineage, file hash cache
  `
  CREATE TABLE runs (
    uid TEXT PRIMARY KEY,
    name TEXT NOT NULL,
    project TEXT NOT NULL,
    kind TEXT NOT NULL,
    function TEXT NOT NULL,
    handler TEXT,
    state TEXT NOT NULL,
    labels TEXT NOT NULL DEFAULT '{}',
    params TEXT NOT NULL DEFAULT '{}',
    inputs TEXT NOT NULL DEFAULT '{}',
    declared_outputs TEXT NOT NULL DEFAULT '[]',
    outputs TEXT NOT NULL DEFAULT '{}',
    results TEXT NOT NULL DEFAULT '{}',
    error TEXT,
    exit_code INTEGER,
    signal TEXT,
    pid INTEGER,
    host TEXT NOT NULL,
    code_hash TEXT,
    memo_key TEXT,
    workflow_id TEXT,
    step TEXT,
    created INTEGER NOT NULL,
    started INTEGER,
    ended INTEGER
  );
  CREATE INDEX runs_created ON runs(created);
  CREATE INDEX runs_state ON runs(state, created);
  CREATE INDEX runs_name ON runs(name, created);
  CREATE INDEX runs_memo ON runs(memo_key, created);
  CREATE INDEX runs_workflow ON runs(workflow_id, created);
  CREATE TABLE run_labels (
    uid TEXT NOT NULL REFERENCES runs(uid) ON DELETE CASCADE,
    key TEXT NOT NULL,
    value TEXT NOT NULL,
    PRIMARY KEY (uid, key)
  );
  CREATE INDEX run_labels_kv ON run_labels(key, value);
  CREATE TABLE artifacts (
    id INTEGER PRIMARY KEY,
    key TEXT NOT NULL,
    kind TEXT NOT NULL,
    version INTEGER NOT NULL,
    iter INTEGER NOT NULL DEFAULT 0,
    sha256 TEXT NOT NULL,
    size INTEGER NOT NULL,
    format TEXT NOT NULL DEFAULT '',
    producer TEXT,
    created INTEGER NOT NULL,
    labels TEXT NOT NULL DEFAULT '{}',
    meta TEXT,
    UNIQUE (key, version)
  );
  CREATE INDEX artifacts_key ON artifacts(key, id);
  CREATE INDEX artifacts_kind ON artifacts(kind, id);
  CREATE INDEX artifacts_producer ON artifacts(producer, key);
  CREATE INDEX artifacts_created ON artifacts(created);
  CREATE INDEX artifacts_sha ON artifacts(sha256);
  CREATE TABLE tags (
    key TEXT NOT NULL,
    tag TEXT NOT NULL,
    artifact_id INTEGER NOT NULL REFERENCES artifacts(id) ON DELETE CASCADE,
    PRIMARY KEY (key, tag)
  );
  CREATE INDEX tags_tag ON tags(tag, artifact_id);
  CREATE INDEX tags_artifact ON tags(artifact_id);
  CREATE TABLE artifact_objects (
    artifact_id INTEGER NOT NULL REFERENCES artifacts(id) ON DELETE CASCADE,
    sha256 TEXT NOT NULL,
    PRIMARY KEY (artifact_id, sha256)
  );
  CREATE INDEX artifact_objects_sha ON artifact_objects(sha256);
  CREATE TABLE run_inputs (
    run_uid TEXT NOT NULL REFERENCES runs(uid) ON DELETE CASCADE,
    key TEXT NOT NULL,
    artifact_id INTEGER REFERENCES artifacts(id) ON DELETE SET NULL,
    sha256 TEXT NOT NULL,
    url TEXT NOT NULL,
    PRIMARY KEY (run_uid, key)
  );
  CREATE INDEX run_inputs_artifact ON run_inputs(artifact_id);
  CREATE INDEX run_inputs_sha ON run_inputs(sha256);
  CREATE TABLE file_hashes (
    path TEXT PRIMARY KEY,
    size INTEGER NOT NULL,
    mtime_ns TEXT NOT NULL,
    ino TEXT NOT NULL,
    sha256 TEXT NOT NULL
  );
  `,
  // 2: workflows and their steps
  `
  CREATE TABLE workflows (
    id TEXT PRIMARY KEY,
    name TEXT NOT NULL,
    file TEXT,
    state TEXT NOT NULL,
    params TEXT NOT NULL DEFAULT '{}',
    steps TEXT NOT NULL DEFAULT '{}',
    error TEXT,
    pid INTEGER,
    host TEXT NOT NULL,
    created INTEGER NOT NULL,
    ended INTEGER
  );
  CREATE INDEX workflows_created ON workflows(created);
  `,
  // 3: the handler's process (the leader of its process group), so a run whose lode died can still be stopped
  `
  ALTER TABLE runs ADD COLUMN handler_pid INTEGER;
  `,
  // 4: the last version number given to each key, so a number is never given again after its version is removed
  `
  CREATE TABLE key_versions (key TEXT PRIMARY KEY, last INTEGER NOT NULL);
  INSERT INTO key_versions (key, last) SELECT key, MAX(version) FROM artifacts GROUP BY key;
  `,
  // 5: the hash cache also keys on device and change time: bytes rewritten in place with their size and mtime put
  // back (touch -d) still change the ctime, which no user can set. A cache: its rows are dropped, not converted.
  `
  DROP TABLE file_hashes;
  CREATE TABLE file_hashes (
    path TEXT PRIMARY KEY,
    size INTEGER NOT NULL,
    mtime_ns TEXT NOT NULL,
    ctime_ns TEXT NOT NULL,
    dev TEXT NOT NULL,
    ino TEXT NOT NULL,
    sha256 TEXT NOT NULL
  );
  `,
  // 6: what lode refused or noticed while a run ran (bad keys, invalid events), kept with the run
  `
  ALTER TABLE runs ADD COLUMN warnings TEXT NOT NULL DEFAULT '[]';
  `,
  // 7: the names of the secrets a run was given (their values are never stored)
  `
  ALTER TABLE runs ADD COLUMN secrets TEXT NOT NULL DEFAULT '[]';
  `,
  // 8: a workflow's steps as rows (one per step, in the order they were first recorded), no longer one JSON document
  // that every step update rewrote whole
  `
  CREATE TABLE workflow_steps (
    seq INTEGER PRIMARY KEY,
    workflow_id TEXT NOT NULL REFERENCES workflows(id) ON DELETE CASCADE,
    name TEXT NOT NULL,
    state TEXT NOT NULL,
    run TEXT,
    function TEXT,
    memo_key TEXT,
    memo TEXT,
    outputs TEXT NOT NULL DEFAULT '{}',
    error TEXT,
    started INTEGER,
    ended INTEGER,
    UNIQUE (workflow_id, name)
  );
  INSERT INTO workflow_steps (workflow_id, name, state, run, function, memo_key, memo, outputs, error, started, ended)
    SELECT w.id, j.key, COALESCE(json_extract(j.value, '$.state'), 'waiting'), json_extract(j.value, '$.run'),
      json_extract(j.value, '$.function'), json_extract(j.value, '$.memoKey'), json_extract(j.value, '$.memo'),
      COALESCE(json_extract(j.value, '$.outputs'), '{}'), json_extract(j.value, '$.error'), json_extract(j.value, '$.started'),
      json_extract(j.value, '$.ended')
    FROM workflows w, json_each(w.steps) j WHERE json_valid(w.steps) AND j.type = 'object'
    ORDER BY w.created, w.id, j.id;
  ALTER TABLE workflows DROP COLUMN steps;
  `,
  // 9: listings that do not grow with the store. Label rows carry their run's creation time, so `runs ls --label K=V`
  // walks one index newest first instead of sorting every match. Tables keyed by their primary key alone are kept
  // without rowids (one b-tree each, not two): fewer pages touched per record, so creating one stays cheap at 100k.
  `
  CREATE TABLE run_labels_9 (
    uid TEXT NOT NULL REFERENCES runs(uid) ON DELETE CASCADE,
    key TEXT NOT NULL,
    value TEXT NOT NULL,
    created INTEGER NOT NULL,
    PRIMARY KEY (uid, key)
  ) WITHOUT ROWID;
  INSERT INTO run_labels_9 (uid, key, value, created) SELECT l.uid, l.key, l.value, r.created FROM run_labels l JOIN runs r ON r.uid = l.uid;
  DROP TABLE run_labels;
  ALTER TABLE run_labels_9 RENAME TO run_labels;
  CREATE INDEX run_labels_kv ON run_labels(key, value, created, uid);
  CREATE TABLE tags_9 (
    key TEXT NOT NULL,
    tag TEXT NOT NULL,
    artifact_id INTEGER NOT NULL REFERENCES artifacts(id) ON DELETE CASCADE,
    PRIMARY KEY (key, tag)
  ) WITHOUT ROWID;
  INSERT INTO tags_9 (key, tag, artifact_id) SELECT key, tag, artifact_id FROM tags;
  DROP TABLE tags;
  ALTER TABLE tags_9 RENAME TO tags;
  CREATE INDEX tags_tag ON tags(tag, artifact_id);
  CREATE INDEX tags_artifact ON tags(artifact_id);
  CREATE TABLE artifact_objects_9 (
    artifact_id INTEGER NOT NULL REFERENCES artifacts(id) ON DELETE CASCADE,
    sha256 TEXT NOT NULL,
    PRIMARY KEY (artifact_id, sha256)
  ) WITHOUT ROWID;
  INSERT INTO artifact_objects_9 (artifact_id, sha256) SELECT artifact_id, sha256 FROM artifact_objects;
  DROP TABLE artifact_objects;
  ALTER TABLE artifact_objects_9 RENAME TO artifact_objects;
  CREATE INDEX artifact_objects_sha ON artifact_objects(sha256);
  CREATE TABLE key_versions_9 (key TEXT PRIMARY KEY, last INTEGER NOT NULL) WITHOUT ROWID;
  INSERT INTO key_versions_9 (key, last) SELECT key, last FROM key_versions;
  DROP TABLE key_versions;
  ALTER TABLE key_versions_9 RENAME TO key_versions;
  `,
  // 10: runs made by another run: a hyperparameter parent's iterations (iter 1..N), a pipeline's steps
  `
  ALTER TABLE runs ADD COLUMN parent_uid TEXT;
  ALTER TABLE runs ADD COLUMN iter INTEGER;
  CREATE INDEX runs_parent ON runs(parent_uid, iter) WHERE parent_uid IS NOT NULL;
  `,
  // 11: a hyperparameter parent's strategy, options, best iteration and each iteration's summary (one JSON document)
  `
  CREATE TABLE run_hyper (
    uid TEXT PRIMARY KEY REFERENCES runs(uid) ON DELETE CASCADE,
    summary TEXT NOT NULL
  ) WITHOUT ROWID;
  `,
  // 12: not used (numbers are given once)
  '-- 12: not used',
  // 13: runs executed as cluster jobs: {runtime, id, reason} as JSON; live ones found without a scan (reconciling)
  `
  ALTER TABLE runs ADD COLUMN job TEXT;
  CREATE INDEX runs_live_jobs ON runs(state) WHERE job IS NOT NULL AND state IN ('queued', 'running');
  `,
  // 14: each run's top-level params and results as rows in value order, so `runs ls --sort params.K|results.K` walks
  // them in order and stops at its limit instead of reading every run's JSON. A value is kept as json_extract returns
  // it (the column has no type: a string "1" stays text and the number 1 a number; true and false are 1 and 0; objects
  // and arrays their JSON text); null values are not kept. One b-tree, no index by uid, so a new record costs little;
  // the run's creation time after the value puts a repeated value's new rows at the end of its group (and gives a
  // descending sort its tie order). Triggers keep the rows in step with every write of params or results in the
  // writer's own transaction, and find the rows to remove from the old JSON. The first of a key given twice counts,
  // as for json_extract.
  `
  CREATE TABLE run_values (
    map TEXT NOT NULL,
    key TEXT NOT NULL,
    value NOT NULL,
    created INTEGER NOT NULL,
    uid TEXT NOT NULL,
    PRIMARY KEY (map, key, value, created, uid)
  ) WITHOUT ROWID;
  INSERT INTO run_values (map, key, value, created, uid)
    SELECT map, key, value, created, uid FROM (
      SELECT m.map, j.key, j.value, r.created, r.uid, row_number() OVER (PARTITION BY r.uid, m.map, j.key ORDER BY j.id) AS n
      FROM runs r, (SELECT 'params' AS map UNION ALL SELECT 'results') m,
        json_each(CASE WHEN NOT json_valid(CASE m.map WHEN 'params' THEN r.params ELSE r.results END) THEN '{}' WHEN json_type(CASE m.map WHEN 'params' THEN r.params ELSE r.results END) = 'object' THEN CASE m.map WHEN 'params' THEN r.params ELSE r.results END ELSE '{}' END) j)
    WHERE n = 1 AND value IS NOT NULL ORDER BY map, key, value, created, uid;
  CREATE TRIGGER run_values_insert AFTER INSERT ON runs BEGIN
    INSERT INTO run_values (map, key, value, created, uid) SELECT 'params', key, value, new.created, new.uid FROM (SELECT key, value, row_number() OVER (PARTITION BY key ORDER BY id) AS n FROM json_each(CASE WHEN NOT json_valid(new.params) THEN '{}' WHEN json_type(new.params) = 'object' THEN new.params ELSE '{}' END)) WHERE n = 1 AND value IS NOT NULL;
    INSERT INTO run_values (map, key, value, created, uid) SELECT 'results', key, value, new.created, new.uid FROM (SELECT key, value, row_number() OVER (PARTITION BY key ORDER BY id) AS n FROM json_each(CASE WHEN NOT json_valid(new.results) THEN '{}' WHEN json_type(new.results) = 'object' THEN new.results ELSE '{}' END)) WHERE n = 1 AND value IS NOT NULL;
  END;
  CREATE TRIGGER run_values_params AFTER UPDATE OF params, created, uid ON runs
    WHEN old.params IS NOT new.params OR old.created IS NOT new.created OR old.uid IS NOT new.uid BEGIN
    DELETE FROM run_values WHERE map = 'params' AND created = old.created AND uid = old.uid AND (key, value) IN (SELECT key, value FROM json_each(CASE WHEN NOT json_valid(old.params) THEN '{}' WHEN json_type(old.params) = 'object' THEN old.params ELSE '{}' END));
    INSERT INTO run_values (map, key, value, created, uid) SELECT 'params', key, value, new.created, new.uid FROM (SELECT key, value, row_number() OVER (PARTITION BY key ORDER BY id) AS n FROM json_each(CASE WHEN NOT json_valid(new.params) THEN '{}' WHEN json_type(new.params) = 'object' THEN new.params ELSE '{}' END)) WHERE n = 1 AND value IS NOT NULL;
  END;
  CREATE TRIGGER run_values_results AFTER UPDATE OF results, created, uid ON runs
    WHEN old.results IS NOT new.results OR old.created IS NOT new.created OR old.uid IS NOT new.uid BEGIN
    DELETE FROM run_values WHERE map = 'results' AND created = old.created AND uid = old.uid AND (key, value) IN (SELECT key, value FROM json_each(CASE WHEN NOT json_valid(old.results) THEN '{}' WHEN json_type(old.results) = 'object' THEN old.results ELSE '{}' END));
    INSERT INTO run_values (map, key, value, created, uid) SELECT 'results', key, value, new.created, new.uid FROM (SELECT key, value, row_number() OVER (PARTITION BY key ORDER BY id) AS n FROM json_each(CASE WHEN NOT json_valid(new.results) THEN '{}' WHEN json_type(new.results) = 'object' THEN new.results ELSE '{}' END)) WHERE n = 1 AND value IS NOT NULL;
  END;
  CREATE TRIGGER run_values_delete AFTER DELETE ON runs BEGIN
    DELETE FROM run_values WHERE map = 'params' AND created = old.created AND uid = old.uid AND (key, value) IN (SELECT key, value FROM json_each(CASE WHEN NOT json_valid(old.params) THEN '{}' WHEN json_type(old.params) = 'object' THEN old.params ELSE '{}' END));
    DELETE FROM run_values WHERE map = 'results' AND created = old.created AND uid = old.uid AND (key, value) IN (SELECT key, value FROM json_each(CASE WHEN NOT json_valid(old.results) THEN '{}' WHEN json_type(old.results) = 'object' THEN old.results ELSE '{}' END));
  END;
  `,
  // 15: indexes on hashes cost each new row a write on a random page (a page per record in a large store). No query
  // looks a version's objects up by hash (gc reads them all); inputs are looked up by hash only when they name no
  // stored version (a plain file read before its bytes were logged), so only those are indexed by it.
  `
  DROP INDEX artifact_objects_sha;
  DROP INDEX run_inputs_sha;
  CREATE INDEX run_inputs_sha ON run_inputs(sha256) WHERE artifact_id IS NULL;
  `,
]
