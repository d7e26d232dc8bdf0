import type { ActivityDeps } from './deps';

/**
 * Parses an activity's input, unless the caller is the in-process fast runner (`deps.trustInputs`).
 * Through Temporal an input crossed a serialization boundary (another process, maybe another
 * version of the workflow code), so it is always checked. In-process, runIteration builds every
 * input from the session state and from earlier activities' outputs, and each activity still
 * schema-checks its output; re-parsing inputs was a fast backtest's largest cost. Parsing is the
 * identity on such inputs (no step input schema has defaults or transforms; the config's defaults
 * were applied when the session started), so decisions do not change: the parity test pins it.
 */
export function inputOf<T>(deps: ActivityDeps, schema: { parse(raw: unknown): T }, raw: unknown): T {
  return deps.trustInputs ? (raw as T) : schema.parse(raw);
}
