import { escapeHtml, formatMetric } from './report-format';
import { ROLE_LABELS, labelField } from './report-labels';

/** A teach / prune / restore event as summary.json `events` carries it. */
interface LearningEventRow {
  round: number;
  type: string;
  role: string;
  agent: string;
  teacher: string | null;
  method: string | null;
  reason: string;
}

const TYPES = ['teach', 'prune', 'restore'] as const;
const ROLE_ORDER = ['analyst', 'researcher', 'trader', 'risk_manager'];

/** Events per knowledge-transfer round, one count series per type: the learning timeline chart. */
export interface LearningTimeline {
  data: number[][];
}

function readEvents(events: readonly unknown[]): LearningEventRow[] {
  return events.flatMap((e) => {
    if (typeof e !== 'object' || e === null) return [];
    const r = e as Record<string, unknown>;
    const text = (v: unknown): string | null => (typeof v === 'string' && v !== '' ? v : null);
    return typeof r['round'] === 'number' && typeof r['type'] === 'string'
      ? [
          {
            round: r['round'],
            type: r['type'],
            role: text(r['role']) ?? 'unknown',
            agent: text(r['agent']) ?? '',
            teacher: text(r['teacher']),
            method: text(r['method']),
            reason: text(r['reason']) ?? '',
          },
        ]
      : [];
  });
}

const rankRole = (role: string): number => (ROLE_ORDER.includes(role) ? ROLE_ORDER.indexOf(role) : ROLE_ORDER.length);
const roleLabel = (role: string): string => ROLE_LABELS[role] ?? labelField(role);

function countBy<T>(xs: readonly T[], key: (x: T) => string): Map<string, number> {
  const out = new Map<string, number>();
  for (const x of xs) out.set(key(x), (out.get(key(x)) ?? 0) + 1);
  return out;
}

/** Teaching blends a student's whole inventory toward its teacher's, so it is counted per role and teacher, not per method. */
function renderTeachingTable(teach: readonly LearningEventRow[]): string {
  if (teach.length === 0) return '<p class="empty">No lessons: no agent led its role by the teaching margin.</p>';
  const roles = [...new Set(teach.map((e) => e.role))].sort((a, b) => rankRole(a) - rankRole(b));
  const rows = roles.map((role) => {
    const mine = teach.filter((e) => e.role === role);
    const teachers = [...countBy(mine, (e) => e.teacher ?? 'unknown').entries()].sort((a, b) => b[1] - a[1]);
    const students = new Set(mine.map((e) => e.agent)).size;
    const chips = teachers.map(([id, n]) => `<span class="chip">${escapeHtml(id)} <i>×${n}</i></span>`).join(' ');
    return `<tr><td><span class="role role-${escapeHtml(role)}">${escapeHtml(roleLabel(role))}</span></td><td class="num">${mine.length}</td><td class="num">${students}</td><td>${chips}</td></tr>`;
  });
  return `<table class="teaching"><thead><tr><th>Role</th><th class="num">Lessons</th><th class="num">Agents taught</th><th>Teachers (lessons given)</th></tr></thead><tbody>${rows.join('')}</tbody></table>`;
}

/** Prunes and restores per role and method, with how many pruned methods were still in the library at the end. */
function renderMethodTable(events: readonly LearningEventRow[]): string {
  const named = events.filter((e) => (e.type === 'prune' || e.type === 'restore') && e.method !== null);
  if (named.length === 0) return '<p class="empty">No method was pruned.</p>';
  const keys = [...new Set(named.map((e) => `${e.role}\u0000${e.method}`))].map(
    (k) => k.split('\u0000') as [string, string],
  );
  keys.sort((a, b) => rankRole(a[0]) - rankRole(b[0]) || a[0].localeCompare(b[0]) || a[1].localeCompare(b[1]));
  const rows = keys.map(([role, method]) => {
    const mine = named.filter((e) => e.role === role && e.method === method);
    const pruned = mine.filter((e) => e.type === 'prune').length;
    const restored = mine.filter((e) => e.type === 'restore').length;
    const agents = new Set(mine.map((e) => e.agent)).size;
    return `<tr><td><span class="role role-${escapeHtml(role)}">${escapeHtml(roleLabel(role))}</span></td><td class="mono">${escapeHtml(method)}</td><td class="num">${pruned}</td><td class="num">${restored}</td><td class="num">${Math.max(0, pruned - restored)}</td><td class="num">${agents}</td></tr>`;
  });
  return `<table class="methods-pruned"><thead><tr><th>Role</th><th>Method</th><th class="num">Pruned</th><th class="num">Restored</th><th class="num">Still pruned</th><th class="num">Agents</th></tr></thead><tbody>${rows.join('')}</tbody></table>`;
}

/** Every event, for drill-down (collapsed): a teach shows teacher → student, a prune/restore its method. */
function renderEventList(events: readonly LearningEventRow[]): string {
  const rows = events.map((e) => {
    const what =
      e.type === 'teach'
        ? `${escapeHtml(e.teacher ?? '?')} → ${escapeHtml(e.agent)}`
        : `${escapeHtml(e.method ?? '')} <span class="muted">(${escapeHtml(e.agent)})</span>`;
    return `<tr><td class="num">${e.round}</td><td><span class="event event-${escapeHtml(e.type)}">${escapeHtml(e.type)}</span></td><td>${escapeHtml(roleLabel(e.role))}</td><td class="mono">${what}</td><td class="reason">${escapeHtml(e.reason)}</td></tr>`;
  });
  return `<details><summary>All ${events.length} events</summary><table class="events"><thead><tr><th class="num">Round</th><th>Type</th><th>Role</th><th>Teacher → student / method</th><th>Reason</th></tr></thead><tbody>${rows.join('')}</tbody></table></details>`;
}

/** Counts per knowledge-transfer round: x = round, then teach, prune and restore counts. */
export function buildLearningTimeline(events: readonly unknown[]): LearningTimeline {
  const rows = readEvents(events);
  const rounds = [...new Set(rows.map((e) => e.round))].sort((a, b) => a - b);
  const count = (type: string) => rounds.map((r) => rows.filter((e) => e.round === r && e.type === type).length);
  return { data: [rounds, ...TYPES.map(count)] };
}

/** The teaching-and-pruning section body: totals, a timeline, lessons per role, prunes per method, the list collapsed. */
export function renderLearningSummary(events: readonly unknown[]): string {
  const rows = readEvents(events);
  if (rows.length === 0) return '<p class="empty">No teaching or pruning events.</p>';
  const byType = countBy(rows, (e) => e.type);
  const rounds = new Set(rows.map((e) => e.round)).size;
  const totals = TYPES.map(
    (t) => `<span class="event event-${t}">${formatMetric(byType.get(t) ?? 0, 'int')} ${t}</span>`,
  ).join(' ');
  return `<p class="totals">${totals} <span class="muted">over ${rounds} knowledge-transfer rounds</span></p>
<div class="chart" id="chart-learning"></div>
<div class="grid2 learning"><div><h3>Lessons per role</h3>${renderTeachingTable(rows.filter((e) => e.type === 'teach'))}</div><div><h3>Pruned and restored methods</h3>${renderMethodTable(rows)}</div></div>
${renderEventList(rows)}`;
}
