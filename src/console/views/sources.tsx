import type { FC } from 'hono/jsx';
import type { Source } from '../../ingest/model.ts';
import type { PollReport } from '../../ingest/poller.ts';
import type { FieldErrors } from '../article-form.ts';
import type { SourceFormValues } from '../source-form.ts';
import { CheckboxField, TextField } from './fields.tsx';
import { ActionButton, Page, type PageContext, PostForm, Time } from './layout.tsx';

/** A source's row heading: its title, linked to its page, and its feed URL. */
export const SourceHeading: FC<{ source: { id: number; title: string; url: string } }> = ({ source }) => (
  <th scope="row">
    <a href={`/admin/sources/${source.id}`}>{source.title}</a>
    <br />
    <span class="hint">{source.url}</span>
  </th>
);

const Entries: FC<{ entries: Source['entries'] }> = ({ entries }) =>
  entries ? `${entries.kept} / ${entries.repaired} / ${entries.dropped}` : <span class="muted">not parsed yet</span>;

const State: FC<{ source: Source }> = ({ source }) => {
  if (!source.enabled) return <span class="blocked">{`disabled${source.disabledReason ? `: ${source.disabledReason}` : ''}`}</span>;
  if (source.lastAttemptAt === null) return <span class="muted">not polled yet</span>;
  if (source.consecutiveErrors > 0) return <span class="draft">{`failing${source.lastStatus ? ` (HTTP ${source.lastStatus})` : ''}`}</span>;
  return <span class="published">{`ok${source.lastStatus ? ` (HTTP ${source.lastStatus})` : ''}`}</span>;
};

const HealthTable: FC<{ sources: Source[]; csrf?: string }> = ({ sources, csrf }) => (
  <table>
    <caption>{`${sources.length} ${sources.length === 1 ? 'source' : 'sources'}`}</caption>
    <thead>
      <tr>
        <th scope="col">Source</th>
        <th scope="col">State</th>
        <th scope="col">Last success</th>
        <th scope="col" class="num">
          Errors in a row
        </th>
        <th scope="col">Last error</th>
        <th scope="col">Next poll</th>
        <th scope="col">Entries kept / repaired / dropped (last parse)</th>
        <th scope="col">Actions</th>
      </tr>
    </thead>
    <tbody>
      {sources.map((source) => (
        <tr>
          <SourceHeading source={source} />
          <td>
            <State source={source} />
          </td>
          <td>
            <Time ms={source.lastSuccessAt} />
          </td>
          <td class="num">{source.consecutiveErrors}</td>
          <td>{source.lastErrorCode ? `${source.lastErrorCode}: ${source.lastErrorMessage ?? ''}` : '—'}</td>
          <td>{source.enabled ? <Time ms={source.nextPollAt} /> : '—'}</td>
          <td>
            <Entries entries={source.entries} />
          </td>
          <td>
            <ActionButton
              action={`/admin/sources/${source.id}/poll`}
              csrf={csrf}
              label="Poll now"
              ariaLabel={`Poll now: ${source.title}`}
            />
            <ActionButton
              action={`/admin/sources/${source.id}/enabled`}
              csrf={csrf}
              fields={{ enabled: source.enabled ? 'false' : 'true' }}
              label={source.enabled ? 'Disable' : 'Enable'}
              ariaLabel={`${source.enabled ? 'Disable' : 'Enable'} ${source.title}`}
            />
          </td>
        </tr>
      ))}
    </tbody>
  </table>
);

/** The fields of a source, for adding one and for editing one. */
export const SourceFields: FC<{ values: SourceFormValues; errors: FieldErrors; prefix: string; withEnabled: boolean }> = ({
  values,
  errors,
  prefix,
  withEnabled,
}) => (
  <>
    <TextField id={`${prefix}-url`} name="url" type="url" label="Feed URL" value={values.url} errors={errors.url} required />
    <TextField
      id={`${prefix}-title`}
      name="title"
      label="Title"
      hint="left empty: the feed's host"
      value={values.title}
      errors={errors.title}
    />
    <TextField
      id={`${prefix}-language`}
      name="language"
      label="Language"
      hint="a language tag such as en or es-ES; left empty: what the feed says"
      value={values.language}
      errors={errors.language}
    />
    <TextField
      id={`${prefix}-interval`}
      name="pollIntervalSeconds"
      label="Poll interval in seconds"
      hint="60 to 604800; left empty: the default"
      value={values.pollIntervalSeconds}
      errors={errors.pollIntervalSeconds}
    />
    {withEnabled && (
      <CheckboxField id={`${prefix}-enabled`} name="enabled" label="Enabled (polled on its schedule)" checked={values.enabled} />
    )}
  </>
);

