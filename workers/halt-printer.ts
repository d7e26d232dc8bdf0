import { describeHaltEvent } from '../domain/metrics/halt-summary';
import type { HaltEvent } from '../domain/schemas/session';

/**
 * Prints each halt, cool-down and resume once, however often the caller passes it (status polls
 * return the recent list every time). `skipExisting` marks the first batch as seen: a continued
 * fund's old halts are history, not news.
 */
export function createHaltPrinter(
  print: (line: string) => void,
  opts: { skipExisting?: boolean } = {},
): (events: readonly HaltEvent[]) => void {
  const seen = new Set<string>();
  let first = opts.skipExisting ?? false;
  return (events) => {
    for (const e of events) {
      const key = `${e.atMs}|${e.kind}|${e.source}|${e.reason}`;
      if (seen.has(key)) continue;
      seen.add(key);
      if (!first) print(describeHaltEvent(e));
    }
    first = false;
  };
}
