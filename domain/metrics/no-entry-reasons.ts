/**
 * Why the desk did not enter on the bars it stayed flat or held: each bar's reason with its figures
 * replaced by "…", so bars that stood aside for the same rule (the edge gate, the execution style,
 * an open position) count together. summary.json `no_entry_reasons`, report.html "Why no entry".
 */
export interface NoEntryReason {
  /** The reason with every number replaced by "…". */
  reason: string;
  /** Bars decided `flat` (no position) for this reason. */
  flat: number;
  /** Bars decided `hold` (the open position kept) for this reason. */
  hold: number;
}

const NUMBER = /[-+]?\d+(?:\.\d+)?(?:e[-+]?\d+)?/gi;

/** "net edge 0.118% … does not exceed the margin 0.800%" → "net edge …% … does not exceed the margin …%". */
export function reasonTemplate(reason: string): string {
  return reason.replace(NUMBER, '…').trim();
}

/**
 * The reasons of the flat and hold bars, most frequent first (ties: alphabetical). The counts add up
 * to the `flat` and `hold` decision counts.
 */
export function countNoEntryReasons(reports: readonly { decision: string; reason: string }[]): NoEntryReason[] {
  const rows = new Map<string, NoEntryReason>();
  for (const r of reports) {
    if (r.decision !== 'flat' && r.decision !== 'hold') continue;
    const reason = reasonTemplate(r.reason);
    const row = rows.get(reason) ?? { reason, flat: 0, hold: 0 };
    row[r.decision] += 1;
    rows.set(reason, row);
  }
  return [...rows.values()].sort((a, b) => b.flat + b.hold - (a.flat + a.hold) || a.reason.localeCompare(b.reason));
}