/** Source health, adding a source, OPML import and export. */
export const SourcesPage: FC<{
  context: PageContext;
  sources: Source[];
  add: { values: SourceFormValues; errors: FieldErrors };
  importError?: string;
  notice?: string;
}> = (props) => (
  <Page context={props.context} title="Sources" section="sources" notice={props.notice}>
    <h2>Health</h2>
    {props.sources.length > 0 ? <HealthTable sources={props.sources} csrf={props.context.csrf} /> : <p>No source is followed yet.</p>}
    <h2 id="add-heading">Add a source</h2>
    {Object.keys(props.add.errors).length > 0 && (
      <p class="alert" role="alert">
        The source was not added: see the fields marked below.
      </p>
    )}
    <PostForm action="/admin/sources" csrf={props.context.csrf}>
      <SourceFields values={props.add.values} errors={props.add.errors} prefix="add" withEnabled={false} />
      <p class="actions">
        <button type="submit">Add the source</button>
      </p>
    </PostForm>
    <h2>Import and export</h2>
    <PostForm action="/admin/sources/import" csrf={props.context.csrf} enctype="multipart/form-data">
      <div>
        <label for="opml-file">OPML file to import</label>
        <p class="hint" id="opml-file-hint">
          Sources whose URL is already followed are skipped.
        </p>
        <input
          type="file"
          id="opml-file"
          name="opml"
          accept=".opml,.xml,text/x-opml,application/xml,text/xml"
          required
          aria-describedby={props.importError ? 'opml-file-hint opml-file-error' : 'opml-file-hint'}
          aria-invalid={props.importError ? 'true' : undefined}
        />
        {props.importError && (
          <p class="error" id="opml-file-error">
            {props.importError}
          </p>
        )}
      </div>
      <p class="actions">
        <button type="submit">Import</button>
      </p>
    </PostForm>
    <p>
      <a href="/admin/sources.opml" download="sources.opml">
        Export every source as OPML
      </a>
    </p>
  </Page>
);

/** One source's settings. */
export const SourceEditPage: FC<{
  context: PageContext;
  source: Source;
  values: SourceFormValues;
  errors: FieldErrors;
  notice?: string;
}> = (props) => (
  <Page context={props.context} title={`Source: ${props.source.title}`} section="sources" notice={props.notice}>
    <p>
      <a href="/admin/sources">Back to the sources</a>
    </p>
    {Object.keys(props.errors).length > 0 && (
      <p class="alert" role="alert">
        Nothing was saved: see the fields marked below.
      </p>
    )}
    <PostForm action={`/admin/sources/${props.source.id}`} csrf={props.context.csrf}>
      <SourceFields values={props.values} errors={props.errors} prefix="edit" withEnabled />
      <p class="actions">
        <button type="submit">Save</button>
      </p>
    </PostForm>
  </Page>
);

/** What "poll now" did. */
export const PollReportPage: FC<{ context: PageContext; source: Source; report: PollReport }> = ({ context, source, report }) => (
  <Page context={context} title={`Poll of ${source.title}`} section="sources">
    <dl class="report">
      <dt>Outcome</dt>
      <dd>{report.outcome}</dd>
      <dt>HTTP status</dt>
      <dd>{report.status ?? '—'}</dd>
      <dt>Items seen</dt>
      <dd>{report.itemsSeen}</dd>
      <dt>New items</dt>
      <dd>{report.itemsNew}</dd>
      <dt>Entries kept / repaired / dropped</dt>
      <dd>{report.entries ? `${report.entries.kept} / ${report.entries.repaired} / ${report.entries.dropped}` : '—'}</dd>
      {report.entries && Object.keys(report.entries.problems).length > 0 && (
        <>
          <dt>Problems</dt>
          <dd>
            {Object.entries(report.entries.problems)
              .map(([problem, count]) => `${problem}: ${count}`)
              .join(', ')}
          </dd>
        </>
      )}
      {report.errorCode && (
        <>
          <dt>Error</dt>
          <dd>{`${report.errorCode}${report.message ? `: ${report.message}` : ''}`}</dd>
        </>
      )}
      <dt>Articles relinked</dt>
      <dd>{report.relinkedArticles?.length ?? 0}</dd>
      <dt>Took</dt>
      <dd>{`${report.durationMs} ms`}</dd>
      <dt>Next poll</dt>
      <dd>
        <Time ms={report.nextPollAt} />
      </dd>
    </dl>
    <p>
      <a href="/admin/sources">Back to the sources</a>
    </p>
  </Page>
);
