// Query parameters that only track the click; removing them makes one story one URL.
const trackingParameters =
  /^(utm_\w+|fbclid|gclid|dclid|gbraid|wbraid|msclkid|yclid|mc_cid|mc_eid|igshid|_hsenc|_hsmi|mkt_tok|oly_anon_id|oly_enc_id|vero_id|rb_clickid|s_cid|cmpid|ncid|sr_share|ref_src|ref_url)$/i;

/** An http(s) URL made absolute against `base` (WHATWG URL parsing), or undefined when it is not one. */
export function resolveUrl(href: string | undefined, base: string | undefined): string | undefined {
  if (!href?.trim()) return undefined;
  try {
    const url = base ? new URL(href.trim(), base) : new URL(href.trim());
    return url.protocol === 'http:' || url.protocol === 'https:' ? url.href : undefined;
  } catch {
    return undefined;
  }
}

/** The story's URL for deduplication: absolute, without fragment or tracking parameters. */
export function canonicalUrl(href: string | undefined, base: string | undefined): string | undefined {
  const resolved = resolveUrl(href, base);
  if (!resolved) return undefined;
  const url = new URL(resolved);
  url.hash = '';
  for (const name of [...url.searchParams.keys()]) if (trackingParameters.test(name)) url.searchParams.delete(name);
  if (url.search === '?') url.search = '';
  return url.href;
}
