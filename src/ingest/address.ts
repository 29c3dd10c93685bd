interface Range {
  network: bigint;
  prefixLength: number;
}

interface ReasonRule extends Range {
  reason: string;
}

/** A prefix whose addresses carry an IPv4 address; `embedded` lists every IPv4 address the IPv6 address may stand for. */
interface EmbeddingRule extends Range {
  label: string;
  embedded: (address: bigint) => bigint[];
}

const IPV4_PART = /^(?:0x([0-9a-f]*)|0([0-7]*)|([1-9][0-9]*))$/i;
const DOTTED_QUAD = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/;
const HEX_GROUP = /^[0-9a-f]{1,4}$/i;

/** WHATWG URL IPv4 number: decimal, `0x` hex or leading-zero octal. */
function parseIPv4Part(part: string): number | undefined {
  const match = IPV4_PART.exec(part);
  if (!match) return undefined;
  const [, hex, octal, decimal] = match;
  if (hex !== undefined) return hex === '' ? 0 : Number.parseInt(hex, 16);
  if (octal !== undefined) return octal === '' ? 0 : Number.parseInt(octal, 8);
  return Number.parseInt(decimal!, 10);
}

/** IPv4 text in any form the WHATWG URL host parser accepts (`127.0.0.1`, `127.1`, `0x7f.1`, `2130706433`, trailing dot). */
function parseIPv4(text: string): bigint | undefined {
  const parts = text.split('.');
  if (parts.length > 1 && parts.at(-1) === '') parts.pop();
  if (parts.length > 4) return undefined;
  const numbers = parts.map(parseIPv4Part);
  if (numbers.some((n) => n === undefined)) return undefined;
  const leading = numbers.slice(0, -1) as number[];
  const last = numbers.at(-1)!;
  if (leading.some((n) => n > 255) || last >= 256 ** (4 - leading.length)) return undefined;
  return BigInt(leading.reduce((sum, n, i) => sum + n * 256 ** (3 - i), last));
}

/** The strict dotted-quad form allowed at the end of IPv6 text (`::ffff:127.0.0.1`), as two 16-bit groups. */
function parseDottedQuadGroups(text: string): number[] | undefined {
  const match = DOTTED_QUAD.exec(text);
  if (!match) return undefined;
  const bytes = match.slice(1).map(Number);
  if (bytes.some((b) => b > 255)) return undefined;
  return [bytes[0]! * 256 + bytes[1]!, bytes[2]! * 256 + bytes[3]!];
}

/** Colon-separated hex groups; the last one may be a dotted quad when `ipv4Tail` allows it. */
function parseGroups(text: string, ipv4Tail: boolean): number[] | undefined {
  if (text === '') return [];
  const pieces = text.split(':');
  const groups: number[] = [];
  for (const [index, piece] of pieces.entries()) {
    if (ipv4Tail && index === pieces.length - 1 && piece.includes('.')) {
      const quad = parseDottedQuadGroups(piece);
      if (!quad) return undefined;
      groups.push(...quad);
    } else if (HEX_GROUP.test(piece)) {
      groups.push(Number.parseInt(piece, 16));
    } else {
      return undefined;
    }
  }
  return groups;
}

/** RFC 4291 §2.2 text forms (with `::` compression and a trailing dotted quad); brackets and an RFC 6874 zone id are dropped. */
function parseIPv6(text: string): bigint | undefined {
  const bare = text.replace(/^\[(.*)\]$/, '$1').replace(/%.*$/, '');
  if (!bare.includes(':')) return undefined;
  const halves = bare.split('::');
  if (halves.length > 2) return undefined;
  const head = parseGroups(halves[0]!, halves.length === 1);
  const tail = halves.length === 2 ? parseGroups(halves[1]!, true) : [];
  if (!head || !tail) return undefined;
  const missing = 8 - head.length - tail.length;
  if (halves.length === 2 ? missing < 1 : missing !== 0) return undefined;
  const groups = [...head, ...Array<number>(missing).fill(0), ...tail];
  return groups.reduce((value, group) => (value << 16n) | BigInt(group), 0n);
}

function range(cidr: string, parse: (text: string) => bigint | undefined): Range {
  const [address, length] = cidr.split('/');
  return { network: parse(address!)!, prefixLength: Number(length) };
}

function contains(rule: Range, address: bigint, width: number): boolean {
  const shift = BigInt(width - rule.prefixLength);
  return address >> shift === rule.network >> shift;
}

const ipv4Rules: ReasonRule[] = [
  // RFC 6890 special-purpose IPv4 registry; the first matching rule wins.
  ['0.0.0.0/8', 'unspecified address'],
  ['10.0.0.0/8', 'private address'],
  ['100.64.0.0/10', 'carrier-grade NAT address'],
  ['127.0.0.0/8', 'loopback address'],
  ['169.254.169.254/32', 'cloud metadata address'],
  ['169.254.0.0/16', 'link-local address'],
  ['172.16.0.0/12', 'private address'],
  ['192.0.0.0/24', 'reserved address'],
  ['192.168.0.0/16', 'private address'],
  ['198.18.0.0/15', 'reserved address'],
  ['224.0.0.0/4', 'multicast address'],
  ['255.255.255.255/32', 'broadcast address'],
  ['240.0.0.0/4', 'reserved address'],
].map(([cidr, reason]) => ({ ...range(cidr!, parseIPv4), reason: reason! }));

