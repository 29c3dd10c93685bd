import { AppError } from '../errors.ts';

/** `?page=` of a paged feed (RFC 5005 §3): 1 when absent; anything but a whole number from 1 to 10,000 is a 400. */
export function parsePage(value: string | undefined): number {
  if (value === undefined || value === '') return 1;
  if (!/^\d{1,5}$/.test(value) || Number(value) < 1 || Number(value) > 10_000) {
    throw new AppError('invalid_query', `page must be a whole number from 1 to 10000; got "${value.slice(0, 40)}".`);
  }
  return Number(value);
}

/** `?limit=`: default 20, capped at 100; anything but a positive integer is a 400. */
export function parseLimit(value: string | undefined, fallback = 20, max = 100): number {
  if (value === undefined || value === '') return fallback;
  if (!/^\d{1,6}$/.test(value) || Number(value) < 1) {
    throw new AppError('invalid_limit', `limit must be a whole number from 1 to ${max}; got "${value.slice(0, 40)}".`);
  }
  return Math.min(Number(value), max);
}
