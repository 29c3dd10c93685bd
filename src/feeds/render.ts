import type { Rendered } from '../render-cache/document.ts';
import { renderAtom } from './atom.ts';
import { type FeedChannel, type FeedEntry, type FeedFormat, mediaTypes } from './feed-model.ts';
import { renderJsonFeed } from './json-feed.ts';
import { renderRss } from './rss.ts';

const renderers: Record<FeedFormat, (channel: FeedChannel, entries: FeedEntry[]) => string> = {
  rss: renderRss,
  atom: renderAtom,
  json: renderJsonFeed,
};

/** A feed document in a format; it was last modified when its newest entry was (absent for an empty feed). */
export function renderFeed(format: FeedFormat, channel: FeedChannel, entries: FeedEntry[]): Rendered {
  return {
    text: renderers[format](channel, entries),
    contentType: mediaTypes[format],
    lastModified: entries.length ? channel.updated : undefined,
    maxAgeSeconds: channel.pollSeconds,
    // W3C WebSub §4: discovery by HTTP headers, the hubs and the feed's own URL
    link: channel.hubs?.length
      ? [...channel.hubs.map((hub) => `<${hub}>; rel="hub"`), `<${channel.feedUrls[format]}>; rel="self"`].join(', ')
      : undefined,
  };
}
