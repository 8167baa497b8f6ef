/**
 * The console's stylesheet (inline with the page's CSP nonce: no asset route, no build). Dark text on white
 * and white on a dark blue (contrast above 7:1), a thick visible focus ring, one column on a phone.
 */
export const CONSOLE_CSS = `
*{box-sizing:border-box}
body{margin:0;font:16px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;color:#1a1a1a;background:#f6f7f9}
a{color:#0b4fa8}
a:hover{color:#063a7d}
:focus-visible{outline:3px solid #b35c00;outline-offset:2px}
.skip{position:absolute;left:-999px}
.skip:focus{left:8px;top:8px;background:#fff;padding:8px;z-index:9}
header{background:#0b2a4a;color:#fff;padding:8px 16px;display:flex;flex-wrap:wrap;gap:8px 16px;align-items:center;justify-content:space-between}
header a{color:#fff}
header nav ul{list-style:none;margin:0;padding:0;display:flex;gap:16px;flex-wrap:wrap}
header form{margin:0}
main{max-width:1100px;margin:0 auto;padding:16px}
h1{font-size:1.6rem;margin:.5rem 0 1rem}
h2{font-size:1.25rem;margin:1.5rem 0 .5rem}
h3{font-size:1.05rem;margin:0 0 .5rem}
table{border-collapse:collapse;width:100%;background:#fff}
th,td{text-align:left;padding:6px 8px;border-bottom:1px solid #d0d4da;vertical-align:top}
.table-wrap{overflow-x:auto}
.cards{display:grid;grid-template-columns:repeat(auto-fill,minmax(260px,1fr));gap:12px}
.card,.panel{background:#fff;border:1px solid #d0d4da;border-radius:6px;padding:12px 16px}
.panel{margin:12px 0}
.badge{display:inline-block;padding:0 8px;border-radius:10px;font-size:.85rem;font-weight:600;border:1px solid currentColor}
.ok{color:#11632b}.attention{color:#8a3b00}.off,.disabled{color:#444}.failed{color:#a4141b}
button,.button{font:inherit;padding:8px 16px;border-radius:4px;border:2px solid #0b4fa8;background:#0b4fa8;color:#fff;cursor:pointer}
button.secondary{background:#fff;color:#0b4fa8}
button.danger{background:#a4141b;border-color:#a4141b}
fieldset{border:1px solid #d0d4da;border-radius:6px;margin:0 0 12px;padding:8px 12px}
fieldset .choice{display:flex;gap:8px;align-items:baseline;margin:4px 0}
fieldset .choice label{font-weight:400;margin:0}
header button{background:transparent;border-color:#fff;color:#fff;padding:2px 10px}
.actions{display:flex;gap:12px;flex-wrap:wrap;margin:12px 0}
.actions form{margin:0}
label{display:block;font-weight:600;margin-bottom:4px}
input,select{font:inherit;padding:6px 8px;border:1px solid #5a6270;border-radius:4px;max-width:100%}
.field{margin-bottom:12px}
.inline-fields{display:flex;flex-wrap:wrap;gap:12px;align-items:flex-end}
.error{background:#fdecec;border:1px solid #a4141b;color:#7a0f14;padding:8px 12px;border-radius:4px}
.note{background:#eef4fb;border:1px solid #0b4fa8;padding:8px 12px;border-radius:4px}
dl{margin:0;display:grid;grid-template-columns:max-content 1fr;gap:2px 12px}
dt{font-weight:600}dd{margin:0;overflow-wrap:anywhere}
dl dl{grid-template-columns:max-content 1fr}
progress{width:12rem;max-width:100%;vertical-align:middle}
ul.plain{padding-left:1.2rem;margin:.25rem 0}
@media (max-width:600px){dl{grid-template-columns:1fr}th,td{padding:4px}}
`;
