import { AppError } from '../errors.ts';

/** `?limit=`: default 20, capped at 100; anything but a positive integer is a 400. */
export function parseLimit(value: string | undefined, fallback = 20, max = 100): number {
  if (value === undefined || value === '') return fallback;
  if (!/^\d{1,6}$/.test(value) || Number(value) < 1) {
    throw new AppError('invalid_limit', `limit must be a whole number from 1 to ${max}; got "${value.slice(0, 40)}".`);
  }
  return Math.min(Number(value), max);
}
