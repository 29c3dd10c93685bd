/** W3C WebSub §8: the HMAC methods a hub may sign with, by their name in `X-Hub-Signature`. */
const hashes = { sha1: 'SHA-1', sha256: 'SHA-256', sha384: 'SHA-384', sha512: 'SHA-512' } as const;

export type SignatureMethod = keyof typeof hashes;

const hmacKey = (secret: string, method: SignatureMethod, usage: 'sign' | 'verify') =>
  crypto.subtle.importKey('raw', new TextEncoder().encode(secret), { name: 'HMAC', hash: hashes[method] }, false, [usage]);

/** W3C WebSub §8: the `X-Hub-Signature` value for `body`, `method=` and the HMAC in lower-case hex. */
export async function signBody(secret: string, body: Uint8Array<ArrayBuffer>, method: SignatureMethod = 'sha256'): Promise<string> {
  const mac = new Uint8Array(await crypto.subtle.sign('HMAC', await hmacKey(secret, method, 'sign'), body));
  return `${method}=${[...mac].map((byte) => byte.toString(16).padStart(2, '0')).join('')}`;
}

/**
 * W3C WebSub §8: whether an `X-Hub-Signature` header (`sha1=…`, `sha256=…`, `sha384=…` or `sha512=…`) is the HMAC of
 * `body` under `secret`. A missing or malformed header does not match. Web Crypto compares in constant time.
 */
export async function verifySignature(secret: string, body: Uint8Array<ArrayBuffer>, header: string | undefined): Promise<boolean> {
  const match = /^(sha1|sha256|sha384|sha512)=((?:[0-9a-f]{2})+)$/i.exec(header?.trim() ?? '');
  if (!match) return false;
  const method = match[1]!.toLowerCase() as SignatureMethod;
  const mac = Uint8Array.from(match[2]!.match(/../g)!, (pair) => Number.parseInt(pair, 16));
  return crypto.subtle.verify('HMAC', await hmacKey(secret, method, 'verify'), mac, body);
}
