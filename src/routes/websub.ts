import type { Context } from 'hono';
import { Hono } from 'hono';
import { AppError } from '../errors.ts';
import type { Hub } from '../websub/hub.ts';
import type { Subscriber } from '../websub/subscriber-service.ts';

/** Keeps work going after the answer: within the invocation on Workers; on Node the promise simply runs on. */
function afterAnswer(c: Context, work: Promise<unknown>): void {
  try {
    c.executionCtx.waitUntil(work);
  } catch {
    // Node has no execution context.
  }
}

const iso = (ms: number | undefined) => (ms === undefined ? null : new Date(ms).toISOString());

/**
 * The WebSub hub endpoint (W3C WebSub §5.1), our callback as a subscriber to other hubs (§5.3, §7), and the operator's
 * list of both kinds of subscription.
 */
export function webSubRoutes({ hub, subscriber }: { hub: Hub; subscriber: Subscriber }) {
  const app = new Hono();

  app.post('/websub', async (c) => {
    if (!/^application\/x-www-form-urlencoded\b/i.test(c.req.header('content-type') ?? '')) {
      throw new AppError('unsupported_media_type', 'Send the hub.* fields as application/x-www-form-urlencoded.');
    }
    const { verified } = hub.request(new URLSearchParams(await c.req.text()));
    // The verification of intent goes on after the answer (W3C WebSub §5.2: 202 Accepted).
    const running = verified.catch(() => false);
    afterAnswer(c, running);
    return c.text('Accepted: the callback will be asked to confirm.', 202);
  });

  // W3C WebSub §5.3 (and §5.2): a hub verifies our intent, or tells us it denied the subscription.
  app.get('/websub/callback/:id', async (c) => {
    const { status, body } = await subscriber.verify(c.req.param('id'), new URL(c.req.url).searchParams);
    return c.text(body, status);
  });

  // W3C WebSub §7: a hub pushes the feed's new content; it is stored after the answer.
  app.post('/websub/callback/:id', async (c) => {
    const body = new Uint8Array(await c.req.arrayBuffer());
    const answer = await subscriber.receive(c.req.param('id'), body, {
      signature: c.req.header('x-hub-signature'),
      contentType: c.req.header('content-type'),
    });
    if (answer.done) afterAnswer(c, answer.done);
    return answer.status === 410 ? c.text('Gone: no subscription has this callback.', 410) : c.text('Accepted.', 202);
  });

  app.get('/api/admin/websub', async (c) => {
    const [subscriptions, following] = await Promise.all([hub.list(), subscriber.list()]);
    return c.json({
      hub: hub.hubUrl,
      subscriptions: subscriptions.map((s) => ({
        topic: s.topic,
        callback: s.callback,
        signed: s.secret !== undefined,
        leaseEnd: iso(s.leaseEnd),
        since: iso(s.createdAt),
        lastDelivery: iso(s.lastDeliveryAt),
        failures: s.failures,
        lastError: s.lastError ?? null,
        nextAttempt: iso(s.dueAt),
      })),
      // Ours, to the hubs of the feeds we follow.
      following: following.map((s) => ({
        source: s.sourceId,
        hub: s.hub,
        topic: s.topic,
        callback: subscriber.callbackUrl(s.callbackId),
        state: s.state,
        requested: iso(s.requestedAt),
        leaseEnd: iso(s.leaseEnd),
        lastContent: iso(s.lastContentAt),
        failures: s.failures,
        lastError: s.lastError ?? null,
      })),
    });
  });

  return app;
}
