import { IngestError } from './ingest-error.ts';

export interface DecodedFeed {
  text: string;
  /** The encoding the bytes were decoded with (a WHATWG label, or utf-32le/be). */
  encoding: string;
  /** How it was chosen: bom, header, sniffed, declaration, default, or fallback (declared one failed). */
  source: 'bom' | 'header' | 'sniffed' | 'declaration' | 'default' | 'fallback';
}

/**
 * Bytes to text, as feed readers do: a byte order mark wins; then the charset of the
 * Content-Type header (RFC 7303 §3); then UTF-16/32 sniffed from the first `<`; then the XML
 * declaration's encoding (XML 1.0 §4.3.3); else UTF-8. When the chosen encoding cannot decode
 * the bytes, the next candidate is tried, ending with windows-1252, so no mojibake is stored
 * from a wrong label and nothing fails for a bad one.
 */
export function decodeFeedBytes(bytes: Uint8Array, contentType?: string): DecodedFeed {
  const bom = sniffBom(bytes);
  // The BOM is authoritative; bytes invalid in its encoding become U+FFFD rather than a guess.
  if (bom) return { text: decodeWith(bom.encoding, bytes.subarray(bom.length), false)!, encoding: bom.encoding, source: 'bom' };

  const candidates: { encoding: string; source: DecodedFeed['source'] }[] = [];
  const sniffed = sniffUtf16Or32(bytes);
  if (sniffed) candidates.push({ encoding: sniffed, source: 'sniffed' });
  const header = charsetOf(contentType);
  if (header) candidates.push({ encoding: header, source: 'header' });
  const declared = declaredEncoding(bytes);
  if (declared) candidates.push({ encoding: declared, source: 'declaration' });
  candidates.push({ encoding: 'utf-8', source: 'default' });

  for (const candidate of candidates) {
    // A wide-character label on bytes that do not look wide is a label feeds get wrong.
    if (/^utf-?(16|32)/i.test(candidate.encoding) && !sniffed) continue;
    const text = decodeWith(candidate.encoding, bytes, true);
    if (text !== undefined) return { text, ...candidate, encoding: canonicalName(candidate.encoding) };
  }
  return { text: decodeWith('windows-1252', bytes, false)!, encoding: 'windows-1252', source: 'fallback' };
}

/** WHATWG Encoding §6 "BOM sniff", extended with UTF-32 (which TextDecoder lacks). */
function sniffBom(bytes: Uint8Array): { encoding: string; length: number } | undefined {
  const [a, b, c, d] = bytes;
  if (a === 0x00 && b === 0x00 && c === 0xfe && d === 0xff) return { encoding: 'utf-32be', length: 4 };
  if (a === 0xff && b === 0xfe && c === 0x00 && d === 0x00) return { encoding: 'utf-32le', length: 4 };
  if (a === 0xef && b === 0xbb && c === 0xbf) return { encoding: 'utf-8', length: 3 };
  if (a === 0xfe && b === 0xff) return { encoding: 'utf-16be', length: 2 };
  if (a === 0xff && b === 0xfe) return { encoding: 'utf-16le', length: 2 };
  return undefined;
}

/** XML 1.0 Appendix F.1: without a BOM, the byte pattern of `<?` tells UTF-16 and UTF-32 apart. */
function sniffUtf16Or32(bytes: Uint8Array): string | undefined {
  const [a, b, c, d] = bytes;
  if (a === 0x00 && b === 0x00 && c === 0x00 && d === 0x3c) return 'utf-32be';
  if (a === 0x3c && b === 0x00 && c === 0x00 && d === 0x00) return 'utf-32le';
  if (a === 0x00 && b === 0x3c && c === 0x00 && d === 0x3f) return 'utf-16be';
  if (a === 0x3c && b === 0x00 && c === 0x3f && d === 0x00) return 'utf-16le';
  return undefined;
}

