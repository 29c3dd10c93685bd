import { describe, expect, it } from 'vitest';
import { defaultVideoIframeHosts, htmlToText, sanitizeContent, truncateText } from '../src/ingest/sanitize.ts';

const BASE = 'https://news.example/2024/05/story.html';
const REL = 'rel="noopener noreferrer nofollow ugc"';
const OUTPUT_TAGS = new Set(
  'p br hr h2 h3 h4 h5 h6 blockquote q cite pre code kbd samp em strong b i u s sub sup small mark abbr del ins ul ol li dl dt dd a img figure figcaption table thead tbody tfoot tr th td caption span div time'.split(
    ' ',
  ),
);
const VOID_TAGS = new Set(['br', 'hr', 'img']);
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

// Checks the output is balanced, quoted and entity-clean enough to parse as XHTML, and returns the element names it uses.
function expectWellFormed(html: string): string[] {
  const open: string[] = [];
  const names: string[] = [];
  const withoutTags = html.replace(/<(\/?)([a-z][a-z0-9]*)((?:\s+[a-z-]+="[^"<>]*")*)\s*(\/?)>/g, (_, close, name, _attrs, selfClose) => {
    names.push(name);
    if (close) expect(open.pop(), `closing </${name}> in ${html}`).toBe(name);
    else if (selfClose) expect(VOID_TAGS.has(name), `<${name} /> in ${html}`).toBe(true);
    else open.push(name);
    return '';
  });
  expect(open, `unclosed elements in ${html}`).toEqual([]);
  expect(withoutTags, 'stray markup characters').not.toMatch(/[<>]/);
  expect(html, 'bare ampersand').not.toMatch(/&(?!(?:amp|lt|gt|quot);)/);
  return names;
}

function expectSafe(html: string, allowedTags: ReadonlySet<string> = OUTPUT_TAGS): void {
  expect(html).not.toMatch(/\bon\w+\s*=/i);
  expect(html).not.toMatch(/javascript:|vbscript:|data:text/i);
  expect(html).not.toMatch(/<\s*\/?\s*(?:script|style|iframe|frame|object|embed|form|input|button|svg|math|meta|base|link|template)\b/i);
  expect(html).not.toMatch(/\s(?:style|class|id|srcset|srcdoc|target)=/i);
  for (const name of expectWellFormed(html)) expect(allowedTags.has(name), `<${name}> in ${html}`).toBe(true);
}

