// The console's one style sheet, served by the console itself (no CDN, no inline styles: the CSP allows styles from
// 'self' only). Colours keep at least 4.5:1 against their backgrounds; focus is always visible.
export const consoleCss = `
*,*::before,*::after{box-sizing:border-box}
body{margin:0;font:16px/1.5 system-ui,-apple-system,'Segoe UI',sans-serif;color:#1b1b1f;background:#f6f6f4}
a{color:#0a4f99}
a:hover{color:#06325f}
:focus-visible{outline:3px solid #b3261e;outline-offset:2px}
.skip{position:absolute;left:-999px;top:0;background:#fff;padding:.5rem 1rem}
.skip:focus{left:.5rem}
.top{display:flex;flex-wrap:wrap;gap:1rem;align-items:center;justify-content:space-between;background:#1f2a44;color:#fff;padding:.6rem 1.25rem}
.top a,.top .brand{color:#fff}
.brand{margin:0;font-weight:700}
.top ul{display:flex;gap:1.25rem;list-style:none;margin:0;padding:0}
.top a[aria-current=page]{text-decoration-thickness:3px}
.top form{margin:0}
main{max-width:80rem;margin:0 auto;padding:1rem 1.25rem 3rem}
h1{font-size:1.6rem;margin:.5rem 0 1rem}
h2{font-size:1.25rem;margin:2rem 0 .75rem}
table{border-collapse:collapse;width:100%;background:#fff}
caption{text-align:left;font-weight:600;padding:.25rem 0}
th,td{border:1px solid #c9c9cf;padding:.4rem .5rem;text-align:left;vertical-align:top}
th{background:#ebebef}
.num{text-align:right;font-variant-numeric:tabular-nums}
.published{color:#135e22;font-weight:600}
.draft{color:#7a4a00;font-weight:600}
.missing,.muted{color:#5a5a63}
.blocked{color:#9b1c1c;font-weight:600}
.pinned{color:#0a4f99;font-weight:600}
label{display:block;font-weight:600;margin:.75rem 0 .2rem}
.check label{display:inline;font-weight:400;margin-left:.35rem}
.hint{color:#4b4b55;font-size:.9rem;margin:.1rem 0}
input[type=text],input[type=url],input[type=password],input[type=search],input[type=number],input[type=datetime-local],select,textarea{
width:100%;font:inherit;padding:.4rem .5rem;border:1px solid #6b6b75;border-radius:3px;background:#fff;color:inherit}
textarea{min-height:6rem}
textarea.content{min-height:16rem;font-family:ui-monospace,monospace;font-size:.9rem}
[aria-invalid=true]{border-color:#b3261e;border-width:2px}
.error{color:#b3261e;font-weight:600;margin:.2rem 0}
button{font:inherit;padding:.4rem .9rem;border:1px solid #1f2a44;border-radius:3px;background:#1f2a44;color:#fff;cursor:pointer}
button.secondary{background:#fff;color:#1f2a44}
button.danger{background:#9b1c1c;border-color:#9b1c1c}
.inline{display:inline;margin:0 .25rem 0 0}
.actions{display:flex;flex-wrap:wrap;gap:.5rem;align-items:center;margin:1rem 0}
.columns{display:grid;grid-template-columns:repeat(auto-fit,minmax(22rem,1fr));gap:1.25rem}
fieldset{border:1px solid #c9c9cf;background:#fff;padding:.5rem 1rem 1rem;margin:0}
legend{font-weight:700;padding:0 .25rem}
.filters{display:flex;flex-wrap:wrap;gap:.75rem;align-items:end;background:#fff;border:1px solid #c9c9cf;padding:.5rem .75rem .75rem;margin-bottom:1rem}
.filters label{margin-top:0}
.filters div{min-width:10rem}
.filters input,.filters select{height:2.5rem}
.notice{background:#e4f2e7;border:1px solid #135e22;padding:.5rem .75rem}
.alert{background:#fbeaea;border:1px solid #b3261e;padding:.5rem .75rem}
.preview{background:#fff;border:1px solid #c9c9cf;padding:.5rem 1rem;margin-bottom:1rem}
.preview img{max-width:100%;height:auto}
dl.report{display:grid;grid-template-columns:max-content 1fr;gap:.25rem 1rem;background:#fff;border:1px solid #c9c9cf;padding:.75rem}
dl.report dt{font-weight:600}
dl.report dd{margin:0}
.signin{max-width:26rem}
.chart-row{display:grid;grid-template-columns:minmax(0,1fr) minmax(0,1fr);gap:1.25rem;align-items:start}
@media (max-width:60rem){.chart-row{grid-template-columns:minmax(0,1fr)}}
.panel{background:#fff;border:1px solid #c9c9cf;padding:.5rem}
svg.chart{display:block;max-width:100%;height:auto}
svg.sparkline{display:block}
.scroll{max-height:18rem;overflow:auto;border:1px solid #c9c9cf}
.scroll caption{background:#fff;padding:.25rem .5rem}
details{background:#fff;border:1px solid #c9c9cf;padding:.4rem .75rem;margin:.4rem 0}
summary{cursor:pointer;font-weight:600}
details table{margin:.5rem 0}
.total{font-weight:600}
.day{white-space:nowrap}
`;

/** A short fingerprint of the style sheet for its URL, so a changed sheet is fetched afresh (FNV-1a). */
export function styleVersion(text: string): string {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) hash = Math.imul(hash ^ text.charCodeAt(i), 0x01000193) >>> 0;
  return hash.toString(36);
}
