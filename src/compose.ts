import { type ArticleChange, createArticleService } from './articles/article-service.ts';
import { createArticleStore } from './articles/article-store.ts';
import type { Config } from './config.ts';
import { createCrosslinkService } from './crosslink/crosslink-service.ts';
import { createCrosslinkStore } from './crosslink/crosslink-store.ts';
import type { EntityIndex } from './crosslink/entities.ts';
import { createFeedService } from './feeds/feed-service.ts';
import type { Serving } from './http/cached-response.ts';
import { createIngestStore } from './ingest/ingest-store.ts';
import { createItemStorage } from './ingest/item-storage.ts';
import {
  createInlinePollRunner,
  type PollerPorts,
  type PollReport,
  type PollRunner,
  storeFeedDocument,
  userAgent,
} from './ingest/poller.ts';
import { createReaderStats } from './reader-stats/reader-stats-service.ts';
import { createReaderStatsStore } from './reader-stats/reader-stats-store.ts';
import type { Sha256 } from './render-cache/document.ts';
import type { RenderCache } from './render-cache/render-cache.ts';
import { createRendering } from './render-cache/rendering.ts';
import { changedScopes, scopesShowingArticle, siteScope } from './render-cache/scopes.ts';
import type { SqlClient } from './store/sql-client.ts';
import { createHub } from './websub/hub.ts';
import { createSubscriber } from './websub/subscriber-service.ts';
import { createSubscriberStore } from './websub/subscriber-store.ts';
import { createWebSubStore } from './websub/websub-store.ts';

/** What a runtime supplies; everything else is built from these here. */
export interface RuntimeParts {
  config: Config;
  sql: SqlClient;
  renderCache: RenderCache;
  entities: EntityIndex;
  /** Outbound HTTP for polling (on Node, connections only to checked addresses). */
  fetch: typeof fetch;
  now: () => number;
  random: () => number;
  newId: () => string;
  log: (line: string) => void;
  /** Where polls run when not here (on Node, a child process); they run inline without it. */
  pollRunner?: PollRunner;
  /** Sources one `pollDue` takes at most (Workers limit subrequests per invocation). */
  dueLimit?: number;
  /** The runtime compresses responses itself (Workers): cached answers are then sent as identity bytes. */
  runtimeCompresses?: boolean;
  /** Told which cached document answered a request target (the Node server answers repeats before routing). */
  rememberAnswer?: Serving['remember'];
  /** Whether WebSub deliveries start in the background after a write (Node); Workers run them within the request. */
  deliverInBackground?: boolean;
  /** A faster SHA-256 than Web Crypto's, where the runtime has one (Node's is synchronous). */
  sha256?: Sha256;
}

export type Services = ReturnType<typeof composeServices>;

