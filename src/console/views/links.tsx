import type { FC } from 'hono/jsx';
import type { Article } from '../../articles/model.ts';
import type { LinkState } from '../../crosslink/model.ts';
import { ActionButton, Page, type PageContext, Time } from './layout.tsx';

/** An item shown for review: a link (with its state) or a near-miss (without one). */
export interface ReviewedItem {
  itemId: number;
  url: string | null;
  title: string;
  language: string | null;
  publishedAt: number;
  source?: string | null;
  score: number;
  reason: string;
  state?: LinkState;
}

/** The editor's choices an item offers from where it stands. */
const choicesFor = (state: LinkState | undefined): { value: 'pinned' | 'blocked' | 'undo'; label: string }[] => {
  if (state === 'pinned')
    return [
      { value: 'blocked', label: 'Block' },
      { value: 'undo', label: 'Undo pin' },
    ];
  if (state === 'blocked')
    return [
      { value: 'pinned', label: 'Pin' },
      { value: 'undo', label: 'Undo block' },
    ];
  return [
    { value: 'pinned', label: 'Pin' },
    { value: 'blocked', label: 'Block' },
  ];
};

const ItemTitle: FC<{ item: ReviewedItem }> = ({ item }) =>
  item.url ? (
    <a href={item.url} rel="noopener noreferrer nofollow" lang={item.language ?? undefined}>
      {item.title}
    </a>
  ) : (
    <span lang={item.language ?? undefined}>{item.title}</span>
  );

const ItemTable: FC<{ caption: string; items: ReviewedItem[]; articleId: string; csrf?: string; withState: boolean }> = (props) => (
  <table>
    <caption>{props.caption}</caption>
    <thead>
      <tr>
        <th scope="col">Item</th>
        <th scope="col">Source</th>
        <th scope="col">Language</th>
        <th scope="col">Published</th>
        <th scope="col" class="num">
          Score
        </th>
        <th scope="col">Reason</th>
        {props.withState && <th scope="col">State</th>}
        <th scope="col">Actions</th>
      </tr>
    </thead>
    <tbody>
      {props.items.map((item) => (
        <tr>
          <th scope="row">
            <ItemTitle item={item} />
          </th>
          <td>{item.source ?? '—'}</td>
          <td>{item.language ?? '—'}</td>
          <td>
            <Time ms={item.publishedAt} />
          </td>
          <td class="num">{item.score.toFixed(2)}</td>
          <td>{item.reason}</td>
          {props.withState && (
            <td>
              <span class={item.state}>{item.state}</span>
            </td>
          )}
          <td>
            {choicesFor(item.state).map((choice) => (
              <ActionButton
                action={`/admin/articles/${props.articleId}/links/${item.itemId}`}
                csrf={props.csrf}
                fields={{ state: choice.value }}
                label={choice.label}
                ariaLabel={`${choice.label}: ${item.title}`}
              />
            ))}
          </td>
        </tr>
      ))}
    </tbody>
  </table>
);

/** An article's related coverage for review: its links with score, reason and state, then the near-misses. */
export const LinksPage: FC<{
  context: PageContext;
  article: Article;
  links: ReviewedItem[];
  nearMisses: ReviewedItem[];
  notice?: string;
}> = (props) => {
  const title = props.article.translations[0]?.title ?? props.article.id;
  return (
    <Page context={props.context} title={`Related coverage: ${title}`} section="articles" notice={props.notice}>
      <p>
        <a href={`/admin/articles/${props.article.id}`}>Back to the article</a>
      </p>
      <p>
        A pinned link is always shown and a blocked one never, whatever re-matching finds; undoing a choice leaves the link to the matcher
        again.
      </p>
      <h2>Links</h2>
      {props.links.length > 0 ? (
        <ItemTable
          caption="Linked items, best first"
          items={props.links}
          articleId={props.article.id}
          csrf={props.context.csrf}
          withState
        />
      ) : (
        <p>No item is linked to this article.</p>
      )}
      <h2>Near-misses</h2>
      {props.nearMisses.length > 0 ? (
        <ItemTable
          caption="Items found below the threshold, closest first"
          items={props.nearMisses}
          articleId={props.article.id}
          csrf={props.context.csrf}
          withState={false}
        />
      ) : (
        <p>The matcher found nothing close below the threshold.</p>
      )}
    </Page>
  );
};
