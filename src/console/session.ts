// Console sessions are stateless: the cookie carries its own expiry and id, signed with HMAC-SHA-256 under a key derived
// from ADMIN_TOKEN. Nothing is stored, so they work the same on Node and Workers (no table, no D1 write per sign-in), and
// changing ADMIN_TOKEN signs every session out.

/** A signed-in editor's session. */
export interface Session {
  /** Random, base64url; names the session (its CSRF token is derived from it). */
  id: string;
  /** Milliseconds since the epoch. */
  expiresAt: number;
}

const version = 'v1';
const encoder = new TextEncoder();

/** The HMAC key of console sessions and CSRF tokens, derived from the admin token with HKDF (RFC 5869). */
export async function deriveSessionKey(adminToken: string): Promise<CryptoKey> {
  const material = await crypto.subtle.importKey('raw', encoder.encode(adminToken), 'HKDF', false, ['deriveKey']);
  return crypto.subtle.deriveKey(
    { name: 'HKDF', hash: 'SHA-256', salt: encoder.encode('polyglot-feeds console'), info: encoder.encode('session v1') },
    material,
    { name: 'HMAC', hash: 'SHA-256', length: 256 },
    false,
    ['sign', 'verify'],
  );
}

/** A new session id: 16 random bytes, base64url. */
export function newSessionId(): string {
  return toBase64Url(crypto.getRandomValues(new Uint8Array(16)));
}

/** The cookie value of a session: `v1.<expiresAt>.<id>.<signature>`. */
export async function signSession(key: CryptoKey, session: Session): Promise<string> {
  const payload = `${version}.${session.expiresAt}.${session.id}`;
  return `${payload}.${await mac(key, payload)}`;
}

/** The session a cookie value carries, when it is signed with this key and not expired at `now`; otherwise undefined. */
export async function readSession(key: CryptoKey, value: string | undefined, now: number): Promise<Session | undefined> {
  const match = /^v1\.(\d{1,15})\.([A-Za-z0-9_-]{16,64})\.([A-Za-z0-9_-]{43})$/.exec(value ?? '');
  if (!match) return undefined;
  const [, expiry, id, signature] = match;
  const signed = await verifyMac(key, `${version}.${expiry}.${id}`, signature!);
  const expiresAt = Number(expiry);
  return signed && expiresAt > now ? { id: id!, expiresAt } : undefined;
}

/** The CSRF token of a session, for the hidden field of every form it is shown. */
export function csrfTokenFor(key: CryptoKey, session: Session): Promise<string> {
  return mac(key, `csrf.${session.id}`);
}

/** Whether a form's CSRF token is the one of this session (compared in constant time by HMAC verification). */
export function isCsrfTokenOf(key: CryptoKey, session: Session, token: unknown): Promise<boolean> {
  if (typeof token !== 'string' || !/^[A-Za-z0-9_-]{43}$/.test(token)) return Promise.resolve(false);
  return verifyMac(key, `csrf.${session.id}`, token);
}

async function mac(key: CryptoKey, message: string): Promise<string> {
  return toBase64Url(new Uint8Array(await crypto.subtle.sign('HMAC', key, encoder.encode(message))));
}

function verifyMac(key: CryptoKey, message: string, signature: string): Promise<boolean> {
  return crypto.subtle.verify('HMAC', key, fromBase64Url(signature), encoder.encode(message));
}

function toBase64Url(bytes: Uint8Array): string {
  let binary = '';
  for (const byte of bytes) binary += String.fromCharCode(byte);
  return btoa(binary).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

function fromBase64Url(text: string): Uint8Array<ArrayBuffer> {
  const binary = atob(text.replace(/-/g, '+').replace(/_/g, '/'));
  return Uint8Array.from(binary, (char) => char.charCodeAt(0));
}
