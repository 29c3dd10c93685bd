import { Hono } from 'hono';
import { AppError } from '../errors.ts';
import { type ReaderStats, retentionDays } from '../reader-stats/reader-stats-service.ts';

/** `?days=`: 30 when absent; anything but a whole number from 1 to 90 (the days kept) is a 400. */
export function parseDays(value: string | undefined, fallback = 30): number {
  if (value === undefined || value === '') return fallback;
  if (!/^\d{1,3}$/.test(value) || Number(value) < 1 || Number(value) > retentionDays) {
    throw new AppError('invalid_query', `days must be a whole number from 1 to ${retentionDays}; got "${value.slice(0, 40)}".`);
  }
  return Number(value);
}

/** Admin API for the publisher's console: who reads the feeds, and what each followed source brings. */
export function readerStatsRoutes({ readerStats }: { readerStats: ReaderStats }) {
  const app = new Hono();
  app.get('/api/admin/stats/readers', async (c) => c.json(await readerStats.readers(parseDays(c.req.query('days')))));
  app.get('/api/admin/stats/sources', async (c) => c.json(await readerStats.sources(parseDays(c.req.query('days')))));
  return app;
}
