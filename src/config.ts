import { isLanguageTag } from './shared/language.ts';
import * as z from './shared/zod.ts';

/** Settings read from the environment; the only place env variables are interpreted. */
export interface Config {
  port: number;
  host: string;
  dbPath: string;
  siteUrl: string;
  siteTitle: string;
  languages: string[];
  defaultLanguage: string;
  adminToken: string | undefined;
  /** The shortest poll interval feeds ask of readers; each feed asks more the less often it changes, up to the longest. */
  feedTtlSeconds: number;
  feedMaxTtlSeconds: number;
  /** An external WebSub hub feeds advertise beside ours, and that is told when they change. */
  webSubHubUrl: string | undefined;
  ingest: IngestConfig;
}

export interface IngestConfig {
  /** Whether the Node server polls sources on its own. */
  schedule: boolean;
  /** Whether a first start imports data/sources.opml. */
  defaultSources: boolean;
  /** `host:port` pairs exempt from the private-address guard (tests, local setups). */
  allowHosts: string[];
  retentionDays: number;
  concurrency: number;
  minIntervalSeconds: number;
  maxIntervalSeconds: number;
  maxBackoffSeconds: number;
  maxBytes: number;
  timeoutSeconds: number;
  /** Whether embedded players from a short list of video hosts survive sanitizing. */
  videoIframes: boolean;
  /** Sources one scheduled run polls at most (Workers limit subrequests per invocation; the rest wait for the next run). */
  runLimit: number;
}

export class ConfigError extends Error {
  readonly code = 'invalid_config';
}

const onOff = z.pipe(
  z.enum(['on', 'off', 'true', 'false', '1', '0']),
  z.transform((value) => ['on', 'true', '1'].includes(value)),
);
/** A whole number in [min, max], read from the string an env variable holds. */
const integer = (min: number, max: number) => z.coerce.number().check(z.int(), z.gte(min), z.lte(max));

const schema = z.object({
  PORT: z._default(integer(1, 65535), 8787),
  HOST: z._default(z.string().check(z.minLength(1)), '127.0.0.1'),
  DB_PATH: z._default(z.string().check(z.minLength(1)), 'data/news.db'),
  SITE_URL: z.optional(
    z.pipe(
      z.url({ protocol: /^https?$/ }),
      z.transform((url) => url.replace(/\/+$/, '')),
    ),
  ),
  SITE_TITLE: z._default(z.string().check(z.trim(), z.minLength(1), z.maxLength(100)), 'Polyglot Crypto News'),
  LANGUAGES: z.pipe(
    z.pipe(
      z._default(z.string(), 'en,es'),
      z.transform((list) => list.split(',').map((lang) => lang.trim())),
    ),
    z.array(z.string().check(z.refine(isLanguageTag, 'each language must be a BCP 47 tag such as en or pt-BR'))).check(
      z.minLength(1),
      z.refine((langs) => new Set(langs).size === langs.length, 'languages must not repeat'),
    ),
  ),
  ADMIN_TOKEN: z.optional(
    z.string().check(
      z.minLength(16, 'ADMIN_TOKEN must be at least 16 characters'),
      // RFC 6750 §2.1: what a bearer token can hold
      z.regex(/^[A-Za-z0-9._~+/-]+=*$/, 'ADMIN_TOKEN may hold letters, digits and - . _ ~ + / (then = signs)'),
    ),
  ),
  FEED_TTL_SECONDS: z._default(integer(0, 86400), 300),
  FEED_MAX_TTL_SECONDS: z._default(integer(0, 604800), 86400),
  WEBSUB_HUB_URL: z.optional(z.url({ protocol: /^https?$/, error: 'WEBSUB_HUB_URL must be an http(s) URL' })),
  INGEST_SCHEDULE: z._default(onOff, true),
  INGEST_DEFAULT_SOURCES: z._default(onOff, true),
  INGEST_ALLOW_HOSTS: z.pipe(
    z.pipe(
      z._default(z.string(), ''),
      z.transform((list) =>
        list
          .split(',')
          .map((entry) => entry.trim())
          .filter(Boolean),
      ),
    ),
    z.array(z.string().check(z.regex(/^(\[[0-9a-fA-F:.]+\]|[A-Za-z0-9.-]+):\d{1,5}$/, 'entries must be host:port, e.g. 127.0.0.1:8900'))),
  ),
  INGEST_RETENTION_DAYS: z._default(integer(1, 36500), 90),
  INGEST_CONCURRENCY: z._default(integer(1, 32), 4),
  INGEST_MIN_INTERVAL_SECONDS: z._default(integer(1, 86400), 300),
  INGEST_MAX_INTERVAL_SECONDS: z._default(integer(60, 7 * 86400), 86400),
  INGEST_MAX_BACKOFF_HOURS: z._default(z.coerce.number().check(z.gte(0.01), z.lte(24 * 30)), 24),
  INGEST_MAX_BYTES: z._default(integer(1024, 100 * 1024 * 1024), 10 * 1024 * 1024),
  INGEST_TIMEOUT_SECONDS: z._default(integer(1, 600), 30),
  INGEST_VIDEO_IFRAMES: z._default(onOff, false),
  INGEST_RUN_LIMIT: z._default(integer(1, 1000), 10),
});

/** Parses and validates settings; throws ConfigError naming each bad variable. */
export function parseConfig(env: Record<string, string | undefined>): Config {
  const present = Object.fromEntries(Object.entries(env).filter(([, value]) => value !== undefined && value !== ''));
  const result = schema.safeParse(present);
  if (!result.success) {
    const problems = result.error.issues.map((issue) => `${issue.path.join('.') || 'environment'}: ${issue.message}`);
    throw new ConfigError(`Invalid configuration: ${problems.join('; ')}`);
  }
  const settings = result.data;
  return {
    port: settings.PORT,
    host: settings.HOST,
    dbPath: settings.DB_PATH,
    siteUrl: settings.SITE_URL ?? `http://127.0.0.1:${settings.PORT}`,
    siteTitle: settings.SITE_TITLE,
    languages: settings.LANGUAGES,
    defaultLanguage: settings.LANGUAGES[0],
    adminToken: settings.ADMIN_TOKEN,
    feedTtlSeconds: settings.FEED_TTL_SECONDS,
    // A maximum below the minimum means the feeds ask for the minimum.
    feedMaxTtlSeconds: Math.max(settings.FEED_TTL_SECONDS, settings.FEED_MAX_TTL_SECONDS),
    webSubHubUrl: settings.WEBSUB_HUB_URL,
    ingest: {
      schedule: settings.INGEST_SCHEDULE,
      defaultSources: settings.INGEST_DEFAULT_SOURCES,
      allowHosts: settings.INGEST_ALLOW_HOSTS,
      retentionDays: settings.INGEST_RETENTION_DAYS,
      concurrency: settings.INGEST_CONCURRENCY,
      minIntervalSeconds: settings.INGEST_MIN_INTERVAL_SECONDS,
      maxIntervalSeconds: settings.INGEST_MAX_INTERVAL_SECONDS,
      maxBackoffSeconds: Math.round(settings.INGEST_MAX_BACKOFF_HOURS * 3600),
      maxBytes: settings.INGEST_MAX_BYTES,
      timeoutSeconds: settings.INGEST_TIMEOUT_SECONDS,
      videoIframes: settings.INGEST_VIDEO_IFRAMES,
      runLimit: settings.INGEST_RUN_LIMIT,
    },
  };
}