describe('sanitizeContent: XSS vectors', () => {
  const svgPayload = 'PHN2ZyBvbmxvYWQ9ImFsZXJ0KDEpIj48L3N2Zz4=';
  it.each([
    ['img onerror', '<img src=x onerror=alert(1)>'],
    ['uppercase tag, unquoted scheme and handler', "<IMG SRC=JaVaScRiPt:alert('XSS') ONERROR=alert(1)>"],
    ['svg onload', '<svg onload=alert(1)><circle r="1"/></svg>'],
    ['svg script', '<svg><script>alert(1)</script></svg>'],
    ['javascript: href', '<a href="javascript:alert(1)">click</a>'],
    ['mixed case scheme', '<a href="JaVaScRiPt:alert(1)">click</a>'],
    ['tab entity inside the scheme', '<a href="jav&#x09;ascript:alert(1)">click</a>'],
    ['newline entity inside the scheme', '<a href="jav&#x0A;ascript:alert(1)">click</a>'],
    ['literal tab inside the scheme', '<a href="jav\tascript:alert(1)">click</a>'],
    ['decimal entities', '<a href="&#106;&#97;&#118;&#97;&#115;&#99;&#114;&#105;&#112;&#116;&#58;alert(1)">click</a>'],
    [
      'zero-padded entities without semicolons',
      '<a href="&#0000106&#0000097&#0000118&#0000097&#0000115&#0000099&#0000114&#0000105&#0000112&#0000116&#0000058alert(1)">click</a>',
    ],
    ['hex entities', '<a href="&#x6A;&#x61;&#x76;&#x61;&#x73;&#x63;&#x72;&#x69;&#x70;&#x74;&#x3A;alert(1)">click</a>'],
    ['named colon entity', '<a href="javascript&colon;alert(1)">click</a>'],
    ['leading control characters and spaces', '<a href=" &#14;  javascript:alert(1)">click</a>'],
    ['javascript: img src', '<img src="javascript:alert(1)">'],
    ['vbscript:', '<a href="vbscript:msgbox(1)">click</a>'],
    ['data:text/html href', '<a href="data:text/html,<script>alert(1)</script>">click</a>'],
    ['data:text/html base64 href', '<a href="data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==">click</a>'],
    ['data:image/svg+xml img', `<img src="data:image/svg+xml;base64,${svgPayload}">`],
    ['data:image/svg+xml with parameters', `<img src="data:image/svg+xml;charset=utf-8;base64,${svgPayload}">`],
    ['data:image/png with markup payload', '<img src="data:image/png;base64,<script>alert(1)</script>">'],
    ['iframe javascript:', '<iframe src="javascript:alert(1)"></iframe>'],
    ['iframe srcdoc', '<iframe srcdoc="<script>alert(1)</script>"></iframe>'],
    ['frameset', '<frameset onload=alert(1)><frame src="javascript:alert(1)"></frameset>'],
    ['object', '<object data="javascript:alert(1)"><param name="x" value="y">fallback</object>'],
    ['object with data:text/html', '<object data="data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg=="></object>'],
    ['embed', '<embed src="https://evil.example/x.swf">'],
    ['embed svg', `<embed src="data:image/svg+xml;base64,${svgPayload}">`],
    [
      'form action',
      '<form action="javascript:alert(1)"><input name="q" onfocus=alert(1) autofocus><button formaction="javascript:alert(1)">Go</button></form>',
    ],
    ['select and textarea', '<select onchange=alert(1)><option>x</option></select><textarea onfocus=alert(1)></textarea>'],
    ['style @import', '<style>@import "https://evil.example/x.css";</style>'],
    ['style url(javascript:)', '<div style="background:url(javascript:alert(1))">styled</div>'],
    ['style expression()', '<div style="width: expression(alert(1));" class="x" id="y">styled</div>'],
    ['meta refresh', '<meta http-equiv="refresh" content="0;url=javascript:alert(1)">'],
    ['base href', '<base href="javascript:alert(1)//"><a href="/x">x</a>'],
    ['link stylesheet', '<link rel="stylesheet" href="javascript:alert(1)">'],
    ['math/table/style namespace confusion', '<math><mtext><table><mglyph><style><img src=x onerror=alert(1)>'],
    ['noscript attribute breakout', '<noscript><p title="</noscript><img src=x onerror=alert(1)>">'],
    ['noembed attribute breakout', '<noembed><img title="</noembed><img src=x onerror=alert(1)>"></noembed>'],
    ['xmp attribute breakout', '<xmp><p title="</xmp><img src=x onerror=alert(1)>"></xmp>'],
    ['style raw-text breakout', '<style><img src="</style><img src=x onerror=alert(1)//">'],
    ['title raw text', '<title><img src=x onerror=alert(1)></title>'],
    ['template', '<template><img src=x onerror=alert(1)></template>'],
    ['nested script tag names', '<scr<script>ipt>alert(1)</scr</script>ipt>'],
    ['unclosed script', '<p>text<script>alert(1)'],
    ['unclosed img tag', '<img src=x onerror=alert(1)//'],
    ['unclosed elements', '<div><p><a href="javascript:alert(1)"><b>bold'],
    ['comment', '<!--<img src=x onerror=1>-->'],
    ['conditional comment', '<!--[if gte IE 4]><script>alert(1)</script><![endif]-->'],
    ['CDATA', '<![CDATA[<img src=x onerror=alert(1)>]]>'],
    ['img srcset', '<img src="/a.png" srcset="javascript:alert(1) 1x, https://evil.example/b.png 2x">'],
    ['body onload', '<body onload=alert(1)><p>x</p></body>'],
    ['details ontoggle', '<details open ontoggle=alert(1)><summary>s</summary></details>'],
    ['unknown element with handler', '<x onmouseover=alert(1)>hover</x>'],
    ['video source onerror', '<video><source onerror=alert(1)></video>'],
    ['table background', '<table background="javascript:alert(1)"><tr><td>x</td></tr></table>'],
    ['img dynsrc/lowsrc', '<img dynsrc="javascript:alert(1)" lowsrc="javascript:alert(1)">'],
    ['blockquote cite javascript:', '<blockquote cite="javascript:alert(1)">q</blockquote>'],
    ['attribute quote breakout', '<a href="https://ok.example/" title=\'"><script>alert(1)</script>\'>ok</a>'],
    ['isindex', '<isindex action="javascript:alert(1)" type="image">'],
  ])('%s', (_, html) => {
    expectSafe(sanitizeContent(html, { baseUrl: BASE }));
    expectSafe(sanitizeContent(html, {}));
    expectSafe(sanitizeContent(html, { baseUrl: BASE, iframeHosts: [...defaultVideoIframeHosts] }), new Set([...OUTPUT_TAGS, 'iframe']));
  });

  it.each([
    ['<a href="javascript:alert(1)">click</a>', 'click'],
    ['<a href="jav&#x09;ascript:alert(1)">click <b>me</b></a>', 'click <b>me</b>'],
    ['<a href="https://ok.example/" onclick="alert(1)" target="_blank">ok</a>', `<a href="https://ok.example/" ${REL}>ok</a>`],
    ['<p>before<script>alert(1)</script>after</p>', '<p>beforeafter</p>'],
    ['<svg><text>hidden</text></svg>visible', 'visible'],
    ['<form><label>Name</label><input value="x"></form>next', 'next'],
    ['<noscript><p>hidden</p></noscript>visible', 'visible'],
    ['<x-widget onclick="alert(1)">kept text</x-widget>', 'kept text'],
    ['<div style="color:red" class="c" id="i" data-x="1">d</div>', '<div>d</div>'],
    ['<img src="javascript:alert(1)" alt="x">', ''],
    [
      '<a href="https://ok.example/" title=\'"><script>\'>ok</a>',
      `<a href="https://ok.example/" title="&quot;&gt;&lt;script&gt;" ${REL}>ok</a>`,
    ],
    ['<p>a<!-- secret -->b</p>', '<p>ab</p>'],
    // Payloads that survive only as inert text: an escaped attribute value, and a backtick-quoted value that is a relative path.
    [
      '<img src="x" alt="&quot;&gt;&lt;img src=x onerror=alert(1)&gt;">',
      '<img src="https://news.example/2024/05/x" alt="&quot;&gt;&lt;img src=x onerror=alert(1)&gt;" loading="lazy" />',
    ],
    ['<img src=`javascript:alert(1)`>', '<img src="https://news.example/2024/05/%60javascript:alert(1)%60" loading="lazy" />'],
  ])('%s -> %s', (html, expected) => expect(sanitizeContent(html, { baseUrl: BASE })).toBe(expected));
});

