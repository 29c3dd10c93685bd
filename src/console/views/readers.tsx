import type { Child, FC } from 'hono/jsx';
import type { FeedReport, ReadersReport, SourceReport, SourcesReport } from '../../reader-stats/report.ts';
import {
  type DayTotals,
  dailySeries,
  dayBefore,
  dayChoices,
  daysOf,
  formatBytes,
  formatCount,
  formatShare,
  pollersOn,
  seriesSummary,
  sourcesByItems,
  subscribersByAggregator,
  totalsPerDay,
} from '../reader-figures.ts';
import { BarChart, HorizontalBarChart, Sparkline } from './charts.tsx';
import { SelectField } from './fields.tsx';
import { languageLabel, Page, type PageContext } from './layout.tsx';
import { SourceHeading } from './sources.tsx';

export interface ReadersPageProps {
  context: PageContext;
  readers: ReadersReport;
  sources: SourcesReport;
  /** Why the requested period was not taken (the page then shows the default). */
  daysError?: string;
}

const formatNames = { rss: 'RSS', atom: 'Atom', json: 'JSON Feed' };

/** "English, tag lazarus, Atom": what a feed path stands for. */
function feedDescription(feed: FeedReport): string {
  const scope = feed.scope === 'site' ? 'whole site' : feed.scope === 'archive' ? `archive ${feed.month}` : `${feed.scope} ${feed.term}`;
  return `${languageLabel(feed.language)}, ${scope}, ${formatNames[feed.format]}`;
}

const share = (part: number, whole: number) => (whole === 0 ? 0 : part / whole);

/** "Feedly 120, Inoreader 45". */
const aggregatorList = (byAggregator: Record<string, number>) =>
  Object.entries(byAggregator)
    .sort(([a, x], [b, y]) => y - x || a.localeCompare(b))
    .map(([aggregator, count]) => `${aggregator} ${formatCount(count)}`)
    .join(', ');

const PeriodForm: FC<{ days: number; error?: string }> = ({ days, error }) => {
  const choices = dayChoices.includes(days) ? dayChoices : [...dayChoices, days].sort((a, b) => a - b);
  return (
    <form method="get" action="/admin/readers" class="filters" aria-label="Choose the days shown">
      <SelectField
        id="days"
        name="days"
        label="Period"
        value={String(days)}
        errors={error ? [error] : undefined}
        options={choices.map((choice) => ({ value: String(choice), label: `the last ${choice} days` }))}
      />
      <div>
        <button type="submit">Show</button>
      </div>
    </form>
  );
};

/** A scrolling box for a long table beside a chart; focusable so it scrolls from the keyboard. */
const ScrollBox: FC<{ label: string; children?: Child }> = ({ label, children }) => (
  <section class="scroll" aria-label={label} tabindex={0}>
    {children}
  </section>
);

/** A sparkline of a value per day, named by what it shows in words. */
const DaySparkline: FC<{ what: string; days: string[]; values: number[] }> = ({ what, days, values }) => (
  <Sparkline label={seriesSummary(what, days, values)} values={values} />
);

/** The columns of a feed's traffic over a day or a period: requests, the 304 share, bytes saved by 304s and by gzip. */
const TrafficHeadings: FC = () => (
  <>
    <th scope="col" class="num">
      Requests
    </th>
    <th scope="col" class="num">
      304 share
    </th>
    <th scope="col" class="num">
      Saved by 304s
    </th>
    <th scope="col" class="num">
      Saved by gzip
    </th>
  </>
);

interface Traffic {
  requests: number;
  bytesSavedByNotModified: number;
  bytesSavedByGzip: number;
}

const TrafficCells: FC<{ traffic: Traffic; notModifiedShare: number }> = ({ traffic, notModifiedShare }) => (
  <>
    <td class="num">{formatCount(traffic.requests)}</td>
    <td class="num">{formatShare(notModifiedShare)}</td>
    <td class="num">{formatBytes(traffic.bytesSavedByNotModified)}</td>
    <td class="num">{formatBytes(traffic.bytesSavedByGzip)}</td>
  </>
);

