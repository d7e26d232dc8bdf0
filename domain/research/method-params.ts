/** Defaults overlaid with the chosen params; non-finite overrides are ignored. */
export function mergeParams(
  defaults: Readonly<Record<string, number>>,
  overrides: Readonly<Record<string, number>>,
): Record<string, number> {
  const out: Record<string, number> = { ...defaults };
  for (const [k, v] of Object.entries(overrides)) if (Number.isFinite(v)) out[k] = v;
  return out;
}

/** Reads a param that is known to exist in the defaults (noUncheckedIndexedAccess-friendly). */
export function readParam(params: Readonly<Record<string, number>>, key: string, fallback: number): number {
  const v = params[key];
  return v !== undefined && Number.isFinite(v) ? v : fallback;
}

/** Cuts text to the schema's 600-character rationale limit. */
export function truncateText(text: string, max = 600): string {
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}
