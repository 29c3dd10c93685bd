import { raw } from 'hono/html';
import type { Child, FC } from 'hono/jsx';

/** What every console page knows about the request. */
export interface PageContext {
  siteTitle: string;
  /** Where the style sheet is served (its URL carries the sheet's fingerprint). */
  styleHref: string;
  /** The signed-in session's CSRF token; undefined on pages shown before signing in. */
  csrf?: string;
}

export type Section = 'articles' | 'sources' | 'readers';

const sections: { id: Section; label: string; href: string }[] = [
  { id: 'articles', label: 'Articles', href: '/admin/articles' },
  { id: 'sources', label: 'Sources', href: '/admin/sources' },
  { id: 'readers', label: 'Readers', href: '/admin/readers' },
];

/** A POST form to a console route, carrying the session's CSRF token. */
export const PostForm: FC<{ action: string; csrf?: string; class?: string; enctype?: 'multipart/form-data'; children?: Child }> = (
  props,
) => (
  <form method="post" action={props.action} class={props.class} enctype={props.enctype}>
    <input type="hidden" name="_csrf" value={props.csrf ?? ''} />
    {props.children}
  </form>
);

/** An action on one row: an inline form of hidden fields and its one button (poll now, disable, publish, pin). */
export const ActionButton: FC<{ action: string; csrf?: string; fields?: Record<string, string>; label: string; ariaLabel?: string }> = (
  props,
) => (
  <PostForm action={props.action} csrf={props.csrf} class="inline">
    {Object.entries(props.fields ?? {}).map(([name, value]) => (
      <input type="hidden" name={name} value={value} />
    ))}
    <button type="submit" class="secondary" aria-label={props.ariaLabel}>
      {props.label}
    </button>
  </PostForm>
);

/** The frame of every console page: skip link, header with navigation and sign-out, main landmark, notices. */
export const Page: FC<{ context: PageContext; title: string; section?: Section; notice?: string; children?: Child }> = ({
  context,
  title,
  section,
  notice,
  children,
}) => (
  <>
    {raw('<!doctype html>')}
    <html lang="en">
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <meta name="robots" content="noindex" />
        <title>{`${title} · ${context.siteTitle} console`}</title>
        <link rel="stylesheet" href={context.styleHref} />
      </head>
      <body>
        <a class="skip" href="#main">
          Skip to content
        </a>
        <header class="top">
          <p class="brand">{context.siteTitle} console</p>
          {context.csrf !== undefined && (
            <>
              <nav aria-label="Console sections">
                <ul>
                  {sections.map((s) => (
                    <li>
                      <a href={s.href} aria-current={s.id === section ? 'page' : undefined}>
                        {s.label}
                      </a>
                    </li>
                  ))}
                </ul>
              </nav>
              <PostForm action="/admin/sign-out" csrf={context.csrf}>
                <button type="submit" class="secondary">
                  Sign out
                </button>
              </PostForm>
            </>
          )}
        </header>
        <main id="main">
          <h1>{title}</h1>
          {notice && (
            <p role="status" class="notice">
              {notice}
            </p>
          )}
          {children}
        </main>
      </body>
    </html>
  </>
);

/** A page that only says something (refusals, errors, the disabled console). */
export const MessagePage: FC<{ context: PageContext; title: string; message: string; link?: { href: string; label: string } }> = (
  props,
) => (
  <Page context={props.context} title={props.title}>
    <p class="alert" role="alert">
      {props.message}
    </p>
    {props.link && (
      <p>
        <a href={props.link.href}>{props.link.label}</a>
      </p>
    )}
  </Page>
);

/** A time in UTC as people read it, marked up with its machine-readable value. */
export const Time: FC<{ ms: number | null | undefined; empty?: string }> = ({ ms, empty }) =>
  ms === null || ms === undefined ? (
    <span class="muted">{empty ?? 'never'}</span>
  ) : (
    <time datetime={new Date(ms).toISOString()}>{`${new Date(ms).toISOString().slice(0, 16).replace('T', ' ')} UTC`}</time>
  );

const englishNames = new Intl.DisplayNames(['en'], { type: 'language' });

/** A language's English name, as the console (written in English) names it. */
export function languageLabel(lang: string): string {
  return englishNames.of(lang) ?? lang;
}
