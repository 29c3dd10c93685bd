import type { SqlClient } from '../store/sql-client.ts';

/** The version of each feed scope, bumped by every write that changes its feeds (table feed_versions). */
export interface FeedVersionStore {
  versionOf(scope: string): Promise<number>;
  bump(scopes: string[]): Promise<void>;
}

export function createFeedVersionStore(db: SqlClient): FeedVersionStore {
  return {
    async versionOf(scope) {
      return (await db.first<{ version: number }>('SELECT version FROM feed_versions WHERE scope = ?', [scope]))?.version ?? 0;
    },
    async bump(scopes) {
      await db.batch(
        scopes.map((scope) => ({
          sql: 'INSERT INTO feed_versions (scope, version) VALUES (?, 1) ON CONFLICT (scope) DO UPDATE SET version = version + 1',
          params: [scope],
        })),
      );
    },
  };
}
