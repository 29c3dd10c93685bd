import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { SeedFile } from '../../articles/seed.ts';
import { buildEntityIndex, type EntityIndex } from '../../crosslink/entities.ts';
import type { Migration } from '../../store/migrate.ts';

/** The project's own files the Node runtime reads: migrations, the seed, the default sources, the entity dictionary. */
const root = join(dirname(fileURLToPath(import.meta.url)), '../../..');
export const migrationsDir = join(root, 'src/store/migrations');
export const seedDir = join(root, 'data/seed/articles');
export const defaultSourcesFile = join(root, 'data/sources.opml');
const entitiesFile = join(root, 'data/entities.json');

export function readMigrations(dir = migrationsDir): Migration[] {
  return readdirSync(dir)
    .filter((name) => name.endsWith('.sql'))
    .map((name) => ({ name, sql: readFileSync(join(dir, name), 'utf8') }));
}

export function readSeedFiles(dir = seedDir): SeedFile[] {
  return readdirSync(dir)
    .filter((name) => name.endsWith('.json'))
    .sort()
    .map((name) => ({ name, body: JSON.parse(readFileSync(join(dir, name), 'utf8')) }));
}

let entityIndex: EntityIndex | undefined;

/** The entity dictionary, read and compiled once per process. */
export function loadEntities(): EntityIndex {
  entityIndex ??= buildEntityIndex(JSON.parse(readFileSync(entitiesFile, 'utf8')));
  return entityIndex;
}
