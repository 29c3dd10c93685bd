/** Deterministic pseudo-random numbers (mulberry32), so every run builds the same documents. */
export function random(seed: number): () => number {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export const words =
  'bitcoin ether exchange regulator wallet mining halving stablecoin ledger validator token market custody bridge protocol liquidity audit sanctions conference blockchain network fee block reward treasury investor developer upgrade layer governance'.split(
    ' ',
  );

/** About `bytes` of article HTML with the things real feeds carry: links, images, entities, tracking parameters. */
export function articleHtml(next: () => number, bytes: number): string {
  let html = '';
  while (html.length < bytes) {
    const sentence = Array.from({ length: 14 }, () => words[Math.floor(next() * words.length)]).join(' ');
    html += `<p>${sentence} &amp; more, <a href="/markets/${Math.floor(next() * 1e6)}?utm_source=rss">read</a> — “quoted” <strong>${words[Math.floor(next() * words.length)]}</strong>.</p>`;
    if (next() < 0.15)
      html += `<p><img src="https://cdn.outlet.example.com/i/${Math.floor(next() * 1e6)}.jpg" alt="chart" onerror="track()"></p>`;
  }
  return html;
}

/**
 * A WordPress-style RSS 2.0 feed of `items` items (~4 KB of content each), items spread over `spreadDays`. With `skip`,
 * the first `skip` items of the same sequence are left out: the feed as it reads after `skip` newer stories arrived.
 */
export function syntheticRss(seed: number, items: number, now: number, spreadDays = 30, skip = 0): string {
  const next = random(seed);
  const entries = Array.from({ length: items + skip }, (_, i) => {
    const title = `${words[Math.floor(next() * words.length)]} ${words[Math.floor(next() * words.length)]} report ${seed}-${i}`;
    const published = new Date(now - Math.floor(next() * spreadDays * 86_400_000)).toUTCString();
    return `<item><title>${title}</title><link>https://outlet${seed}.example.com/news/${seed}-${i}?utm_source=rss&amp;utm_medium=rss</link>
<dc:creator><![CDATA[Staff Writer]]></dc:creator><pubDate>${published}</pubDate><category><![CDATA[Markets]]></category>
<guid isPermaLink="false">https://outlet${seed}.example.com/?p=${seed * 1000 + i}</guid>
<description><![CDATA[${articleHtml(next, 300)}]]></description><content:encoded><![CDATA[${articleHtml(next, 3000)}]]></content:encoded></item>`;
  });
  return `<?xml version="1.0" encoding="UTF-8"?><rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/" xmlns:dc="http://purl.org/dc/elements/1.1/"><channel><title>Outlet ${seed}</title><link>https://outlet${seed}.example.com/</link><description>News</description><language>en-US</language>${entries.slice(skip).join('\n')}</channel></rss>`;
}
