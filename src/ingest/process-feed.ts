import { decodeFeedBytes } from './decode.ts';
import { type EntryReport, type NormalizeContext, type NormalizedItem, normalizeFeed } from './normalize.ts';
import { parseFeed } from './parse.ts';

export interface ProcessFeedInput {
  body: Uint8Array;
  contentType: string | undefined;
  context: NormalizeContext;
}

export interface ProcessedFeed {
  items: NormalizedItem[];
  report: EntryReport;
  /** RSS <ttl> in minutes and sy:updatePeriod, freshness hints for the next poll. */
  ttlMinutes: number | undefined;
  updatePeriod: { period: string; frequency: number } | undefined;
  /** WebSub discovery (W3C WebSub §4): the hubs the feed names and its self URL, as the feed states them. */
  hubs: string[];
  selfUrl: string | undefined;
}

/** Bytes of a fetched feed to normalized items: decode, parse, normalize (sanitizing on the way). */
export async function processFeed({ body, contentType, context }: ProcessFeedInput): Promise<ProcessedFeed> {
  const { text } = decodeFeedBytes(body, contentType);
  const parsed = await parseFeed(text);
  const feed = normalizeFeed(parsed, context);
  return {
    items: feed.items,
    report: feed.report,
    ttlMinutes: parsed.ttlMinutes,
    updatePeriod: parsed.updatePeriod,
    hubs: parsed.hubs ?? [],
    selfUrl: parsed.selfUrl,
  };
}
