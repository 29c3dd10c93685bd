import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type EvalItem, ingestEvalItems } from '../bench/eval-crosslink.ts';
import { startTestApp, type TestApp, translation } from './helpers/test-app.ts';

const fixture = JSON.parse(readFileSync(join(import.meta.dirname, 'fixtures/crosslink/north-korea-items.json'), 'utf8')) as {
  items: EvalItem[];
  expectRelated: string[];
  expectUnrelated: string[];
};

interface Related {
  itemId: number;
  source: string;
  title: string;
  url: string;
  language: string;
  publishedAt: string;
  score: number;
  reason: string;
}

let t: TestApp;
let ids: Map<string, number>;
const nkEnglish = '/api/articles/en/north-korea-opens-its-doors-to-the-cryptoverse';

beforeAll(async () => {
  t = await startTestApp();
  ids = await ingestEvalItems(t.services, fixture.items);
});
afterAll(() => t.close());

const related = async (path: string, app: TestApp = t) => ((await (await app.request(path)).json()) as { related: Related[] }).related;
const spanishPath = async () => {
  const english = (await (await t.request(nkEnglish)).json()) as { translations: { lang: string; slug: string }[] };
  return `/api/articles/es/${english.translations.find((x) => x.lang === 'es')!.slug}`;
};

describe('the North Korea conference article', () => {
  it('links the reports of that conference, in English and Spanish, and not the unrelated North Korea or blockchain news', async () => {
    const linked = new Set((await related(nkEnglish)).map((item) => item.itemId));
    const want = fixture.expectRelated.map((id) => ids.get(id)!);
    const unwanted = fixture.expectUnrelated.map((id) => ids.get(id)!);
    expect(want.filter((id) => linked.has(id)).length).toBeGreaterThanOrEqual(Math.min(6, want.length));
    for (const id of unwanted) expect(linked.has(id), `unrelated item ${id} linked`).toBe(false);
    const languages = new Set((await related(nkEnglish)).map((item) => item.language));
    expect(languages).toEqual(new Set(['en', 'es']));
  });

  it('shares its links with its Spanish translation, each marked with its language and a reason', async () => {
    const english = await related(nkEnglish);
    const spanish = await related(await spanishPath());
    expect(spanish.map((item) => item.itemId)).toEqual(english.map((item) => item.itemId));
    for (const item of english) {
      expect(item.reason).toMatch(/^shared: |similar wording/);
      expect(item.score).toBeGreaterThan(0);
      expect(item.source.length).toBeGreaterThan(0);
    }
    expect(english.some((item) => /North Korea/.test(item.reason))).toBe(true);
  });

  it('shows the coverage of an item with the articles it relates to', async () => {
    const [first] = await related(nkEnglish);
    const coverage = (await (await t.request(`/api/coverage/${first.itemId}`)).json()) as {
      item: { title: string };
      articles: { translations: { lang: string }[] }[];
    };
    expect(coverage.item.title).toBe(first.title);
    expect(coverage.articles[0].translations.map((x) => x.lang).sort()).toEqual(['en', 'es']);
    expect((await t.request('/api/coverage/999999')).status).toBe(404);
  });
});