describe('sanitizeContent: URLs', () => {
  it.each([
    ['<a href="../about">a</a>', `<a href="https://news.example/2024/about" ${REL}>a</a>`],
    ['<a href="/x?y=1&amp;z=2#top">a</a>', `<a href="https://news.example/x?y=1&amp;z=2#top" ${REL}>a</a>`],
    ['<a href="#notes">a</a>', `<a href="https://news.example/2024/05/story.html#notes" ${REL}>a</a>`],
    ['<a href="  https://other.example/p  ">a</a>', `<a href="https://other.example/p" ${REL}>a</a>`],
    ['<a href="mailto:desk@news.example">mail</a>', `<a href="mailto:desk@news.example" ${REL}>mail</a>`],
    ['<a href="tel:+123">call</a>', 'call'],
    ['<a href="ftp://files.example/x">ftp</a>', 'ftp'],
    ['<a href="http://[broken">broken</a>', 'broken'],
    ['<a href="//evil.example/x">p</a>', `<a href="https://evil.example/x" ${REL}>p</a>`],
    ['<a href="/\\evil.example/x">p</a>', `<a href="https://evil.example/x" ${REL}>p</a>`],
    ['<img src="img/chart.png" alt="Chart">', '<img src="https://news.example/2024/05/img/chart.png" alt="Chart" loading="lazy" />'],
    ['<img src="/logo.png" loading="eager">', '<img src="https://news.example/logo.png" loading="lazy" />'],
    ['<img alt="no source">', ''],
    ['<blockquote cite="/source">q</blockquote>', '<blockquote cite="https://news.example/source">q</blockquote>'],
    ['<q cite="mailto:x@y.example">q</q>', '<q>q</q>'],
  ])('%s -> %s', (html, expected) => expect(sanitizeContent(html, { baseUrl: BASE })).toBe(expected));

  it('resolves protocol-relative URLs with the base scheme', () => {
    expect(sanitizeContent('<img src="//cdn.example/a.png">', { baseUrl: 'http://news.example/' })).toBe(
      '<img src="http://cdn.example/a.png" loading="lazy" />',
    );
  });

  it('keeps relative URLs unchanged without a usable base, but still rejects dangerous ones', () => {
    for (const baseUrl of [undefined, 'not a url', 'javascript:alert(1)']) {
      expect(sanitizeContent('<a href="../about">a</a><img src="i.png">', { baseUrl })).toBe(
        `<a href="../about" ${REL}>a</a><img src="i.png" loading="lazy" />`,
      );
      expect(sanitizeContent('<a href="jav&#x09;ascript:alert(1)">a</a>', { baseUrl })).toBe('a');
      expect(sanitizeContent('<a href="//evil.example/">a</a>', { baseUrl })).toBe(`<a href="https://evil.example/" ${REL}>a</a>`);
    }
  });

  it.each(['png', 'gif', 'jpeg', 'webp'])('keeps data:image/%s images', (type) => {
    const src = `data:image/${type};base64,iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==`;
    expect(sanitizeContent(`<img src="${src}" alt="">`, {})).toBe(`<img src="${src}" alt="" loading="lazy" />`);
  });

  it('drops data: URLs everywhere else', () => {
    expect(sanitizeContent('<img src="data:image/bmp;base64,Qk0=">', {})).toBe('');
    expect(sanitizeContent('<img src="data:image/png,rawbytes">', {})).toBe('');
    expect(sanitizeContent('<a href="data:image/png;base64,iVBORw0KGgo=">img</a>', {})).toBe('img');
  });
});

