import type { ClosedTrade } from '../../domain/schemas/account';
import type { NoEntryReason } from '../../domain/metrics/no-entry-reasons';
import { formatIsoUtc } from '../../domain/metrics/civil-time';
import type { MonthlyReturn } from '../../domain/metrics/performance';
import { classifySign, escapeHtml, formatMetric, formatPct, shadeReturn } from './report-format';
import { PAPER_PRECISION, formatPrice, formatSize, type MarketPrecision } from '../exchange/market-precision';
import { ROLE_LABELS, labelField } from './report-labels';

/** An agent row of the leaderboard (summary.json `agents`). */
export interface ReportAgent {
  id: string;
  role: string;
  score: number;
  methods: { id: string; uses: number; score: number }[];
}

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'] as const;
const ROLE_ORDER = ['analyst', 'researcher', 'trader', 'risk_manager'];

/** Year × month grid of returns, shaded by sign and size, with the compounded year in the last column. */
export function renderMonthlyTable(months: readonly MonthlyReturn[]): string {
  if (months.length === 0) return '<p class="empty">No returns yet.</p>';
  const byYear = new Map<string, Map<number, number>>();
  for (const { month, ret } of months) {
    const [year = '', mm = '1'] = month.split('-');
    const row = byYear.get(year) ?? new Map<number, number>();
    row.set(Number(mm) - 1, ret);
    byYear.set(year, row);
  }
  const head = `<tr><th>Year</th>${MONTHS.map((m) => `<th class="num">${m}</th>`).join('')}<th class="num">Total</th></tr>`;
  const body = [...byYear.entries()].map(([year, row]) => {
    const cells = MONTHS.map((_, i) => {
      const ret = row.get(i);
      return ret === undefined
        ? '<td class="num blank"></td>'
        : `<td class="num cell" style="background:${shadeReturn(ret)}">${formatPct(ret, 1)}</td>`;
    });
    const yearRet = [...row.values()].reduce((a, r) => a * (1 + r), 1) - 1;
    return `<tr><th scope="row">${escapeHtml(year)}</th>${cells.join('')}<td class="num cell year" style="background:${shadeReturn(yearRet)}">${formatPct(yearRet, 1)}</td></tr>`;
  });
  return `<table class="monthly"><thead>${head}</thead><tbody>${body.join('')}</tbody></table>`;
}

/** Agents by role then score, each with its methods by score. */
export function renderAgentsTable(agents: readonly ReportAgent[]): string {
  if (agents.length === 0) return '<p class="empty">No agents recorded.</p>';
  const rank = (role: string): number => (ROLE_ORDER.includes(role) ? ROLE_ORDER.indexOf(role) : ROLE_ORDER.length);
  const sorted = [...agents].sort(
    (a, b) => rank(a.role) - rank(b.role) || a.role.localeCompare(b.role) || b.score - a.score,
  );
  const rows = sorted.map((a) => {
    const methods = [...a.methods]
      .sort((x, y) => y.score - x.score)
      .map(
        (m) =>
          `<span class="chip" title="uses ${escapeHtml(m.uses)}, score ${escapeHtml(m.score.toFixed(3))}">${escapeHtml(m.id)} <b>${escapeHtml(m.score.toFixed(2))}</b> <i>×${escapeHtml(m.uses)}</i></span>`,
      );
    return `<tr><td><span class="role role-${escapeHtml(a.role)}">${escapeHtml(ROLE_LABELS[a.role] ?? labelField(a.role))}</span></td><td class="mono">${escapeHtml(a.id)}</td><td class="num">${escapeHtml(a.score.toFixed(3))}</td><td>${methods.join(' ')}</td></tr>`;
  });
  return `<table class="agents"><thead><tr><th>Role</th><th>Agent</th><th class="num">Score</th><th>Methods (score ×uses)</th></tr></thead><tbody>${rows.join('')}</tbody></table>`;
}

const VERDICT_LABELS: Record<string, string> = {
  pass: 'Pass',
  soft_fail: 'Soft fail (regenerate)',
  hard_fail: 'Hard fail (no trade)',
};
const DECISION_LABELS: Record<string, string> = {
  long: 'Long (order approved)',
  short: 'Short (order approved)',
  flat: 'Flat (no position, no order)',
  hold: 'Hold (keep the position)',
  rejected: 'Rejected by risk',
  halted: 'Halted (no entries)',
  failed: 'Failed iteration',
  rejected_by_operator: 'Rejected by the operator (approval)',
  approval_timed_out: 'Approval timed out (no trade)',
};