describe('across languages', () => {
  it('links a Spanish report to an English-only article through the entities they share', async () => {
    const article = (await (await t.request('/api/articles/en/binance-agrees-to-pay-4-3-billion-in-us-settlement')).json()) as {
      id: string;
      publishedAt: string;
    };
    const when = new Date(Date.parse(article.publishedAt) + 6 * 3_600_000).toISOString();
    const [itemId] = [
      ...(
        await ingestEvalItems(t.services, [
          {
            id: 'es-binance',
            source: 'Diario Cripto',
            lang: 'es',
            url: 'https://diariocripto.example/binance-acuerdo-eeuu',
            title: 'Binance pagará 4.300 millones de dólares y Changpeng Zhao deja la dirección',
            summary: 'El exchange se declara culpable ante el Departamento de Justicia de EE. UU. y CZ renuncia como director ejecutivo.',
            content:
              '<p>Binance aceptó pagar unos 4.300 millones de dólares para cerrar las investigaciones del Departamento de Justicia, el Tesoro y la CFTC.</p>',
            publishedAt: when,
          },
        ])
      ).values(),
    ];
    const links = await related('/api/articles/en/binance-agrees-to-pay-4-3-billion-in-us-settlement');
    const link = links.find((item) => item.itemId === itemId);
    expect(link).toMatchObject({ language: 'es', source: 'Diario Cripto' });
    expect(link!.reason).toMatch(/Binance/);
  });
  it('links it when its feed states no language or the wrong one, by the language its text is written in', async () => {
    const path = '/api/articles/en/binance-agrees-to-pay-4-3-billion-in-us-settlement';
    const article = (await (await t.request(path)).json()) as { id: string; publishedAt: string };
    const when = new Date(Date.parse(article.publishedAt) + 8 * 3_600_000).toISOString();
    const report = (id: string, lang: string) => ({
      id,
      source: `Cripto Semanal ${id}`,
      lang,
      url: `https://criptosemanal.example/${id}`,
      title: 'El fundador de Binance deja el cargo tras el acuerdo con la justicia de Estados Unidos',
      summary:
        'Changpeng Zhao se declaró culpable y dejará la dirección de Binance, que pagará una multa de 4.300 millones de dólares por el acuerdo.',
      content:
        '<p>El exchange más grande del mundo admitió que no tenía un programa eficaz contra el lavado de dinero y que permitió operaciones con usuarios de países sancionados.</p>',
      publishedAt: when,
    });
    const ids = await ingestEvalItems(t.services, [report('sin-idioma', ''), report('idioma-equivocado', 'en-US')]);
    for (const itemId of ids.values()) {
      const coverage = (await (await t.request(`/api/coverage/${itemId}`)).json()) as {
        item: { language: string };
        articles: { id: string }[];
      };
      expect(coverage.item.language).toBe('es');
      expect(coverage.articles.map((a) => a.id)).toContain(article.id);
    }
  });

  it('links it read from an RSS, an Atom or a JSON Feed document that states no language', async () => {
    const app = await startTestApp();
    try {
      const path = '/api/articles/en/binance-agrees-to-pay-4-3-billion-in-us-settlement';
      const article = (await (await app.request(path)).json()) as { id: string; publishedAt: string };
      const when = new Date(Date.parse(article.publishedAt) + 8 * 3_600_000).toISOString();
      // Three outlets, so the three formats (the eval's feed delivery writes one per outlet).
      const reports = ['Cripto Uno', 'Cripto Dos', 'Cripto Tres'].map((source, n) => ({
        id: `formato-${n}`,
        source,
        lang: 'es',
        url: `https://cripto${n}.example/binance-acuerdo`,
        title: 'Binance pagará 4.300 millones de dólares y su fundador deja el cargo',
        summary: 'Changpeng Zhao se declaró culpable y dejará la dirección de Binance, que pagará una multa de 4.300 millones de dólares.',
        content:
          '<p>El exchange admitió que no tenía un programa eficaz contra el lavado de dinero y que operó con usuarios de países sancionados.</p>',
        publishedAt: when,
      }));
      const ids = await ingestEvalItems(app.services, reports, 'feeds');
      for (const itemId of ids.values()) {
        const coverage = (await (await app.request(`/api/coverage/${itemId}`)).json()) as {
          item: { language: string };
          articles: { id: string }[];
        };
        expect(coverage.item.language).toBe('es');
        expect(coverage.articles.map((a) => a.id)).toContain(article.id);
      }
    } finally {
      await app.close();
    }
  });
});

