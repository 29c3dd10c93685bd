import { describe, expect, it } from 'vitest';
import { articleBodyOf, fieldErrorsOf, fromDateTimeLocal, newArticleForm, toDateTimeLocal } from '../src/console/article-form.ts';
import { safeReturnPath } from '../src/console/auth.ts';
import { csrfTokenFor, deriveSessionKey, isCsrfTokenOf, readSession, signSession } from '../src/console/session.ts';
import { parseSourceForm } from '../src/console/source-form.ts';

const token = 'console-test-token-0123456789';
const now = Date.UTC(2030, 0, 1, 12);
const session = { id: 'AAAAAAAAAAAAAAAAAAAAAA', expiresAt: now + 60_000 };

describe('console sessions (signed, expiring cookies)', () => {
  it('reads back a session it signed until it expires, and from a key derived again from the same token', async () => {
    const key = await deriveSessionKey(token);
    const cookie = await signSession(key, session);
    expect(cookie).toMatch(/^v1\.\d+\.[\w-]+\.[\w-]{43}$/);
    expect(await readSession(key, cookie, now)).toEqual(session);
    // A restarted process (or another Workers isolate) derives the same key.
    expect(await readSession(await deriveSessionKey(token), cookie, now + 59_999)).toEqual(session);
    expect(await readSession(key, cookie, session.expiresAt)).toBeUndefined();
    expect(await readSession(key, cookie, session.expiresAt + 1)).toBeUndefined();
  });

  it('refuses a tampered cookie: a later expiry, another id, another signature, or junk', async () => {
    const key = await deriveSessionKey(token);
    const cookie = await signSession(key, session);
    const [version, expiry, id, signature] = cookie.split('.') as [string, string, string, string];
    const later = [version, String(Number(expiry) + 86_400_000), id, signature].join('.');
    const otherId = [version, expiry, `B${id.slice(1)}`, signature].join('.');
    const otherSignature = [version, expiry, id, `${signature[0] === 'A' ? 'B' : 'A'}${signature.slice(1)}`].join('.');
    for (const value of [later, otherId, otherSignature, `v2.${expiry}.${id}.${signature}`, '', 'junk', undefined, `${cookie}x`]) {
      expect(await readSession(key, value, now)).toBeUndefined();
    }
  });

  it('refuses a cookie signed with a key from another admin token', async () => {
    const cookie = await signSession(await deriveSessionKey('another-admin-token-987654'), session);
    expect(await readSession(await deriveSessionKey(token), cookie, now)).toBeUndefined();
  });

  it('accepts only the CSRF token of the session, under the same key', async () => {
    const key = await deriveSessionKey(token);
    const csrf = await csrfTokenFor(key, session);
    expect(await isCsrfTokenOf(key, session, csrf)).toBe(true);
    expect(await isCsrfTokenOf(key, { ...session, id: 'BBBBBBBBBBBBBBBBBBBBBB' }, csrf)).toBe(false);
    expect(await isCsrfTokenOf(await deriveSessionKey('another-admin-token-987654'), session, csrf)).toBe(false);
    for (const value of [undefined, '', 'short', `${csrf}A`, 42, new File([csrf], 'csrf')]) {
      expect(await isCsrfTokenOf(key, session, value)).toBe(false);
    }
    // The session cookie's signature is not a CSRF token.
    const signature = (await signSession(key, session)).split('.')[3];
    expect(await isCsrfTokenOf(key, session, signature)).toBe(false);
  });

  it('returns after signing in only to console pages', () => {
    expect(safeReturnPath('/admin/sources')).toBe('/admin/sources');
    expect(safeReturnPath('/admin/articles?missing=es')).toBe('/admin/articles?missing=es');
    for (const value of [
      undefined,
      '',
      'https://evil.example/admin/x',
      '//evil.example/',
      '/admin//evil.example',
      '/admin/\\evil',
      '/en/',
      '/admin/sign-in',
    ]) {
      expect(safeReturnPath(value)).toBe('/admin/articles');
    }
  });
});

describe('console forms (pure)', () => {
  it('turns the editor form into the API body, leaving out languages marked none', () => {
    const form = newArticleForm(['en', 'es']);
    Object.assign(form.en!, { title: 'Hello', content: '<p>Hi</p>', authors: 'Ada\n\n Bob ', categories: 'Markets, , Policy', tags: '' });
    const { body, languages, errors } = articleBodyOf(form);
    expect(errors).toEqual({});
    expect(languages).toEqual(['en']);
    expect(body.translations).toEqual([
      {
        lang: 'en',
        title: 'Hello',
        summary: '',
        content: '<p>Hi</p>',
        authors: ['Ada', 'Bob'],
        categories: ['Markets', 'Policy'],
        tags: [],
        status: 'draft',
      },
    ]);
  });

  it('refuses a filled column marked none, so no translation is dropped unnoticed', () => {
    const form = newArticleForm(['en', 'es']);
    Object.assign(form.en!, { title: 'Hello', content: '<p>Hi</p>' });
    Object.assign(form.es!, { title: 'Hola' });
    expect(articleBodyOf(form).errors).toEqual({ 'es.status': [expect.stringContaining('draft or published')] });
  });

  it('maps validation paths to the fields of the right language', () => {
    const errors = fieldErrorsOf(
      [
        { path: 'translations.1.title', message: 'a title is required' },
        { path: 'translations.0.image.url', message: 'Invalid URL' },
        { path: 'translations.1.authors.3', message: 'Too long' },
        { path: 'translations', message: 'an article needs at least one translation' },
      ],
      ['en', 'es'],
    );
    expect(errors).toEqual({
      'es.title': ['a title is required'],
      'en.image.url': ['Invalid URL'],
      'es.authors': ['Too long'],
      form: ['an article needs at least one translation'],
    });
  });

  it('reads datetime-local values as UTC, and keeps a stored time that was left as shown', () => {
    expect(fromDateTimeLocal('2030-01-01T10:00')).toBe('2030-01-01T10:00:00Z');
    expect(fromDateTimeLocal('2030-01-01T10:00:05')).toBe('2030-01-01T10:00:05Z');
    expect(fromDateTimeLocal('yesterday')).toBe('yesterday');
    const stored = Date.UTC(2030, 0, 1, 10, 0, 5, 123);
    expect(toDateTimeLocal(stored)).toBe('2030-01-01T10:00:05');
    const form = newArticleForm(['en']);
    Object.assign(form.en!, { status: 'published', title: 'T', content: 'C', publishedAt: '2030-01-01T10:00:05' });
    const existing = {
      id: 'a',
      translations: [{ lang: 'en', publishedAt: stored } as never],
    };
    expect(articleBodyOf(form, existing).body.translations[0]!.publishedAt).toBe('2030-01-01T10:00:05.123Z');
  });

  it('validates a source form with the API rules, empty fields meaning "not given"', () => {
    const values = { url: 'https://outlet.example.com/feed.xml', title: '', language: '', pollIntervalSeconds: '', enabled: true };
    expect(parseSourceForm(values)).toEqual({
      input: { url: values.url, title: 'outlet.example.com', language: null, pollIntervalSeconds: undefined, enabled: true },
    });
    expect(parseSourceForm({ ...values, url: 'ftp://x', language: 'not a tag!', pollIntervalSeconds: '5' })).toEqual({
      errors: {
        url: ['must be an absolute http(s) URL'],
        language: ['must be a language tag such as en or es-ES'],
        pollIntervalSeconds: ['at least 60 seconds'],
      },
    });
  });
});
