import { type Context, Hono } from 'hono';
import { AppError } from '../errors.ts';
import { decodeFeedBytes } from '../ingest/decode.ts';
import { IngestError } from '../ingest/ingest-error.ts';
import type { Source } from '../ingest/model.ts';
import { parseSourcesOpml, renderSourcesOpml } from '../ingest/sources-opml.ts';
import type { FieldErrors } from './article-form.ts';
import type { ConsoleEnv } from './auth.ts';
import type { ConsolePorts } from './console-app.tsx';
import { emptySourceForm, parseSourceForm, readSourceForm, type SourceFormValues, sourceFormOf } from './source-form.ts';
import type { PageContext } from './views/layout.tsx';
import { PollReportPage, SourceEditPage, SourcesPage } from './views/sources.tsx';

const notices: Record<string, string> = {
  added: 'The source was added; it is polled on its schedule, or now with "Poll now".',
  saved: 'Saved.',
  enabled: 'Enabled: it is polled again from now on.',
  disabled: 'Disabled: it is no longer polled.',
};

const taken = (url: string) => ({ url: [`A source with the URL ${url} is already followed.`] });

/** Sources: health, adding, editing, enabling and disabling, OPML import and export, and polling one now. */
export function sourceRoutes(ports: ConsolePorts, pageContext: (c: Context<ConsoleEnv>) => PageContext) {
  const app = new Hono<ConsoleEnv>();
  const store = ports.ingest.store;
  const { now, polls, config } = ports;

  async function requireSource(id: string): Promise<Source> {
    const source = /^\d{1,12}$/.test(id) ? await store.getSource(Number(id)) : undefined;
    if (!source) throw new AppError('not_found', `No source with id "${id}".`);
    return source;
  }

  const listPage = async (
    c: Context<ConsoleEnv>,
    state: { add?: { values: SourceFormValues; errors: FieldErrors }; importError?: string; notice?: string },
    status: 200 | 400 | 409 = 200,
  ) =>
    c.html(
      <SourcesPage
        context={pageContext(c)}
        sources={await store.listSources()}
        add={state.add ?? { values: emptySourceForm, errors: {} }}
        importError={state.importError}
        notice={state.notice}
      />,
      status,
    );

  app.get('/admin/sources', (c) => {
    const imported = c.req.query('imported');
    const notice =
      imported !== undefined
        ? `Imported ${Number(imported) || 0} sources; ${Number(c.req.query('skipped')) || 0} were already followed.`
        : notices[c.req.query('done') ?? ''];
    return listPage(c, { notice });
  });

  app.post('/admin/sources', async (c) => {
    const values = readSourceForm(await c.req.parseBody(), false);
    const parsed = parseSourceForm(values);
    if ('errors' in parsed) return listPage(c, { add: { values, errors: parsed.errors } }, 400);
    if (await store.findSourceByUrl(parsed.input.url)) return listPage(c, { add: { values, errors: taken(parsed.input.url) } }, 409);
    await store.addSources([parsed.input], now());
    return c.redirect('/admin/sources?done=added', 303);
  });

  app.get('/admin/sources.opml', async (c) =>
    c.body(renderSourcesOpml(`${config.siteTitle}: followed sources`, await store.listSources()), 200, {
      'content-type': 'text/x-opml; charset=utf-8',
      'content-disposition': 'attachment; filename="sources.opml"',
    }),
  );

  app.post('/admin/sources/import', async (c) => {
    const file = (await c.req.parseBody()).opml;
    if (!(file instanceof File) || file.size === 0) return listPage(c, { importError: 'Choose an OPML file to import.' }, 400);
    let sources: Awaited<ReturnType<typeof parseSourcesOpml>>;
    try {
      sources = await parseSourcesOpml(decodeFeedBytes(new Uint8Array(await file.arrayBuffer()), file.type || undefined).text);
    } catch (error) {
      if (!(error instanceof IngestError)) throw error;
      return listPage(c, { importError: `Nothing was imported: ${error.message}` }, 400);
    }
    const ids = await store.addSources(sources, now());
    return c.redirect(`/admin/sources?imported=${ids.length}&skipped=${sources.length - ids.length}`, 303);
  });

  app.get('/admin/sources/:id', async (c) => {
    const source = await requireSource(c.req.param('id'));
    return c.html(
      <SourceEditPage
        context={pageContext(c)}
        source={source}
        values={sourceFormOf(source)}
        errors={{}}
        notice={notices[c.req.query('done') ?? '']}
      />,
    );
  });

  app.post('/admin/sources/:id', async (c) => {
    const source = await requireSource(c.req.param('id'));
    const values = readSourceForm(await c.req.parseBody(), true);
    const parsed = parseSourceForm(values);
    const conflict = 'input' in parsed && parsed.input.url !== source.url && (await store.findSourceByUrl(parsed.input.url));
    if ('errors' in parsed || conflict) {
      const errors = 'errors' in parsed ? parsed.errors : taken(values.url);
      return c.html(<SourceEditPage context={pageContext(c)} source={source} values={values} errors={errors} />, conflict ? 409 : 400);
    }
    // Enabling resets the error count and polls at once: only when the box changed.
    const { enabled, ...patch } = parsed.input;
    await store.updateSource(source.id, enabled === source.enabled ? patch : { ...patch, enabled });
    return c.redirect(`/admin/sources/${source.id}?done=saved`, 303);
  });

  app.post('/admin/sources/:id/enabled', async (c) => {
    const source = await requireSource(c.req.param('id'));
    const enabled = (await c.req.parseBody()).enabled === 'true';
    await store.updateSource(source.id, { enabled });
    return c.redirect(`/admin/sources?done=${enabled ? 'enabled' : 'disabled'}`, 303);
  });

  app.post('/admin/sources/:id/poll', async (c) => {
    const source = await requireSource(c.req.param('id'));
    const [report] = await polls.pollSources([source.id]);
    if (!report) throw new AppError('not_found', `Source ${source.id} could not be polled.`);
    return c.html(<PollReportPage context={pageContext(c)} source={(await store.getSource(source.id)) ?? source} report={report} />);
  });

  return app;
}