describe('another story of the same kind', () => {
  it('leaves out a report that sets another exchange against the article’s, and links the article’s own report', async () => {
    const app = await startTestApp();
    try {
      const path = '/api/articles/en/binance-agrees-to-pay-4-3-billion-in-us-settlement';
      const article = (await (await app.request(path)).json()) as { publishedAt: string };
      const at = (hours: number) => new Date(Date.parse(article.publishedAt) + hours * 3_600_000).toISOString();
      const ids = await ingestEvalItems(app.services, [
        {
          id: 'other-exchange',
          source: 'Ledger Wire',
          lang: 'en',
          url: 'https://ledgerwire.example/kraken-fights-sec',
          title: 'Kraken vows to fight the SEC in court as Binance settles with the Justice Department',
          summary:
            'Kraken said it would contest the securities regulator’s lawsuit over its trading platform, a day after Binance agreed to pay $4.3 billion.',
          content:
            '<p>Kraken said on Wednesday it would fight the SEC’s lawsuit, which accuses the exchange of running an unregistered trading platform.</p><p>Kraken called the case an attempt to regulate by enforcement. Binance, by contrast, settled its cases with the Justice Department.</p>',
          publishedAt: at(5),
        },
        {
          id: 'same-story',
          source: 'Chain Daily',
          lang: 'en',
          url: 'https://chaindaily.example/binance-settles',
          title: 'Binance will pay $4.3 billion and Changpeng Zhao steps down in US settlement',
          summary:
            'Binance pleaded guilty to money-laundering and sanctions violations and agreed to pay $4.3 billion; Changpeng Zhao resigned.',
          content: '<p>Binance agreed to pay about $4.3 billion to settle the Justice Department, Treasury and CFTC investigations.</p>',
          publishedAt: at(4),
        },
      ]);
      const linked = (await related(path, app)).map((item) => item.itemId);
      expect(linked).toContain(ids.get('same-story'));
      expect(linked).not.toContain(ids.get('other-exchange'));
    } finally {
      await app.close();
    }
  });
});

describe('a new actor in the article’s story', () => {
  it('links a follow-up whose title names the article’s subject beside an actor the article never names', async () => {
    const app = await startTestApp();
    try {
      const path = '/api/articles/en/ronin-bridge-drained-of-more-than-600-million';
      const article = (await (await app.request(path)).json()) as { id: string; publishedAt: string };
      const ids = await ingestEvalItems(app.services, [
        {
          id: 'freeze',
          source: 'Chain Daily',
          lang: 'en',
          url: 'https://chaindaily.example/binance-freezes-ronin-funds',
          title: 'Binance freezes $5.8 million of the ether stolen from the Ronin bridge',
          summary:
            'The exchange said it had frozen funds the attacker moved from the bridge behind Axie Infinity, part of the 173,600 ether and 25.5 million USDC taken.',
          content:
            '<p>Binance said the frozen funds came from the Ronin bridge hack, in which the attacker took control of five of the nine validator keys, and would be returned to Sky Mavis.</p>',
          publishedAt: new Date(Date.parse(article.publishedAt) + 6 * 86_400_000).toISOString(),
        },
      ]);
      const linked = (await app.services.crosslink.linkedArticles(ids.get('freeze')!)).map((link) => link.articleId);
      expect(linked).toContain(article.id);
    } finally {
      await app.close();
    }
  });
});

