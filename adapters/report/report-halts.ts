import type { EquityPoint } from '../../domain/metrics/performance';
import { escapeHtml, formatMetric } from './report-format';

interface HaltRowLike {
  time: string;
  kind: string;
  source: string;
  reason: string;
  equity: number;
  until: string | null;
}

const COLORS: Record<string, string> = { halt: '#b91c1c', cooldown: '#d97706', resume: '#15803d' };

function rowsOf(summary: Record<string, unknown>): HaltRowLike[] {
  const halts = summary['halts'];
  return Array.isArray(halts) ? (halts as HaltRowLike[]) : [];
}

/** Spans the desk could not enter: a halt until its resume (or the end), a cool-down until its end. */
function spansOf(rows: readonly HaltRowLike[], endMs: number): { kind: string; from: number; to: number }[] {
  const spans: { kind: string; from: number; to: number }[] = [];
  rows.forEach((r, i) => {
    const from = Date.parse(r.time);
    if (r.kind === 'cooldown') spans.push({ kind: r.kind, from, to: r.until ? Date.parse(r.until) : endMs });
    if (r.kind === 'halt') {
      const resume = rows.slice(i + 1).find((x) => x.kind === 'resume' && x.source === 'operator');
      spans.push({ kind: r.kind, from, to: resume ? Date.parse(resume.time) : endMs });
    }
  });
  return spans;
}

/** A strip under the period: red while halted, amber while cooling down. */
function renderTimeline(rows: readonly HaltRowLike[], curve: readonly EquityPoint[]): string {
  const start = curve[0]?.t;
  const end = curve.at(-1)?.t;
  if (start === undefined || end === undefined || end <= start) return '';
  const pct = (t: number) => (100 * (Math.min(Math.max(t, start), end) - start)) / (end - start);
  const bars = spansOf(rows, end).map((s) => {
    const left = pct(s.from);
    const width = Math.max(0.3, pct(s.to) - left);
    return `<div title="${escapeHtml(`${s.kind} ${new Date(s.from).toISOString()} → ${new Date(s.to).toISOString()}`)}" style="position:absolute;top:0;bottom:0;left:${left.toFixed(3)}%;width:${width.toFixed(3)}%;background:${COLORS[s.kind]};opacity:.75"></div>`;
  });
  return `<div class="halt-timeline" style="position:relative;height:14px;background:#f1f5f9;border-radius:4px;overflow:hidden;margin:4px 0 12px">${bars.join('')}</div>`;
}

/**
 * The report's halts section: a timeline of halted and cooling-down spans, every halt, cool-down
 * and resume with its reason and equity, and the note that risk metrics include halted bars.
 */
export function renderHaltsSection(summary: Record<string, unknown>, curve: readonly EquityPoint[]): string {
  const rows = rowsOf(summary);
  const note =
    typeof summary['risk_metrics_note'] === 'string'
      ? `<p class="halt-note"><b>Note:</b> ${escapeHtml(summary['risk_metrics_note'])}.</p>`
      : '';
  if (rows.length === 0)
    return `<section id="halts"><h2>Halts and cool-downs</h2><p class="empty">The circuit breakers never tripped.</p>${note}</section>`;
  const body = rows.map(
    (r) =>
      `<tr class="halt-${escapeHtml(r.kind)}"><td class="mono">${escapeHtml(r.time.slice(0, 16).replace('T', ' '))}</td><td><span class="event" style="color:${COLORS[r.kind] ?? 'inherit'}">${escapeHtml(r.kind)}</span></td><td>${escapeHtml(r.source.replace(/_/g, ' '))}</td><td class="mono">${escapeHtml(r.until ? r.until.slice(0, 16).replace('T', ' ') : '')}</td><td>${escapeHtml(r.reason)}</td><td class="num">${escapeHtml(formatMetric(r.equity, 'money'))}</td></tr>`,
  );
  const counts = ['halt', 'cooldown', 'resume']
    .map((k) => `${rows.filter((r) => r.kind === k).length} ${k}`)
    .join(' · ');
  return `<section id="halts"><h2>Halts and cool-downs <small>${escapeHtml(counts)}; red = halted, amber = cooling down</small></h2>${renderTimeline(rows, curve)}${note}
<details><summary>Events (${rows.length})</summary><table class="halts"><thead><tr><th>Time (UTC)</th><th>Kind</th><th>Breaker</th><th>Until</th><th>Reason</th><th class="num">Equity</th></tr></thead><tbody>${body.join('')}</tbody></table></details></section>`;
}