/** Builds every service from the runtime's parts: the one place the features are wired to each other. */
export function composeServices(parts: RuntimeParts) {
  const { config, sql, now, log } = parts;
  const articleStore = createArticleStore(sql);
  const ingestStore = createIngestStore(sql);

  const crosslinkStore = createCrosslinkStore(sql);
  const crosslink = createCrosslinkService({
    store: crosslinkStore,
    entities: parts.entities,
    itemHeadlines: (ids) => ingestStore.itemHeadlines(ids),
    stories: ingestStore,
    now,
  });

  const rendering = createRendering({ cache: parts.renderCache, sha256: parts.sha256 });
  // Counted in memory as feeds are answered; each runtime flushes the counts (Node on a timer, Workers after answers).
  const readerStats = createReaderStats({
    store: createReaderStatsStore(sql),
    sourceItems: (from) => ingestStore.itemsPerSourceDay(from),
    now,
    log,
  });
  const feeds = createFeedService({
    // The hub feeds advertise (W3C WebSub §4): our own, and WEBSUB_HUB_URL when set.
    site: { ...config, hubs: [`${config.siteUrl}/websub`, ...(config.webSubHubUrl ? [config.webSubHubUrl] : [])] },
    rendering,
    listPublished: (query) => articleStore.listPublished(query),
    countPublishedInTerm: (lang, term) => articleStore.countPublishedInTerm(lang, term),
    listPublishedBetween: (lang, from, to, limit) => articleStore.listPublishedBetween(lang, from, to, limit),
    publishedAround: (lang, from, to) => articleStore.publishedAround(lang, from, to),
    publishedSiblings: (ids) => articleStore.publishedSiblings(ids),
    relatedItems: (ids) => crosslink.relatedItems(ids),
  });

  const hub = createHub({
    store: createWebSubStore(sql),
    feeds,
    site: config,
    externalHub: config.webSubHubUrl,
    deliverInBackground: parts.deliverInBackground ?? true,
    fetch: parts.fetch,
    allowHosts: config.ingest.allowHosts,
    timeoutMs: config.ingest.timeoutSeconds * 1000,
    userAgent: userAgent(config.siteUrl),
    now,
    random: parts.random,
    log,
  });
  /** What changes rendered documents: the render cache drops them, and WebSub subscribers of the feeds among them are owed the new ones. */
  async function invalidate(scopes: Iterable<string>): Promise<void> {
    const list = [...scopes];
    await rendering.invalidate(list);
    await hub.changed(list);
  }

  /** Re-renders the feeds, pages and API answers showing these articles (their related coverage changed). */
  async function refreshArticleFeeds(articleIds: string[]): Promise<void> {
    // One invalidation for all of them: a poll can relink hundreds of articles, mostly sharing their list scopes.
    const scopes = new Set<string>();
    for (const id of articleIds) {
      const article = await articleStore.getArticle(id);
      for (const scope of article ? scopesShowingArticle(article.translations) : []) scopes.add(scope);
    }
    if (scopes.size > 0) await invalidate(scopes);
  }

  /**
   * Indexes for cross-linking the items and articles a crash left unindexed: the index is written just after the item or
   * article, in its own transaction, so only the last writes before a stop can lack it. Run at start; returns how many.
   */
  async function repairCrosslinkIndex(lastWrites = 1000): Promise<{ items: number; articles: number }> {
    const itemIds = await ingestStore.newestItemIds(lastWrites);
    const indexedItems = await crosslinkStore.indexedItems(itemIds);
    const items = (await Promise.all(itemIds.filter((id) => !indexedItems.has(id)).map((id) => ingestStore.getItem(id)))).filter(
      (item) => item !== undefined,
    );
    if (items.length > 0) await refreshArticleFeeds(await crosslink.matchItems(items));
    const articleIds = await articleStore.recentlyWrittenArticleIds(lastWrites);
    const indexedArticles = await crosslinkStore.indexedArticles(articleIds);
    let articles = 0;
    for (const id of articleIds.filter((id) => !indexedArticles.has(id))) {
      const article = await articleStore.getArticle(id);
      if (!article) continue;
      articles += 1;
      await crosslink.matchArticle(id, article.translations);
      await invalidate(scopesShowingArticle(article.translations));
    }
    return { items: items.length, articles };
  }

  const articles = createArticleService({
    store: articleStore,
    now,
    newId: parts.newId,
    // A write changes what shows it, and re-links the article; when its related coverage changed, all its feeds change.
    async afterWrite({ id, before, after }: ArticleChange) {
      const relinked = await crosslink.matchArticle(id, after);
      const scopes = changedScopes(before, after);
      if (relinked) for (const scope of scopesShowingArticle(after)) scopes.add(scope);
      await invalidate(scopes);
    },
  });

  // Ingestion as a WebSub subscriber: polls subscribe to the hubs feeds name, and a push goes the way of a poll.
  const subscriber = createSubscriber({
    store: createSubscriberStore(sql),
    callbackBase: `${config.siteUrl}/websub/callback/`,
    async ingest(sourceId, document) {
      const source = await ingestStore.getSource(sourceId);
      if (!source?.enabled) return false;
      const { relinked } = await storeFeedDocument(pollerPorts, source, document, now());
      await refreshAfterIngest(relinked);
      return true;
    },
    fetch: parts.fetch,
    allowHosts: config.ingest.allowHosts,
    timeoutMs: config.ingest.timeoutSeconds * 1000,
    userAgent: userAgent(config.siteUrl),
    now,
    log,
  });

  const items = createItemStorage({
    store: ingestStore,
    linkItems: (stored) => crosslink.matchItems(stored),
    itemsInUse: (ids) => crosslink.linkedItems(ids),
  });
  const pollerPorts: PollerPorts = {
    store: ingestStore,
    items,
    settings: config.ingest,
    userAgent: userAgent(config.siteUrl),
    fetch: parts.fetch,
    now,
    random: parts.random,
    log,
    push: subscriber,
  };
  const runner = parts.pollRunner ?? createInlinePollRunner(pollerPorts, parts.dueLimit);
  // Polls change related coverage and prune items: what shows them is refreshed here, where the render cache lives
  // (polls may run in another process). Each scheduled round also retries the WebSub deliveries due.
  const refreshAfterIngest = async (relinked: string[]) => {
    await refreshArticleFeeds([...new Set(relinked)]);
    await invalidate([siteScope]);
    await hub.deliverDue();
  };
  const refreshAfter = async (reports: PollReport[]) => {
    await refreshAfterIngest(reports.flatMap((report) => report.relinkedArticles ?? []));
    return reports;
  };
  const polls: PollRunner = {
    pollDue: () => runner.pollDue().then(refreshAfter),
    pollSources: (ids) => runner.pollSources(ids).then(refreshAfter),
    close: () => runner.close(),
  };

  return {
    config,
    now,
    serving: {
      runtimeCompresses: parts.runtimeCompresses ?? false,
      remember: parts.rememberAnswer,
      count: readerStats.count,
    } satisfies Serving,
    articles,
    /** Every article, drafts included, filtered and paged for the console's list. */
    feeds,
    /** The render cache behind feeds, pages and API answers. */
    rendering,
    /** Our WebSub hub. */
    hub,
    /** Our subscriptions to the hubs of followed feeds (WebSub, ingestion's side). */
    subscriber,
    crosslink,
    /** Sources and items (ingestion's store), storing and pruning items; polling goes through `polls`. */
    ingest: { store: ingestStore, items, pollerPorts },
    polls,
    /** Who reads the feeds (counted as they are answered) and what each source brings; flushed by the runtime. */
    readerStats,
    /** Re-renders the feeds of articles whose links an editor changed. */
    refreshArticleFeeds,
    repairCrosslinkIndex,
  };
}