describe('names the dictionary does not know', () => {
  it('vouch for the subject two reports share, so a report in another language about an unknown protocol links', async () => {
    const app = await startTestApp({ seed: false });
    try {
      const created = await app.admin('POST', '/api/admin/articles', {
        translations: [
          translation({
            slug: 'qubit-bridge-exploit',
            title: 'Qubit bridge drained of $82 million in a minting exploit',
            summary: 'An attacker minted unbacked tokens on the Qubit bridge and borrowed $82 million against them, Qubit said.',
            content: '<p>The Qubit team said the exploit abused a flaw in how the bridge credited deposits.</p>',
            publishedAt: '2030-01-01T10:00:00Z',
          }),
        ],
      });
      expect(created.status).toBe(201);
      const ids = await ingestEvalItems(app.services, [
        {
          id: 'qubit-es',
          source: 'Diario Cripto',
          lang: 'es',
          url: 'https://diariocripto.example/qubit-robo',
          title: 'Roban 82 millones de dólares al puente de Qubit',
          summary: 'Un atacante explotó un fallo del puente de Qubit y se llevó 82 millones de dólares en un hackeo.',
          content: '<p>El equipo de Qubit confirmó el hackeo y pidió al atacante que devolviera los fondos.</p>',
          publishedAt: '2030-01-01T14:00:00Z',
        },
      ]);
      const link = (await related('/api/articles/en/qubit-bridge-exploit', app)).find((item) => item.itemId === ids.get('qubit-es'));
      expect(link?.reason).toMatch(/Qubit/);
    } finally {
      await app.close();
    }
  });

  it('tell another stablecoin’s depeg apart from the article’s when the report says what the name is', async () => {
    const app = await startTestApp();
    try {
      const path = '/api/articles/en/terra-collapse-wipes-out-stablecoin-and-luna';
      const article = (await (await app.request(path)).json()) as { publishedAt: string };
      const at = (hours: number) => new Date(Date.parse(article.publishedAt) + hours * 3_600_000).toISOString();
      const ids = await ingestEvalItems(app.services, [
        {
          id: 'other-stablecoin',
          source: 'Ledger Wire',
          lang: 'en',
          url: 'https://ledgerwire.example/velora-depeg',
          title: 'Velora Slides to 80 Cents as TerraUSD Fallout Spreads to Other Stablecoins',
          summary:
            'The Velora stablecoin of the Orvex Protocol lost its dollar peg on Saturday as holders fled algorithmic designs after the TerraUSD and LUNA collapse.',
          content:
            '<p>Velora, issued by Orvex Protocol on its own chain, traded at 80 cents after redemptions drained its reserves.</p><p>The collapse of TerraUSD and LUNA this week left investors wary of any stablecoin that is not fully backed.</p>',
          publishedAt: at(20),
        },
        {
          id: 'same-story',
          source: 'Chain Daily',
          lang: 'en',
          url: 'https://chaindaily.example/terra-halted',
          title: 'Terra halts its blockchain as LUNA falls 99% and TerraUSD loses its peg',
          summary:
            'Terra validators halted the chain after TerraUSD lost its dollar peg and the LUNA token collapsed by more than 99% in a week.',
          content:
            '<p>The Terra blockchain stopped producing blocks on Thursday as LUNA crashed and TerraUSD traded far below one dollar.</p>',
          publishedAt: at(6),
        },
      ]);
      const linked = (await related(path, app)).map((item) => item.itemId);
      expect(linked).toContain(ids.get('same-story'));
      expect(linked).not.toContain(ids.get('other-stablecoin'));
    } finally {
      await app.close();
    }
  });
});

describe('a follow-up weeks later', () => {
  it('links when it names the day of the article’s event, and not on the same evidence without it', async () => {
    const app = await startTestApp();
    try {
      const path = '/api/articles/en/spot-bitcoin-etfs-begin-trading-in-the-us';
      const article = (await (await app.request(path)).json()) as { id: string };
      const followUp = (id: string, day: string) => ({
        id,
        source: `Fund Desk ${id}`,
        lang: 'en',
        url: `https://funddesk.example/${id}`,
        title: 'What the spot bitcoin ETFs did in their first weeks of trading',
        summary: `The eleven spot bitcoin exchange-traded funds the SEC approved have drawn billions since their ${day}debut, led by the largest issuers.`,
        content: `<p>The spot bitcoin ETFs have gathered about $1.2 billion of net inflows since trading began${day ? ` on ${day.trim()}` : ''}, analysts said.</p><p>Most of the money left Grayscale, whose fee remains the highest.</p>`,
        // Sixteen days after the article.
        publishedAt: '2024-01-28T15:00:00Z',
      });
      const covers = async (itemId: number | undefined) =>
        ((await (await app.request(`/api/coverage/${itemId}`)).json()) as { articles: { id: string }[] }).articles.some(
          (linked) => linked.id === article.id,
        );
      // One at a time: the two are one story, and a story's items share its links.
      const noDay = await ingestEvalItems(app.services, [followUp('no-day', '')]);
      expect(await covers(noDay.get('no-day'))).toBe(false);
      const namesTheDay = await ingestEvalItems(app.services, [followUp('names-the-day', 'January 11 ')]);
      expect(await covers(namesTheDay.get('names-the-day'))).toBe(true);
      // Re-matching the article (as an edit does) finds the same: the item's days are stored with its entities.
      const { translations } = await app.services.articles.requireArticle(article.id);
      await app.services.crosslink.matchArticle(article.id, translations);
      const linked = (await app.services.crosslink.articleLinks(article.id)).map((link) => link.itemId);
      expect(linked).toContain(namesTheDay.get('names-the-day'));
    } finally {
      await app.close();
    }
  });
});