describe('sanitizeContent: iframes', () => {
  const youtube =
    '<iframe src="https://www.youtube.com/embed/abc" width="560" height="315" allowfullscreen onload="alert(1)">fallback</iframe>';

  it('documents the suggested video hosts', () => {
    expect(defaultVideoIframeHosts).toEqual(['www.youtube.com', 'www.youtube-nocookie.com', 'player.vimeo.com']);
  });

  it('drops every iframe by default', () => {
    expect(sanitizeContent(`<p>a</p>${youtube}<p>b</p>`, { baseUrl: BASE })).toBe('<p>a</p><p>b</p>');
  });

  it('keeps an iframe from an allowlisted host, without handlers or fallback content', () => {
    expect(sanitizeContent(youtube, { iframeHosts: [...defaultVideoIframeHosts] })).toBe(
      '<iframe src="https://www.youtube.com/embed/abc" width="560" height="315" allowfullscreen=""></iframe>',
    );
  });

  it.each([
    'https://evil.example/embed',
    'https://www.youtube.com.evil.example/embed',
    'https://evil.example/?u=https://www.youtube.com/',
    'https://www.youtube.com@evil.example/',
    'javascript://www.youtube.com/%0aalert(1)',
    'data:text/html,<script>alert(1)</script>',
    '/embed/relative',
  ])('drops an iframe from %s even with an allowlist', (src) => {
    expect(
      sanitizeContent(`<iframe src="${src}">fallback <b>text</b></iframe>after`, { baseUrl: BASE, iframeHosts: ['www.youtube.com'] }),
    ).toBe('after');
  });

  it('resolves a protocol-relative iframe against the base before checking the host', () => {
    expect(
      sanitizeContent('<iframe src="//player.vimeo.com/video/1"></iframe>', { baseUrl: BASE, iframeHosts: ['player.vimeo.com'] }),
    ).toBe('<iframe src="https://player.vimeo.com/video/1"></iframe>');
  });
});