const RequestsOverview: FC<{ totals: DayTotals[]; from: string; to: string }> = ({ totals, from, to }) => (
  <div class="chart-row">
    <div class="panel">
      <BarChart
        title={`Requests per day to all feeds, ${from} to ${to}, and the 304 Not Modified among them (figures in the table beside)`}
        valueName="requests"
        partName="304 Not Modified"
        bars={totals.map((total) => ({ label: total.day.slice(5), value: total.requests, part: total.notModified }))}
      />
    </div>
    <ScrollBox label="Requests per day, in figures">
      <table>
        <caption>Requests per day, newest first</caption>
        <thead>
          <tr>
            <th scope="col">Day</th>
            <TrafficHeadings />
          </tr>
        </thead>
        <tbody>
          {[...totals].reverse().map((total) => (
            <tr>
              <th scope="row" class="day">
                {total.day}
              </th>
              <TrafficCells traffic={total} notModifiedShare={share(total.notModified, total.requests)} />
            </tr>
          ))}
        </tbody>
      </table>
    </ScrollBox>
  </div>
);

const SubscribersOverview: FC<{ feeds: FeedReport[] }> = ({ feeds }) => {
  const rows = subscribersByAggregator(feeds);
  if (rows.length === 0) return <p>No aggregator has announced subscribers in the last day.</p>;
  return (
    <div class="chart-row">
      <div class="panel">
        <HorizontalBarChart
          title="Subscribers now by aggregator, all feeds together (figures in the table beside)"
          bars={rows.map((row) => ({ label: row.aggregator, value: row.subscribers }))}
        />
      </div>
      <table>
        <caption>Subscribers now, all feeds together</caption>
        <thead>
          <tr>
            <th scope="col">Aggregator</th>
            <th scope="col" class="num">
              Subscribers
            </th>
          </tr>
        </thead>
        <tbody>
          {rows.map((row) => (
            <tr>
              <th scope="row">{row.aggregator}</th>
              <td class="num">{formatCount(row.subscribers)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
};

const FeedsTable: FC<{ feeds: FeedReport[]; days: string[]; today: string }> = ({ feeds, days, today }) => {
  const yesterday = dayBefore(today);
  return (
    <table>
      <caption>{`${feeds.length} ${feeds.length === 1 ? 'feed' : 'feeds'} requested, most requested first`}</caption>
      <thead>
        <tr>
          <th scope="col">Feed</th>
          <th scope="col">Requests per day</th>
          <TrafficHeadings />
          <th scope="col">Subscribers now</th>
          <th scope="col" class="num">
            Pollers yesterday
          </th>
          <th scope="col" class="num">
            Pollers today
          </th>
        </tr>
      </thead>
      <tbody>
        {feeds.map((feed) => (
          <tr>
            <th scope="row">
              {feed.feed}
              <br />
              <span class="hint">{feedDescription(feed)}</span>
            </th>
            <td>
              <DaySparkline
                what={`Requests per day to ${feed.feed}`}
                days={days}
                values={dailySeries(days, feed.days, (day) => day.requests)}
              />
            </td>
            <TrafficCells traffic={feed} notModifiedShare={feed.notModifiedShare} />
            <td>
              <span class="total">{formatCount(feed.subscribers.total)}</span>
              {feed.subscribers.total > 0 && (
                <>
                  <br />
                  <span class="hint">{aggregatorList(feed.subscribers.byAggregator)}</span>
                </>
              )}
            </td>
            <td class="num">{formatCount(pollersOn(feed, yesterday))}</td>
            <td class="num">{formatCount(pollersOn(feed, today))}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
};

/** A feed's days with requests, newest first, behind a disclosure (the numbers behind its sparkline). */
const FeedDays: FC<{ feed: FeedReport }> = ({ feed }) => (
  <details>
    <summary>{`${feed.feed} (${feedDescription(feed)})`}</summary>
    <table>
      <caption>{`${feed.feed}, each day with requests, newest first`}</caption>
      <thead>
        <tr>
          <th scope="col">Day</th>
          <TrafficHeadings />
          <th scope="col">Subscribers</th>
          <th scope="col" class="num">
            Pollers
          </th>
        </tr>
      </thead>
      <tbody>
        {[...feed.days].reverse().map((day) => (
          <tr>
            <th scope="row" class="day">
              {day.day}
            </th>
            <TrafficCells traffic={day} notModifiedShare={day.notModifiedShare} />
            <td>{day.subscribers.total > 0 ? aggregatorList(day.subscribers.byAggregator) : '—'}</td>
            <td class="num">{formatCount(day.pollers)}</td>
          </tr>
        ))}
      </tbody>
    </table>
  </details>
);

const SourcesTable: FC<{ sources: SourceReport[]; days: string[] }> = ({ sources, days }) => (
  <table>
    <caption>{`${sources.length} ${sources.length === 1 ? 'source' : 'sources'}, most items first`}</caption>
    <thead>
      <tr>
        <th scope="col">Source</th>
        <th scope="col">Items per day</th>
        <th scope="col" class="num">
          Items
        </th>
        <th scope="col">Days with items</th>
      </tr>
    </thead>
    <tbody>
      {sources.map((source) => (
        <tr>
          <SourceHeading source={source} />
          <td>
            <DaySparkline
              what={`Items per day from ${source.title}`}
              days={days}
              values={dailySeries(days, source.days, (day) => day.items)}
            />
          </td>
          <td class="num">{formatCount(source.items)}</td>
          <td>
            {source.days.length > 0
              ? [...source.days]
                  .reverse()
                  .map((day) => `${day.day}: ${formatCount(day.items)}`)
                  .join(', ')
              : '—'}
          </td>
        </tr>
      ))}
    </tbody>
  </table>
);

/** Reader statistics: requests and subscribers across feeds at a glance, then each feed, then what each source brings. */
export const ReadersPage: FC<ReadersPageProps> = ({ context, readers, sources, daysError }) => {
  const days = daysOf(readers);
  return (
    <Page context={context} title="Readers" section="readers">
      <PeriodForm days={readers.days} error={daysError} />
      <p>{`From ${readers.from} to ${readers.to} (UTC days, today included). Figures are written every few seconds; this page writes what is pending first.`}</p>

      <h2>Requests per day</h2>
      <RequestsOverview totals={totalsPerDay(readers)} from={readers.from} to={readers.to} />

      <h2>Subscribers by aggregator</h2>
      <p>
        Hosted aggregators (Feedly, Inoreader, Feedbin, NewsBlur, The Old Reader and others) say in their User-Agent how many of their users
        follow a feed. Shown is the largest count each announced today or yesterday, so it covers at least the last 24 hours; a user
        following two of the feeds counts twice. Self-hosted readers and apps (Miniflux, FreshRSS, newsboat…) announce nothing: they are
        counted below as distinct pollers per day, each a pair of address and User-Agent, kept only as a hash salted anew every day.
      </p>
      <SubscribersOverview feeds={readers.feeds} />

      <h2>Feeds</h2>
      {readers.feeds.length > 0 ? (
        <>
          <FeedsTable feeds={readers.feeds} days={days} today={readers.to} />
          <h3>Each feed, day by day</h3>
          {readers.feeds.map((feed) => (
            <FeedDays feed={feed} />
          ))}
        </>
      ) : (
        <p>{`No feed was requested in these ${readers.days} days.`}</p>
      )}

      <h2>Sources</h2>
      {sources.sources.length > 0 ? (
        <SourcesTable sources={sourcesByItems(sources.sources)} days={days} />
      ) : (
        <p>No source is followed yet.</p>
      )}
    </Page>
  );
};
