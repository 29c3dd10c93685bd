import { Hono } from 'hono';
import { AppError } from '../errors.ts';
import type { Hub } from '../websub/hub.ts';

/** The WebSub hub endpoint (W3C WebSub §5.1) and the operator's list of subscriptions. */
export function webSubRoutes({ hub }: { hub: Hub }) {
  const app = new Hono();

  app.post('/websub', async (c) => {
    if (!/^application\/x-www-form-urlencoded\b/i.test(c.req.header('content-type') ?? '')) {
      throw new AppError('unsupported_media_type', 'Send the hub.* fields as application/x-www-form-urlencoded.');
    }
    const { verified } = hub.request(new URLSearchParams(await c.req.text()));
    // The verification of intent goes on after the answer (W3C WebSub §5.2: 202 Accepted).
    const running = verified.catch(() => false);
    try {
      c.executionCtx.waitUntil(running); // Workers: keep the invocation alive until it is done
    } catch {
      // Node has no execution context: the promise runs on its own.
    }
    return c.text('Accepted: the callback will be asked to confirm.', 202);
  });

  app.get('/api/admin/websub', async (c) => {
    const subscriptions = await hub.list();
    const iso = (ms: number | undefined) => (ms === undefined ? null : new Date(ms).toISOString());
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
    });
  });

  return app;
}
