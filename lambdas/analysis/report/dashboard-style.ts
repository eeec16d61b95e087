// The dashboard's stylesheet: a responsive grid of chart cards (two or more columns on wide screens,
// one on phones), tables that scroll inside their box, and a print layout for findings and charts.
export const DASHBOARD_STYLE = `
*{box-sizing:border-box}
html{scroll-padding-top:6rem}body{font-family:"DejaVu Sans",system-ui,sans-serif;margin:0;color:#1d2430;background:#f5f6f8;line-height:1.45;overflow-wrap:anywhere}
header{background:#1f3b57;color:#fff;padding:14px 20px}header h1{margin:0 0 4px;font-size:22px}header p{margin:2px 0;font-size:13px;opacity:.92}
header a{color:#cfe3ff}header .run-facts{display:flex;flex-wrap:wrap;gap:4px 18px}
main{max-width:1760px;margin:0 auto;padding:8px 20px 40px}
section{background:#fff;border-radius:6px;padding:14px 18px;margin:14px 0;box-shadow:0 1px 2px rgba(0,0,0,.08);min-width:0}
h2{font-size:18px;margin:4px 0 10px}h3{font-size:15px;margin:4px 0}
.filters{position:sticky;top:0;z-index:2;display:flex;gap:8px 18px;flex-wrap:wrap;align-items:center;background:#e9edf2;padding:8px 20px;box-shadow:0 1px 2px rgba(0,0,0,.1)}
.filters label{font-size:13px}.filters select{margin-left:4px;max-width:100%}.filters .count{font-size:13px}
ul.findings{padding-left:18px}ul.findings li{margin:8px 0}.detail{display:block;font-size:12.5px;color:#4a5563}
.alert{border-left:5px solid #c8553d}
.grid{display:grid;grid-template-columns:repeat(auto-fit,minmax(min(100%,540px),1fr));gap:14px}
figure.chart{margin:0;border:1px solid #e3e7ec;border-radius:6px;padding:8px;background:#fff;min-width:0}
figure.chart .view{min-height:60px}figure.chart .view svg{max-width:100%;height:auto;display:block}
figure.chart figcaption{font-size:12.5px;color:#4a5563}figure.chart .downloads,figure.chart .follows{font-size:12px;color:#5b6573}
.table-scroll{overflow-x:auto;max-width:100%;margin:6px 0 12px}
table{border-collapse:collapse;font-size:12.5px;overflow-wrap:normal}td{white-space:nowrap}td.text{white-space:normal;min-width:12em}th,td{border-bottom:1px solid #e3e7ec;padding:3px 8px;text-align:right;vertical-align:top}
th:first-child,td:first-child,td.text,th.text{text-align:left}th{background:#f0f3f6}
.note,.empty-note{color:#8a4b08}pre{background:#f3f4f6;padding:8px;overflow-x:auto;font-size:12px}
.hidden{display:none!important}.status-failed{color:#ffb4ab;font-weight:bold}.status-succeeded{color:#b8f0c4;font-weight:bold}
#tooltip{position:fixed;z-index:10;pointer-events:none;background:rgba(29,36,48,.95);color:#fff;font-size:12px;padding:6px 8px;border-radius:4px;max-width:320px}
#tooltip table{font-size:12px}#tooltip td{border:0;padding:1px 4px;color:#fff}
@media (max-width:600px){header,main,.filters{padding-left:10px;padding-right:10px}section{padding:10px}.filters{gap:4px 10px;font-size:12px}.filters label,.filters .count{font-size:12px}}
@media print{
  body{background:#fff}header{background:none;color:#000;padding:0 0 8px;border-bottom:2px solid #000}header a{color:#000}
  .status-failed,.status-succeeded{color:#000}
  #tooltip,figure.chart .downloads,#files{display:none!important}
  .filters{position:static;box-shadow:none;background:none;padding:4px 0}
  main{max-width:none;padding:0}section{box-shadow:none;padding:0;margin:12px 0}
  .grid{display:block}figure.chart{break-inside:avoid;page-break-inside:avoid;border:0;margin:0 0 12px}
  .table-scroll{overflow:visible}a{color:#000;text-decoration:none}
  /* Paper does not scroll: wide tables shrink to the page; column names and text wrap, a figure never breaks. */
  table{width:100%;font-size:7pt}th,td.text{overflow-wrap:anywhere}th,td{white-space:normal;min-width:0;padding:2px 3px}
}
`;