describe('cold start', () => {
  it('ranks by wording while the index holds only a few dozen documents', async () => {
    // On a fresh install every word is held by more than 2% of the index; the words must still count.
    const article = (await (await t.request('/api/articles/en/binance-agrees-to-pay-4-3-billion-in-us-settlement')).json()) as {
      publishedAt: string;
    };
    const [itemId] = [
      ...(
        await ingestEvalItems(t.services, [
          {
            id: 'en-binance-cold',
            source: 'Ledger Wire',
            lang: 'en',
            url: 'https://ledgerwire.example/binance-settlement',
            title: 'Binance to pay $4.3 billion settlement as Changpeng Zhao pleads guilty and steps down',
            summary: 'Binance settles Justice Department, Treasury and CFTC investigations; Richard Teng takes over as chief executive.',
            content: '<p>Changpeng Zhao pleaded guilty in a Seattle federal court over an anti-money-laundering program.</p>',
            publishedAt: new Date(Date.parse(article.publishedAt) + 3 * 3_600_000).toISOString(),
          },
        ])
      ).values(),
    ];
    const link = (await related('/api/articles/en/binance-agrees-to-pay-4-3-billion-in-us-settlement')).find(
      (item) => item.itemId === itemId,
    );
    expect(link?.reason).toMatch(/similar wording/);
  });
});

describe('an edit re-matches the article', () => {
  it('keeps the links its coverage found on arrival, scored alike from either side', async () => {
    const app = await startTestApp();
    try {
      await ingestEvalItems(app.services, fixture.items);
      const id = (await app.services.articles.findSlugOwner('en', 'north-korea-opens-its-doors-to-the-cryptoverse'))!;
      const linksOf = async () => (await app.services.crosslink.articleLinks(id)).map((link) => [link.itemId, link.score] as const);
      const onArrival = await linksOf();
      expect(onArrival.length).toBeGreaterThan(2);
      await app.services.crosslink.matchArticle(id, (await app.services.articles.requireArticle(id)).translations);
      const afterEdit = await linksOf();
      expect(afterEdit.map(([item]) => item).sort()).toEqual(onArrival.map(([item]) => item).sort());
      for (const [item, score] of afterEdit) expect(Math.abs(score - onArrival.find(([other]) => other === item)![1])).toBeLessThan(0.1);
    } finally {
      await app.close();
    }
  });
});

describe('editors’ overrides', () => {
  it('pins and blocks links, and the choice survives re-matching', async () => {
    const api = (await (await t.request(nkEnglish)).json()) as { id: string; related: Related[] };
    const blocked = api.related[0].itemId;
    const pinned = ids.get(fixture.expectUnrelated[0])!;
    expect((await t.admin('PUT', `/api/admin/articles/${api.id}/links/${blocked}`, { state: 'blocked' })).status).toBe(200);
    expect((await t.admin('PUT', `/api/admin/articles/${api.id}/links/${pinned}`, { state: 'pinned' })).status).toBe(200);
    const check = async () => {
      const now = (await related(nkEnglish)).map((item) => item.itemId);
      expect(now).not.toContain(blocked);
      expect(now[0]).toBe(pinned);
    };
    await check();
    // An edit re-matches the article: the editor's choices stay.
    const article = (await (await t.admin('GET', `/api/admin/articles/${api.id}`)).json()) as { translations: Record<string, unknown>[] };
    const body = {
      translations: article.translations.map((x) => ({
        lang: x.lang,
        slug: x.slug,
        title: x.title,
        summary: x.summary,
        content: x.content,
        authors: x.authors,
        categories: (x.categories as { name: string }[]).map((c) => c.name),
        tags: (x.tags as { name: string }[]).map((c) => c.name),
        status: x.status,
        publishedAt: x.publishedAt,
        updatedAt: x.updatedAt,
      })),
    };
    expect((await t.admin('PUT', `/api/admin/articles/${api.id}`, body)).status).toBe(200);
    await check();
    // Removing the override gives the link back to matching.
    expect((await t.admin('DELETE', `/api/admin/articles/${api.id}/links/${blocked}`)).status).toBe(204);
    expect((await related(nkEnglish)).map((item) => item.itemId)).toContain(blocked);
    expect((await t.admin('PUT', `/api/admin/articles/${api.id}/links/${pinned}`, { state: 'maybe' })).status).toBe(400);
    expect((await t.admin('PUT', `/api/admin/articles/${api.id}/links/999999`, { state: 'pinned' })).status).toBe(404);
    expect((await t.admin('PUT', `/api/admin/articles/nope/links/${pinned}`, { state: 'pinned' })).status).toBe(404);
    await t.admin('DELETE', `/api/admin/articles/${api.id}/links/${pinned}`);
  });
});