describe('sanitizeContent: markup', () => {
  it('preserves an allowed article exactly, adding rel to links', () => {
    const article = [
      '<h2>Markets</h2>',
      '<p>Bitcoin <strong>rose</strong> <em>5%</em> on <time datetime="2024-05-01">May 1</time>, says <a href="https://example.com/report" title="Report">the report</a>.</p>',
      '<h3>Details</h3>',
      '<ul><li>One</li><li>Two <code>x &lt; y &amp;&amp; z</code></li></ul>',
      '<ol start="3" reversed=""><li>Three</li></ol>',
      '<dl><dt>HODL</dt><dd>Hold <abbr title="on">for dear life</abbr></dd></dl>',
      '<blockquote cite="https://example.com/q"><p>Quote <q>inner</q> <cite>Someone</cite></p></blockquote>',
      '<table><caption>Prices</caption><thead><tr><th scope="col">Coin</th><th>Price</th></tr></thead>',
      '<tbody><tr><td>BTC</td><td rowspan="2">1</td></tr></tbody><tfoot><tr><td colspan="2">Total</td></tr></tfoot></table>',
      '<pre><code>const a = 1;\n  return a;\n</code></pre>',
      '<figure><img src="https://example.com/a.png" alt="Chart" width="600" height="400" loading="lazy" /><figcaption>Chart</figcaption></figure>',
      '<p>H<sub>2</sub>O, x<sup>2</sup>, <kbd>Ctrl</kbd>, <samp>out</samp>, <mark>m</mark>, <small>s</small>, <s>old</s>, <u>u</u>, <b>b</b>, <i>i</i></p>',
      '<p><del>removed</del><ins>added</ins><span>span</span><br /></p><hr /><div>end</div>',
    ].join('\n');
    const expected = article.replace(
      '<a href="https://example.com/report" title="Report">',
      `<a href="https://example.com/report" title="Report" ${REL}>`,
    );
    expect(sanitizeContent(article, { baseUrl: BASE })).toBe(expected);
    expectSafe(expected);
  });

  it('downgrades h1 to h2 and maps acronym to abbr', () => {
    expect(sanitizeContent('<h1 id="t">Title</h1><acronym title="Bitcoin">BTC</acronym>', {})).toBe(
      '<h2>Title</h2><abbr title="Bitcoin">BTC</abbr>',
    );
  });

  it('unwraps unknown elements and keeps their text', () => {
    expect(sanitizeContent('<article><section><font color="red">Hi</font> <center>there</center></section></article>', {})).toBe(
      'Hi there',
    );
  });

  it.each([
    '<p>unclosed <b>bold <i>italic',
    '<b><i>misnested</b></i>',
    '<p><div>block in paragraph</div></p>',
    '<ul><li>one<li>two</ul>',
    '<table><tr><td>a<td>b</table>',
    '</div></p>stray closers<br>',
    '<img src="/a.png"><br><hr>',
  ])('closes and balances %s', (html) => {
    expectWellFormed(sanitizeContent(html, { baseUrl: BASE }));
  });

  it('removes characters that are invalid in XML', () => {
    expect(sanitizeContent('<p>a\u0001b\uFFFEc\uD800d</p>', {})).toBe('<p>abcd</p>');
  });
});

