import type { WalkForwardWindow } from '../../domain/metrics/walk-forward';
import { classifySign, escapeHtml, formatMetric, formatPct } from './report-format';

export type { WalkForwardWindow } from '../../domain/metrics/walk-forward';

function formatUtcDay(iso: string): string {
  return iso.slice(0, 16).replace('T', ' ');
}

/**
 * Walk-forward windows, each scored on its own: the agents only learn from bars before the ones they
 * trade, so every window is out of sample for what was fitted on the windows before it.
 */
export function renderWalkForward(windows: readonly WalkForwardWindow[]): string {
  if (windows.length === 0) return '<p class="empty">Too few bars to split into walk-forward windows.</p>';
  const rows = windows.map((w) => {
    const excess = w.total_return - w.buy_and_hold_return;
    return (
      `<tr><th scope="row">${w.window}</th><td class="mono">${escapeHtml(formatUtcDay(w.from))}</td><td class="mono">${escapeHtml(formatUtcDay(w.to))}</td><td class="num">${formatMetric(w.bars, 'int')}</td>` +
      `<td class="num ${classifySign(w.total_return)}">${formatPct(w.total_return)}</td><td class="num ${classifySign(w.buy_and_hold_return)}">${formatPct(w.buy_and_hold_return)}</td>` +
      `<td class="num ${classifySign(excess)}">${formatPct(excess)}</td><td class="num ${classifySign(w.sharpe)}">${formatMetric(w.sharpe, 'ratio')}</td>` +
      `<td class="num">${formatPct(w.max_drawdown)}</td><td class="num">${formatMetric(w.n_trades, 'int')}</td></tr>`
    );
  });
  const beaten = windows.filter((w) => w.total_return > w.buy_and_hold_return).length;
  const head =
    '<tr><th>Window</th><th>From (UTC)</th><th>To (UTC)</th><th class="num">Bars</th><th class="num">Return</th><th class="num">Buy &amp; hold return</th><th class="num">Excess over buy &amp; hold</th><th class="num">Sharpe ratio (ann.)</th><th class="num">Max drawdown</th><th class="num">Trades closed in window</th></tr>';
  return `<p class="muted">The strategy beat buy &amp; hold in ${beaten} of ${windows.length} windows. Trades count in the window in which they closed.</p><div class="table-wrap"><table class="walk-forward"><thead>${head}</thead><tbody>${rows.join('')}</tbody></table></div>`;
}