function charsetOf(contentType: string | undefined): string | undefined {
  const match = /;\s*charset\s*=\s*(?:"([^"]*)"|'([^']*)'|([^;\s]+))/i.exec(contentType ?? '');
  const label = (match?.[1] ?? match?.[2] ?? match?.[3])?.trim();
  return label && isKnownEncoding(label) ? label : undefined;
}

function declaredEncoding(bytes: Uint8Array): string | undefined {
  const head = String.fromCharCode(...bytes.subarray(0, 200).filter((byte) => byte !== 0));
  const label = /^\s*<\?xml[^>]*?encoding\s*=\s*["']([A-Za-z0-9._:-]+)["']/.exec(head)?.[1];
  return label && isKnownEncoding(label) ? label : undefined;
}

function isKnownEncoding(label: string): boolean {
  return /^utf-?32(le|be)?$/i.test(label) || decoderFor(label) !== undefined;
}

function canonicalName(label: string): string {
  if (/^utf-?32/i.test(label)) return label.toLowerCase().replace('utf32', 'utf-32');
  return decoderFor(label)?.encoding ?? label;
}

function decoderFor(label: string, fatal = true): TextDecoder | undefined {
  try {
    return new TextDecoder(label, { fatal, ignoreBOM: false });
  } catch {
    return undefined;
  }
}

/** Decodes, or returns undefined when `fatal` and the bytes are invalid in that encoding. */
function decodeWith(label: string, bytes: Uint8Array, fatal: boolean): string | undefined {
  const utf32 = /^utf-?32(le|be)?$/i.exec(label);
  if (utf32) return decodeUtf32(bytes, utf32[1]?.toLowerCase() !== 'le', fatal);
  const decoder = decoderFor(label, fatal);
  if (!decoder) throw new IngestError('unknown_encoding', `Unknown text encoding "${label}".`);
  if (decoder.encoding === 'windows-1252') return decodeWindows1252(bytes);
  try {
    return decoder.decode(bytes).replace(/^\uFEFF/, '');
  } catch {
    return undefined;
  }
}

function decodeUtf32(bytes: Uint8Array, bigEndian: boolean, fatal: boolean): string | undefined {
  if (bytes.length % 4 !== 0 && fatal) return undefined;
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength - (bytes.byteLength % 4));
  let text = '';
  for (let offset = 0; offset < view.byteLength; offset += 4) {
    const code = view.getUint32(offset, !bigEndian);
    if (code > 0x10ffff || (code >= 0xd800 && code <= 0xdfff)) {
      if (fatal) return undefined;
      text += '\uFFFD';
    } else {
      text += String.fromCodePoint(code);
    }
  }
  return text.replace(/^\uFEFF/, '');
}

// WHATWG Encoding, index windows-1252: what bytes 0x80–0x9F mean (0xA0–0xFF equal their code points).
const windows1252High = [
  0x20ac, 0x81, 0x201a, 0x192, 0x201e, 0x2026, 0x2020, 0x2021, 0x2c6, 0x2030, 0x160, 0x2039, 0x152, 0x8d, 0x17d, 0x8f, 0x90, 0x2018, 0x2019,
  0x201c, 0x201d, 0x2022, 0x2013, 0x2014, 0x2dc, 0x2122, 0x161, 0x203a, 0x153, 0x9d, 0x17e, 0x178,
];

/**
 * windows-1252 (also what the labels iso-8859-1, latin1 and us-ascii mean, WHATWG Encoding §4.2), decoded here
 * because some Node releases decode it as ISO-8859-1 and turn curly quotes and € into invisible control characters.
 */
function decodeWindows1252(bytes: Uint8Array): string {
  let text = '';
  for (let start = 0; start < bytes.length; start += 8192) {
    const codes = Array.from(bytes.subarray(start, start + 8192), (byte) =>
      byte >= 0x80 && byte < 0xa0 ? windows1252High[byte - 0x80] : byte,
    );
    text += String.fromCharCode(...codes);
  }
  return text;
}