describe('htmlToText', () => {
  it.each([
    ['<p>Hello</p><p>world</p>', 'Hello world'],
    ['<b>in</b>line<i>s</i>', 'inlines'],
    ['line<br>break<hr>rule', 'line break rule'],
    ['<ul><li>one</li><li>two</li></ul><table><tr><td>a</td><td>b</td></tr></table>', 'one two a b'],
    ['<p>before</p><script>alert("x")</script><style>p { color: red }</style><p>after</p>', 'before after'],
    ['<noscript>enable js</noscript><template>tpl</template><svg><text>svg</text></svg>shown', 'shown'],
    ['<!-- comment -->text', 'text'],
    ['AT&amp;T &amp; friends', 'AT&T & friends'],
    ['Fish &amp;amp; chips', 'Fish &amp; chips'],
    ['&amp;lt;b&amp;gt;', '&lt;b&gt;'],
    ['&lt;b&gt;not a tag&lt;/b&gt;', '<b>not a tag</b>'],
    ['Caf&eacute; &#233; &#xE9; &#XE9;', 'Café é é é'],
    ['Regulaci&oacute;n en Espa&ntilde;a: &iquest;qu&eacute; cambia?', 'Regulación en España: ¿qué cambia?'],
    ['Regulación en España', 'Regulación en España'],
    ['<p>比特币&nbsp;价格上涨</p><p>ビットコイン</p>', '比特币 价格上涨 ビットコイン'],
    ['&#x1F680; launch &#128640;', '🚀 launch 🚀'],
    ['&ldquo;Quoted&rdquo; &mdash; &hellip;', '“Quoted” — …'],
    ['a < b && c > d', 'a < b && c > d'],
    ['AT&T', 'AT&T'],
    ['  spaced \n\t out  &nbsp; ', 'spaced out'],
    ['<p title="attr text">body</p><img alt="alt text">', 'body'],
    ['', ''],
  ])('%s -> %s', (html, text) => expect(htmlToText(html)).toBe(text));
});

describe('truncateText', () => {
  it.each([
    ['short', 10, 'short'],
    ['exactly ten', 11, 'exactly ten'],
    ['The quick brown fox jumps', 20, 'The quick brown fox…'],
    ['Bitcoin price rallies sharply today', 25, 'Bitcoin price rallies…'],
    ['Supercalifragilistic expialidocious', 15, 'Supercalifragi…'],
    ['Regulación en España hoy', 12, 'Regulación…'],
    ['比特币价格今天大幅上涨', 6, '比特币价格…'],
    ['ab🚀cd', 4, 'ab🚀…'],
    ['ab🚀cd', 3, 'ab…'],
    ['🚀🚀🚀🚀', 3, '🚀🚀…'],
    ['Cafe\u0301 con leche', 5, 'Caf…'],
    ['👨‍👩‍👧 family', 3, '…'],
    ['text', 1, '…'],
    ['text', 0, ''],
  ])('%s (%i) -> %s', (text, max, expected) => {
    const result = truncateText(text, max);
    expect(result).toBe(expected);
    expect([...result].length).toBeLessThanOrEqual(max);
  });

  it('never exceeds max code points or splits a surrogate pair at any cut point', () => {
    const text = 'Ñandú 🚀 cripto 比特币 😀😀 fin';
    for (let max = 0; max <= [...text].length + 1; max++) {
      const result = truncateText(text, max);
      expect([...result].length).toBeLessThanOrEqual(max);
      expect(result).not.toMatch(LONE_SURROGATE);
      if (result !== text) expect(result.endsWith('…') || result === '').toBe(true);
    }
  });
});