const ipv6Rules: ReasonRule[] = [
  // RFC 6890 special-purpose IPv6 registry; the first matching rule wins.
  ['::/128', 'unspecified address'],
  ['::1/128', 'loopback address'],
  ['fe80::/10', 'link-local address'],
  ['fec0::/10', 'site-local address'],
  ['fd00:ec2::254/128', 'cloud metadata address'],
  ['fc00::/7', 'unique local address'],
  ['ff00::/8', 'multicast address'],
].map(([cidr, reason]) => ({ ...range(cidr!, parseIPv6), reason: reason! }));

const lowIPv4 = (address: bigint) => [address & 0xffff_ffffn];

/** RFC 6052 §2.2: the IPv4 address after a /`prefixLength` NAT64 prefix, skipping the reserved octet at bits 64–71. */
function nat64IPv4(address: bigint, prefixLength: number): bigint {
  const withoutReservedOctet = ((address >> 64n) << 56n) | (address & 0xff_ffff_ffff_ffffn);
  const start = prefixLength <= 64 ? prefixLength : prefixLength - 8;
  return (withoutReservedOctet >> BigInt(120 - start - 32)) & 0xffff_ffffn;
}

/** RFC 6052 §2.2: below /96 the reserved octet and the suffix after the IPv4 address are zero, so other addresses cannot use that layout. */
function fitsNat64Layout(address: bigint, prefixLength: number): boolean {
  if (prefixLength === 96) return true;
  const suffixBits = BigInt(88 - prefixLength);
  return ((address >> 56n) & 0xffn) === 0n && (address & ((1n << suffixBits) - 1n)) === 0n;
}

const embeddingRules: EmbeddingRule[] = [
  // RFC 4291 §2.5.5.2 IPv4-mapped.
  { ...range('::ffff:0:0/96', parseIPv6), label: 'IPv4-mapped', embedded: lowIPv4 },
  // RFC 6052 §2.1 well-known NAT64 prefix.
  { ...range('64:ff9b::/96', parseIPv6), label: 'NAT64-embedded', embedded: lowIPv4 },
  // RFC 8215 local-use NAT64 prefix: the translator may use any prefix length inside it, so every layout that fits is checked.
  {
    ...range('64:ff9b:1::/48', parseIPv6),
    label: 'NAT64-embedded',
    embedded: (address) =>
      [48, 56, 64, 96].filter((length) => fitsNat64Layout(address, length)).map((length) => nat64IPv4(address, length)),
  },
  // RFC 3056 §2 6to4: the IPv4 address follows 2002::/16.
  { ...range('2002::/16', parseIPv6), label: '6to4-embedded', embedded: (address) => [(address >> 80n) & 0xffff_ffffn] },
  // RFC 4291 §2.5.5.1 deprecated IPv4-compatible.
  { ...range('::/96', parseIPv6), label: 'IPv4-compatible', embedded: lowIPv4 },
];

function ipv4Reason(address: bigint): string | undefined {
  return ipv4Rules.find((rule) => contains(rule, address, 32))?.reason;
}

function ipv6Reason(address: bigint): string | undefined {
  const direct = ipv6Rules.find((rule) => contains(rule, address, 128));
  if (direct) return direct.reason;
  const embedding = embeddingRules.find((rule) => contains(rule, address, 128));
  if (!embedding) return undefined;
  const reason = embedding
    .embedded(address)
    .map(ipv4Reason)
    .find((found) => found !== undefined);
  return reason && `${embedding.label} ${reason}`;
}

/** Whether `host` is an IPv4 or IPv6 literal (IPv6 with or without brackets), rather than a name. */
export function isIpLiteral(host: string): boolean {
  return parseIPv4(host) !== undefined || parseIPv6(host) !== undefined;
}

/** RFC 6761 §6.3: `localhost` and any name under `.localhost` (trailing dot allowed) always mean this machine. */
export function isLocalhostName(host: string): boolean {
  const name = host.toLowerCase().replace(/\.+$/, '');
  return name === 'localhost' || name.endsWith('.localhost');
}

/**
 * Why a server must not be fetched from `ip` (e.g. `loopback address`, `IPv4-mapped private address`), or undefined for a
 * public address. Classify `new URL(url).hostname`, which has IPv4 shorthand like `2130706433` already normalised.
 * Text that is not an IP address at all gets `not an IP address`, so a caller that forgot `isIpLiteral` fails closed.
 */
export function forbiddenAddressReason(ip: string): string | undefined {
  const ipv4 = parseIPv4(ip);
  if (ipv4 !== undefined) return ipv4Reason(ipv4);
  const ipv6 = parseIPv6(ip);
  if (ipv6 !== undefined) return ipv6Reason(ipv6);
  return 'not an IP address';
}
