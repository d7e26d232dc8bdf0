/** The report's stylesheet: system fonts, a restrained slate palette, tabular numbers right-aligned. */
export const REPORT_CSS = String.raw`
:root { --ink: #0f172a; --muted: #64748b; --line: #e2e8f0; --bg: #f8fafc; --card: #ffffff; --pos: #15803d; --neg: #b91c1c; --accent: #2563eb; }
* { box-sizing: border-box; }
body { margin: 0; background: var(--bg); color: var(--ink); font: 14px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif; }
main { max-width: 1180px; margin: 0 auto; padding: 28px 24px 48px; }
header h1 { font-size: 22px; margin: 0 0 4px; letter-spacing: -0.01em; }
header p { margin: 0; color: var(--muted); }
h2 { font-size: 15px; margin: 0 0 12px; font-weight: 600; }
h2 small { color: var(--muted); font-weight: 400; margin-left: 6px; }
section, .card { background: var(--card); border: 1px solid var(--line); border-radius: 10px; padding: 16px 18px; margin-top: 18px; }
.kpis { display: grid; grid-template-columns: repeat(auto-fit, minmax(150px, 1fr)); gap: 12px; margin-top: 18px; }
.kpi { background: var(--card); border: 1px solid var(--line); border-radius: 10px; padding: 12px 14px; }
.kpi .label { color: var(--muted); font-size: 12px; text-transform: uppercase; letter-spacing: 0.04em; }
.kpi .value { font-size: 22px; font-weight: 600; font-variant-numeric: tabular-nums; margin-top: 2px; }
.kpi .sub { color: var(--muted); font-size: 12px; font-variant-numeric: tabular-nums; }
.grid2 { display: grid; grid-template-columns: minmax(0, 3fr) minmax(0, 2fr); gap: 18px; align-items: start; }
.grid2 > section { margin-top: 18px; }
.grid2.even { grid-template-columns: minmax(0, 1fr) minmax(0, 1fr); }
.grid2.learning { grid-template-columns: minmax(0, 2fr) minmax(0, 3fr); align-items: start; }
h3 { font-size: 13px; margin: 14px 0 8px; font-weight: 600; color: var(--muted); }
.muted { color: var(--muted); }
.totals { margin: 0 0 10px; }
.table-wrap { overflow-x: auto; }
thead th, thead th.num { white-space: normal; vertical-align: bottom; }
.walk-forward td.mono { white-space: nowrap; }
.metrics tbody th { min-width: 150px; }
td.reason { font-size: 12px; color: var(--muted); min-width: 280px; }
.calib { display: grid; grid-template-columns: repeat(auto-fill, minmax(300px, 1fr)); gap: 14px; }
.calib figure { margin: 0; }
.calib figcaption { font-weight: 600; margin-bottom: 4px; }
.calib figcaption small { color: var(--muted); font-weight: 400; }
.chart { width: 100%; }
table { width: 100%; border-collapse: collapse; font-variant-numeric: tabular-nums; }
th, td { padding: 6px 8px; border-bottom: 1px solid var(--line); text-align: left; vertical-align: top; }
thead th { color: var(--muted); font-weight: 500; font-size: 12px; text-transform: uppercase; letter-spacing: 0.03em; border-bottom: 1px solid #cbd5e1; }
tbody th { font-weight: 500; }
.num { text-align: right; white-space: nowrap; }
.pos { color: var(--pos); }
.neg { color: var(--neg); }
.mono { font-family: ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; font-size: 12.5px; }
.monthly td.cell { color: #0f172a; font-size: 12.5px; }
.monthly td.year { font-weight: 600; }
.monthly td.blank { background: #f1f5f9; }
.chip { display: inline-block; border: 1px solid var(--line); border-radius: 999px; padding: 1px 8px; margin: 1px 0; font-size: 12px; background: #f8fafc; }
.chip i { color: var(--muted); font-style: normal; }
.role, .verdict, .decision, .event, .side { display: inline-block; border-radius: 4px; padding: 0 6px; font-size: 12px; white-space: nowrap; background: #e2e8f0; }
.role-analyst { background: #e0f2fe; } .role-researcher { background: #ede9fe; } .role-trader { background: #dcfce7; } .role-risk_manager { background: #fee2e2; }
.verdict-pass, .side-long { background: #dcfce7; color: var(--pos); }
.verdict-soft_fail { background: #fef3c7; color: #92400e; }
.verdict-hard_fail, .side-short { background: #fee2e2; color: var(--neg); }
.event-teach { background: #dbeafe; color: #1e40af; } .event-prune { background: #fce7f3; color: #9d174d; } .event-restore { background: #dcfce7; color: #166534; }
.decision-long { background: #dcfce7; color: var(--pos); } .decision-short, .decision-rejected { background: #fee2e2; color: var(--neg); } .decision-halted, .decision-failed { background: #fef3c7; color: #92400e; }
.kv { margin-right: 10px; } .kv b { color: var(--muted); font-weight: 500; }
.empty { color: var(--muted); margin: 0; }
details summary { cursor: pointer; font-weight: 600; }
details table { margin-top: 10px; }
footer { color: var(--muted); font-size: 12px; margin-top: 24px; }
.memorised-warning { background: #fef2f2; border: 1px solid #fca5a5; color: #7f1d1d; border-radius: 8px; padding: 8px 12px; margin: 0 0 12px; font-size: 13px; }
header .memorised-warning { position: sticky; top: 0; z-index: 10; margin-top: 12px; }
.u-legend { font-size: 12px; }
.u-legend .u-marker { border-radius: 2px; }
@media (max-width: 820px) { .grid2, .grid2.even, .grid2.learning { grid-template-columns: 1fr; } }
`;