describe('an editor’s review of an article’s links', () => {
  interface Review {
    links: { itemId: number; title: string; score: number; reason: string; state: string }[];
    nearMisses: { itemId: number; title: string; score: number; reason: string }[];
  }
  it('lists every link with its state, and what scored below the threshold, closest first', async () => {
    const api = (await (await t.request(nkEnglish)).json()) as { id: string; related: Related[] };
    const review = async () => (await (await t.admin('GET', `/api/admin/articles/${api.id}/links`)).json()) as Review;
    const before = await review();
    expect(before.links.map((link) => link.itemId).sort()).toEqual(api.related.map((item) => item.itemId).sort());
    expect(before.links.every((link) => link.score >= 0.3 && link.title && link.reason && link.state === 'auto')).toBe(true);
    expect(before.nearMisses.length).toBeGreaterThan(0);
    for (const miss of before.nearMisses) {
      expect(miss.score).toBeLessThan(0.3);
      expect(before.links.map((link) => link.itemId)).not.toContain(miss.itemId);
    }
    expect(before.nearMisses.map((miss) => miss.score)).toEqual([...before.nearMisses.map((miss) => miss.score)].sort((a, b) => b - a));
    // A blocked link stays listed, marked; a pinned near-miss becomes a link.
    const [blocked] = before.links;
    const [pinned] = before.nearMisses;
    await t.admin('PUT', `/api/admin/articles/${api.id}/links/${blocked!.itemId}`, { state: 'blocked' });
    await t.admin('PUT', `/api/admin/articles/${api.id}/links/${pinned!.itemId}`, { state: 'pinned' });
    const after = await review();
    expect(after.links.find((link) => link.itemId === blocked!.itemId)?.state).toBe('blocked');
    expect(after.links.find((link) => link.itemId === pinned!.itemId)?.state).toBe('pinned');
    expect(after.nearMisses.map((miss) => miss.itemId)).not.toContain(pinned!.itemId);
    await t.admin('DELETE', `/api/admin/articles/${api.id}/links/${blocked!.itemId}`);
    await t.admin('DELETE', `/api/admin/articles/${api.id}/links/${pinned!.itemId}`);
    expect((await t.admin('GET', '/api/admin/articles/nope/links')).status).toBe(404);
  });
});

describe('where links appear', () => {
  it('in the HTML page, the Atom, RSS and JSON feeds; the ETag changes but the entry’s updated time does not', async () => {
    const page = await (await t.request('/en/north-korea-opens-its-doors-to-the-cryptoverse')).text();
    expect(page).toContain('<h2 id="related-heading">Related coverage</h2>');
    const links = await related(nkEnglish);
    expect(page).toContain(`href="${links[0].url}"`);

    const tagFeed = '/en/tag/north-korea/atom.xml';
    const atom = await (await t.request(tagFeed)).text();
    expect(atom).toMatch(
      new RegExp(`<link rel="related" type="text/html" href="${links[0].url.replace(/[.?]/g, '\\$&')}" title="[^"]+" hreflang="(en|es)"/>`),
    );
    const rss = await (await t.request('/en/tag/north-korea/feed.xml')).text();
    expect(rss).toContain('<p><strong>Related coverage</strong></p><ul><li><a href=');
    const json = (await (await t.request('/en/tag/north-korea/feed.json')).json()) as {
      items: { url: string; _related?: { items: { url: string }[] } }[];
    };
    const entry = json.items.find((item) => item.url.endsWith('/en/north-korea-opens-its-doors-to-the-cryptoverse'))!;
    expect(entry._related!.items.map((item) => item.url)).toContain(links[0].url);

    const before = await t.request(tagFeed);
    const updatedBefore = /<entry>[\s\S]*?<updated>([^<]+)<\/updated>/.exec(await before.text())![1];
    const api = (await (await t.request(nkEnglish)).json()) as { id: string };
    await t.admin('PUT', `/api/admin/articles/${api.id}/links/${links[0].itemId}`, { state: 'blocked' });
    const after = await t.request(tagFeed);
    expect(after.headers.get('etag')).not.toBe(before.headers.get('etag'));
    const text = await after.text();
    expect(text).not.toContain(`href="${links[0].url}"`);
    expect(/<entry>[\s\S]*?<updated>([^<]+)<\/updated>/.exec(text)![1]).toBe(updatedBefore);
    await t.admin('DELETE', `/api/admin/articles/${api.id}/links/${links[0].itemId}`);
  });
});

