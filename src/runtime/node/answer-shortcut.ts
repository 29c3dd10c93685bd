import type { IncomingMessage, ServerResponse } from 'node:http';
import { type AnswerKey, chooseAnswer, countAnswer } from '../../http/cached-response.ts';
import type { RenderCache } from '../../render-cache/render-cache.ts';

export interface AnswerShortcut {
  /** Called by the app when a cached document answered a request target. */
  remember(target: string, key: AnswerKey): void;
  /** Answers a GET whose target a cached document answered before, if that document is still current; else false. */
  answer(request: IncomingMessage, response: ServerResponse): boolean;
}

/**
 * Answers repeated requests for cached feeds, pages and API answers straight from the render cache, before the request
 * becomes a Fetch Request and goes through routing: for small answers (a 304, a gzip feed) that conversion costs more
 * than the answer itself. Only targets the app answered from the cache are remembered, with what it answered them
 * from; the answer is chosen by the same function the app uses (`chooseAnswer`), so the two cannot differ, and counted
 * (feeds, for reader statistics) by the same function too (`countAnswer`). Anything else, and any target whose document
 * was invalidated, goes to the app.
 */
export function createAnswerShortcut(cache: RenderCache, maxTargets = 10_000, maxTargetLength = 512): AnswerShortcut {
  const targets = new Map<string, AnswerKey>();
  return {
    remember(target, key) {
      // Targets are few (feeds, pages, API lists), but query strings are free to vary: long ones are not kept, and the
      // oldest are forgotten first, so the map stays within maxTargets × maxTargetLength.
      if (target.length > maxTargetLength || targets.has(target)) return;
      if (targets.size >= maxTargets) targets.delete(targets.keys().next().value!);
      targets.set(target, key);
    },
    answer(request, response) {
      if (request.method !== 'GET') return false;
      const key = targets.get(request.url ?? '');
      if (!key) return false;
      const found = cache.lookup(key.scope, key.variant);
      if (found instanceof Promise || !found.document) return false;
      const { document } = found;
      const { headers } = request;
      const answer = chooseAnswer(
        document,
        key.cacheControl,
        {
          acceptEncoding: headers['accept-encoding'],
          ifNoneMatch: headers['if-none-match'],
          ifModifiedSince: headers['if-modified-since'],
        },
        false,
      );
      if (answer.body === 'none') {
        response.writeHead(answer.status, answer.headers).end();
      } else {
        // The gzip bytes are made on first demand by the app.
        const body = answer.body === 'gzip' ? document.gzipped : document.body;
        if (!body) return false;
        response.writeHead(200, { ...answer.headers, 'content-length': body.byteLength }).end(body);
      }
      if (key.counted) countAnswer(key.counted, answer, document, headers['user-agent'], request.socket.remoteAddress);
      return true;
    },
  };
}
