import { formatIsoUtc } from '../metrics/civil-time';
import type { DataIssueReport } from '../schemas/data-issues';
import type { DataIssue } from '../schemas/market';
import type { RiskLogEntry } from '../schemas/risk';

/** A loader's DataIssue (stream = the file it came from) in the summary.json form. */
export function toDataIssueReport(issue: DataIssue, file?: string): DataIssueReport {
  return {
    // Loaders name the stream after the file it came from; align.ts names it after the stream.
    ...(file !== undefined ? { file } : issue.stream.includes('/') ? { file: issue.stream } : {}),
    ...(issue.at !== null ? { time: formatIsoUtc(issue.at) } : {}),
    kind: issue.kind,
    message:
      issue.kind === 'gap'
        ? `${issue.detail}: no entries while the data is stale or right behind the gap`
        : issue.detail,
  };
}

/**
 * One issue per run of bar closes whose entries M-A refused because the snapshot was stale or
 * gapped (check fresh_snapshot), so a reader sees what the gaps cost in decisions.
 */
export function summarizeStaleRefusals(entries: readonly RiskLogEntry[]): DataIssueReport[] {
  const refused = [
    ...new Set(
      entries.filter((e) => e.verdict.checks.some((c) => c.id === 'fresh_snapshot' && !c.ok)).map((e) => e.barCloseMs),
    ),
  ].sort((a, b) => a - b);
  if (refused.length === 0) return [];
  const first = refused[0] as number;
  const last = refused[refused.length - 1] as number;
  return [
    {
      time: formatIsoUtc(first),
      kind: 'stale',
      message: `${refused.length} entr${refused.length === 1 ? 'y' : 'ies'} refused on stale or gapped snapshots between ${formatIsoUtc(first)} and ${formatIsoUtc(last)}`,
    },
  ];
}