function renderCountsTable(
  counts: Record<string, number>,
  labels: Record<string, string>,
  cls: string,
  head: string,
  empty: string,
): string {
  const entries = Object.entries(counts).filter(([, n]) => typeof n === 'number');
  const total = entries.reduce((a, [, n]) => a + n, 0);
  if (total === 0) return `<p class="empty">${empty}</p>`;
  const rows = entries.map(
    ([k, n]) =>
      `<tr><td><span class="${cls} ${cls}-${escapeHtml(k)}">${escapeHtml(labels[k] ?? labelField(k))}</span></td><td class="num">${n}</td><td class="num">${formatPct(n / total, 1)}</td></tr>`,
  );
  return `<table class="${cls}s"><thead><tr><th>${head}</th><th class="num">Count</th><th class="num">Share</th></tr></thead><tbody>${rows.join('')}</tbody></table>`;
}

/** Counts of risk verdicts with their share. */
export function renderVerdictsTable(verdicts: Record<string, number>): string {
  return renderCountsTable(verdicts, VERDICT_LABELS, 'verdict', 'Verdict', 'No risk reviews.');
}

/** Counts of per-bar decisions (summary.json `decisions`) with their share. */
export function renderDecisionsTable(decisions: Record<string, number>): string {
  return renderCountsTable(decisions, DECISION_LABELS, 'decision', 'Decision', 'No decisions.');
}

/** Why the desk did not enter, per reason template (summary.json `no_entry_reasons`), flat and hold bars apart. */
export function renderNoEntryTable(rows: readonly NoEntryReason[]): string {
  if (rows.length === 0) return '<p class="empty">The desk entered or was halted on every bar.</p>';
  const total = rows.reduce((a, r) => a + r.flat + r.hold, 0);
  const body = rows.map(
    (r) =>
      `<tr><td>${escapeHtml(r.reason)}</td><td class="num">${r.flat}</td><td class="num">${r.hold}</td><td class="num">${formatPct((r.flat + r.hold) / total, 1)}</td></tr>`,
  );
  return `<table class="no-entry"><thead><tr><th>Reason (figures as …)</th><th class="num">Flat</th><th class="num">Hold</th><th class="num">Share</th></tr></thead><tbody>${body.join('')}</tbody></table>`;
}

/** Every closed trade with its net PnL and R multiple; prices and sizes at the market's precision. */
export function renderTradesTable(
  trades: readonly ClosedTrade[],
  precision: MarketPrecision = PAPER_PRECISION,
): string {
  if (trades.length === 0) return '<p class="empty">No closed trades.</p>';
  const money = (n: number): string => formatMetric(n, 'money');
  const price = (n: number): string => formatPrice(n, precision);
  const rows = trades.map((t) => {
    const net = t.realizedPnl - t.fees + t.funding;
    const r = t.riskAmount > 0 ? (net / t.riskAmount).toFixed(2) : '—';
    return `<tr><td class="mono">${escapeHtml(t.tradeId)}</td><td><span class="side side-${t.side}">${t.side}</span></td><td class="mono">${formatIsoUtc(t.entryTimeMs).slice(0, 16).replace('T', ' ')}</td><td class="num">${price(t.entryPrice)}</td><td class="mono">${formatIsoUtc(t.exitTimeMs).slice(0, 16).replace('T', ' ')}</td><td class="num">${price(t.exitPrice)}</td><td class="num">${formatSize(t.size, precision)}</td><td class="num">${formatMetric(t.leverage, 'plain')}×</td><td>${escapeHtml(labelField(t.exitReason))}</td><td class="num ${classifySign(net)}">${money(net)}</td><td class="num ${classifySign(net)}">${r}</td></tr>`;
  });
  return `<table class="trades"><thead><tr><th>Trade</th><th>Side</th><th>Entry (UTC)</th><th class="num">Entry</th><th>Exit (UTC)</th><th class="num">Exit</th><th class="num">Size</th><th class="num">Lev.</th><th>Reason</th><th class="num">Net PnL</th><th class="num">R</th></tr></thead><tbody>${rows.join('')}</tbody></table>`;
}