describe('stories covered by several outlets', () => {
  it('shows one item per story with how many outlets and languages cover it, in the API, the page and the three feeds', async () => {
    // An app of its own: the shared one's North Korea article already shows five better links.
    const app = await startTestApp();
    try {
      const story = (id: string, source: string, hour: string) => ({
        id,
        source,
        lang: 'en',
        url: `https://${source.toLowerCase().replace(/\W+/g, '')}.example/${id}`,
        title: 'Pyongyang blockchain and cryptocurrency conference opens to foreign delegates',
        summary: 'North Korea opened its first blockchain and cryptocurrency conference in Pyongyang to foreign delegates.',
        content:
          '<p>North Korea opened its first blockchain and cryptocurrency conference in Pyongyang, with foreign delegates attending.</p>',
        publishedAt: `2018-09-20T${hour}:00:00Z`,
      });
      const ids = await ingestEvalItems(app.services, [
        story('cov-1', 'Wire One', '08'),
        story('cov-2', 'Wire Two', '09'),
        story('cov-3', 'Wire Three', '10'),
      ]);
      const api = (await (await app.request(nkEnglish)).json()) as {
        related: (Related & { coverage: unknown })[];
        translations: { lang: string; slug: string }[];
      };
      const shown = api.related.filter((item) => [...ids.values()].includes(item.itemId));
      expect(shown).toHaveLength(1);
      expect(shown[0]!.coverage).toEqual({ outlets: 3, languages: 1 });

      expect(await (await app.request('/en/north-korea-opens-its-doors-to-the-cryptoverse')).text()).toContain(
        'covered by 3 outlets in 1 language',
      );
      const spanish = api.translations.find((x) => x.lang === 'es')!;
      expect(await (await app.request(`/es/${spanish.slug}`)).text()).toContain('cubierta por 3 medios en 1 idioma');
      expect(await (await app.request('/en/tag/north-korea/atom.xml')).text()).toMatch(
        /rel="related"[^>]*title="[^"]*; covered by 3 outlets in 1 language\)"/,
      );
      expect(await (await app.request('/en/tag/north-korea/feed.xml')).text()).toContain('; covered by 3 outlets in 1 language)');
      const json = (await (await app.request('/en/tag/north-korea/feed.json')).json()) as {
        items: { _related?: { items: { url: string; coverage?: unknown }[] } }[];
      };
      const entries = json.items.flatMap((item) => item._related?.items ?? []).filter((item) => item.url === shown[0]!.url);
      expect(entries.map((item) => item.coverage)).toEqual([{ outlets: 3, languages: 1 }]);
    } finally {
      await app.close();
    }
  });
});

