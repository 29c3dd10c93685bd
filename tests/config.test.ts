import { describe, expect, it } from 'vitest';
import { ConfigError, parseConfig } from '../src/config.ts';

describe('parseConfig', () => {
  it('has the documented defaults', () => {
    expect(parseConfig({})).toEqual({
      port: 8787,
      host: '127.0.0.1',
      dbPath: 'data/news.db',
      siteUrl: 'http://127.0.0.1:8787',
      siteTitle: 'Polyglot Crypto News',
      languages: ['en', 'es'],
      defaultLanguage: 'en',
      adminToken: undefined,
      feedTtlSeconds: 300,
      feedMaxTtlSeconds: 86400,
      ingest: {
        schedule: true,
        defaultSources: true,
        allowHosts: [],
        retentionDays: 90,
        concurrency: 4,
        minIntervalSeconds: 300,
        maxIntervalSeconds: 86400,
        maxBackoffSeconds: 86400,
        maxBytes: 10 * 1024 * 1024,
        timeoutSeconds: 30,
        videoIframes: false,
        runLimit: 10,
      },
    });
  });

  it('reads every variable, derives SITE_URL from PORT, and trims a trailing slash', () => {
    const config = parseConfig({
      PORT: '9000',
      HOST: '0.0.0.0',
      DB_PATH: '/tmp/x.db',
      LANGUAGES: 'es, en ,pt-BR',
      ADMIN_TOKEN: 'a-long-enough-token',
      FEED_TTL_SECONDS: '60',
    });
    expect(config).toMatchObject({
      port: 9000,
      siteUrl: 'http://127.0.0.1:9000',
      languages: ['es', 'en', 'pt-BR'],
      defaultLanguage: 'es',
      feedTtlSeconds: 60,
    });
    expect(parseConfig({ SITE_URL: 'https://news.example.org/' }).siteUrl).toBe('https://news.example.org');
    const ingest = parseConfig({
      INGEST_SCHEDULE: 'off',
      INGEST_DEFAULT_SOURCES: 'off',
      INGEST_ALLOW_HOSTS: '127.0.0.1:8900, [::1]:80',
      INGEST_MAX_BACKOFF_HOURS: '2',
    }).ingest;
    expect(ingest).toMatchObject({
      schedule: false,
      defaultSources: false,
      allowHosts: ['127.0.0.1:8900', '[::1]:80'],
      maxBackoffSeconds: 7200,
    });
  });

  it.each([
    ['PORT', 'eighty'],
    ['PORT', '70000'],
    ['SITE_URL', 'ftp://example.org'],
    ['SITE_URL', 'not a url'],
    ['LANGUAGES', 'en,,es'],
    ['LANGUAGES', 'en,en'],
    ['LANGUAGES', 'English'],
    ['ADMIN_TOKEN', 'short'],
    ['FEED_TTL_SECONDS', '-5'],
    ['INGEST_SCHEDULE', 'maybe'],
    ['INGEST_ALLOW_HOSTS', '127.0.0.1'],
    ['INGEST_RETENTION_DAYS', '0'],
  ])('rejects %s=%s with an error naming the variable', (name, value) => {
    expect(() => parseConfig({ [name]: value })).toThrow(ConfigError);
    expect(() => parseConfig({ [name]: value })).toThrow(new RegExp(`\\b${name}\\b`));
  });
});
