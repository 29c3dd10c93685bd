import type { SqlClient } from '../store/sql-client.ts';

/** The version of each render-cache scope, bumped by every write that changes what it renders (table feed_versions). */
export interface RenderVersionStore {
  versionOf(scope: string): Promise<number>;
  bump(scopes: string[]): Promise<void>;
}

export function createRenderVersionStore(db: SqlClient): RenderVersionStore {
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