describe('story clusters across outlets and languages', () => {
  it('puts reports of one story in other words and another language in one cluster, shown with its reach everywhere', async () => {
    const app = await startTestApp();
    try {
      const report = (id: string, source: string, lang: string, at: string, title: string, summary: string) => ({
        id,
        source,
        lang,
        url: `https://${source.toLowerCase().replace(/\W+/g, '')}.example/${id}`,
        title,
        summary,
        content: `<p>${summary}</p><p>${lang === 'en' ? 'Withdrawals continued while the exchange investigated.' : 'Los retiros siguieron mientras el exchange investigaba.'}</p>`,
        publishedAt: `2025-02-${at}:00Z`,
      });
      const ids = await ingestEvalItems(app.services, [
        report(
          'st-1',
          'Wire Alpha',
          'en',
          '21T18:00',
          'Bybit says hackers took $1.5 billion in ether from a cold wallet',
          'Exchange Bybit said attackers drained about 401,000 ETH, worth roughly $1.5 billion, from one of its cold wallets.',
        ),
        report(
          'st-2',
          'Diario Beta',
          'es',
          '21T22:00',
          'Bybit confirma el robo de 1.500 millones de dólares en ether',
          'El exchange Bybit confirmó que le sustrajeron unos 401.000 ETH, valorados en unos 1.500 millones de dólares, de una billetera fría.',
        ),
        report(
          'st-3',
          'Wire Gamma',
          'en',
          '22T07:00',
          'Record heist: 401,000 ETH gone from Bybit',
          'Thieves emptied a Bybit cold wallet of 401,000 ETH overnight, the largest theft the industry has seen.',
        ),
        report(
          'st-4',
          'Wire Delta',
          'en',
          '22T05:00',
          'Lending protocol zkLend loses $9.5 million to an exploit',
          'Attackers drained $9.5 million from the zkLend lending protocol on Starknet through a rounding bug.',
        ),
      ]);
      const headlines = await app.services.ingest.store.itemHeadlines([...ids.values()]);
      const cluster = (id: string) => headlines.get(ids.get(id)!)!.clusterId;
      expect(cluster('st-2')).toBe(cluster('st-1'));
      expect(cluster('st-3')).toBe(cluster('st-1'));
      expect(cluster('st-4')).not.toBe(cluster('st-1'));

      const english = '/api/articles/en/bybit-loses-1-5-billion-in-largest-crypto-hack';
      const api = (await (await app.request(english)).json()) as {
        id: string;
        related: (Related & { coverage: unknown })[];
      };
      const story = [ids.get('st-1'), ids.get('st-2'), ids.get('st-3')];
      const shown = api.related.filter((item) => story.includes(item.itemId));
      expect(shown).toHaveLength(1);
      expect(shown[0]!.coverage).toEqual({ outlets: 3, languages: 2 });
      expect(api.related.map((item) => item.itemId)).not.toContain(ids.get('st-4'));
      // Every report of the story is covered by the article, whichever of them the matcher linked.
      for (const id of story) {
        const coverage = (await (await app.request(`/api/coverage/${id}`)).json()) as { articles: { id: string }[] };
        expect(coverage.articles.map((article) => article.id)).toContain(api.id);
      }

      expect(await (await app.request('/en/bybit-loses-1-5-billion-in-largest-crypto-hack')).text()).toContain(
        'covered by 3 outlets in 2 languages',
      );
      expect(await (await app.request('/en/atom.xml')).text()).toMatch(
        /rel="related"[^>]*title="[^"]*; covered by 3 outlets in 2 languages\)"/,
      );
      expect(await (await app.request('/en/feed.xml')).text()).toContain('; covered by 3 outlets in 2 languages)');
      const json = (await (await app.request('/en/feed.json')).json()) as {
        items: { _related?: { items: { url: string; coverage?: unknown }[] } }[];
      };
      const entries = json.items.flatMap((item) => item._related?.items ?? []).filter((item) => item.url === shown[0]!.url);
      expect(entries.map((item) => item.coverage)).toEqual([{ outlets: 3, languages: 2 }]);
    } finally {
      await app.close();
    }
  });
});

describe('retention', () => {
  it('prunes old items except those an article links to', async () => {
    const linked = new Set((await related(nkEnglish)).map((item) => item.itemId));
    expect(linked.size).toBeGreaterThan(0);
    const pruned = await t.services.ingest.items.pruneItems(Date.now());
    expect(pruned).toBeGreaterThan(0);
    const left = await t.services.ingest.store.listItems({ limit: 1000 });
    for (const id of linked) expect(left.map((item) => item.id)).toContain(id);
    expect((await related(nkEnglish)).map((item) => item.itemId).sort()).toEqual([...linked].sort());
  });
});
