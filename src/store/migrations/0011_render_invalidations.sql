-- Render-cache scopes invalidated by each server process, so that other processes on the same file (a second server,
-- a rolling restart) drop exactly those scopes from their in-process caches. Rows older than a few minutes are pruned;
-- a process that fell further behind drops everything.
CREATE TABLE render_invalidations (
  seq INTEGER PRIMARY KEY AUTOINCREMENT,
  origin TEXT NOT NULL,
  scope TEXT NOT NULL,
  at INTEGER NOT NULL
);
