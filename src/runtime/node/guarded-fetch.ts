import { type LookupAddress, lookup } from 'node:dns';
import type { LookupFunction } from 'node:net';
import { Agent, buildConnector, fetch as undiciFetch } from 'undici';
import { forbiddenAddressReason, isIpLiteral, isLocalhostName } from '../../ingest/address.ts';
import { isAllowedHost } from '../../ingest/fetch.ts';
import { IngestError } from '../../ingest/ingest-error.ts';

export interface GuardedFetchOptions {
  /** `host:port` entries that may connect to any address (tests, local setups). */
  allowHosts?: string[];
  /** Name resolution plus TCP/TLS handshake; default 10 s. */
  connectTimeoutMs?: number;
  /** The resolver (node:dns `lookup` by default); tests pass their own so they query no DNS server. */
  resolve?: typeof lookup;
}

function forbidden(target: string, reason: string): IngestError {
  return new IngestError('forbidden_address', `Refusing to connect to ${target}: not a public address (${reason})`);
}

/**
 * A lookup that fails when any address of the name is not public, and hands the checked addresses to the socket so it
 * connects to exactly what was checked (no DNS-rebinding window between check and connect).
 */
const checkedLookup =
  (resolve: typeof lookup): LookupFunction =>
  (hostname, options, callback) => {
    // RFC 6761 §6.3: localhost names always mean this machine, whatever the resolver says about them.
    const name = isLocalhostName(hostname) ? 'localhost' : hostname;
    resolve(name, { family: options.family, hints: options.hints, all: true }, (error, addresses: LookupAddress[]) => {
      if (error) return callback(error, []);
      for (const { address } of addresses) {
        const reason = forbiddenAddressReason(address);
        if (reason) return callback(forbidden(`${hostname} (resolved to ${address})`, reason), []);
      }
      if (options.all) return callback(null, addresses);
      callback(null, addresses[0]!.address, addresses[0]!.family);
    });
  };

/**
 * A WHATWG `fetch` for Node that refuses to connect to loopback, private, link-local and other non-public addresses,
 * checking IP literals directly and names after DNS resolution; `allowHosts` entries skip the check. Refusals and
 * connect timeouts surface as IngestError (`forbidden_address`, `fetch_timeout`) in the `cause` chain of the fetch error.
 */
export function createGuardedFetch(options: GuardedFetchOptions = {}): typeof fetch {
  const allowHosts = options.allowHosts ?? [];
  const timeout = options.connectTimeoutMs ?? 10_000;
  const checkedConnector = buildConnector({ timeout, lookup: checkedLookup(options.resolve ?? lookup) });
  const openConnector = buildConnector({ timeout });
  const connect: buildConnector.connector = (target, callback) => {
    const allowed = isAllowedHost(allowHosts, target.hostname, target.port, target.protocol);
    // Node skips the lookup for IP literals, so they are checked here.
    const reason = !allowed && isIpLiteral(target.hostname) ? forbiddenAddressReason(target.hostname) : undefined;
    if (reason) return callback(forbidden(target.hostname, reason), null);
    (allowed ? openConnector : checkedConnector)(target, (error, socket) => {
      if (error === null) return callback(null, socket!);
      const timedOut = (error as { code?: string }).code === 'UND_ERR_CONNECT_TIMEOUT';
      const message = `Connecting to ${target.host ?? target.hostname} exceeded the connect timeout of ${timeout} ms`;
      callback(timedOut ? new IngestError('fetch_timeout', message) : error, null);
    });
  };
  const agent = new Agent({ connect });
  return ((input, init) =>
    undiciFetch(
      input as Parameters<typeof undiciFetch>[0],
      { ...init, dispatcher: agent } as Parameters<typeof undiciFetch>[1],
    )) as typeof fetch;
}
