import { z } from 'zod';

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
  feedTtlSeconds: number;
}

export class ConfigError extends Error {
  readonly code = 'invalid_config';
}

const languageTag = /^[a-z]{2,3}(-[A-Za-z0-9]{2,8})*$/;

const schema = z.object({
  PORT: z.coerce.number().int().min(1).max(65535).default(8787),
  HOST: z.string().min(1).default('127.0.0.1'),
  DB_PATH: z.string().min(1).default('data/news.db'),
  SITE_URL: z
    .url({ protocol: /^https?$/ })
    .transform((url) => url.replace(/\/+$/, ''))
    .optional(),
  SITE_TITLE: z.string().trim().min(1).max(100).default('Polyglot Crypto News'),
  LANGUAGES: z
    .string()
    .default('en,es')
    .transform((list) => list.split(',').map((lang) => lang.trim()))
    .pipe(
      z
        .array(z.string().regex(languageTag, 'each language must be a BCP 47 tag such as en or pt-BR'))
        .min(1)
        .refine((langs) => new Set(langs).size === langs.length, 'languages must not repeat'),
    ),
  ADMIN_TOKEN: z.string().min(16, 'ADMIN_TOKEN must be at least 16 characters').optional(),
  FEED_TTL_SECONDS: z.coerce.number().int().min(0).max(86400).default(300),
});

/** Parses and validates settings; throws ConfigError naming each bad variable. */
export function parseConfig(env: Record<string, string | undefined>): Config {
  const present = Object.fromEntries(Object.entries(env).filter(([, value]) => value !== undefined && value !== ''));
  const result = schema.safeParse(present);
  if (!result.success) {
    const problems = result.error.issues.map((issue) => `${issue.path.join('.') || 'environment'}: ${issue.message}`);
    throw new ConfigError(`Invalid configuration: ${problems.join('; ')}`);
  }
  const env2 = result.data;
  return {
    port: env2.PORT,
    host: env2.HOST,
    dbPath: env2.DB_PATH,
    siteUrl: env2.SITE_URL ?? `http://127.0.0.1:${env2.PORT}`,
    siteTitle: env2.SITE_TITLE,
    languages: env2.LANGUAGES,
    defaultLanguage: env2.LANGUAGES[0],
    adminToken: env2.ADMIN_TOKEN,
    feedTtlSeconds: env2.FEED_TTL_SECONDS,
  };
}
