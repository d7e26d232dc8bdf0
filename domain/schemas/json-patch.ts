import { z } from 'zod';

/**
 * A change from one plain-JSON value to another, small where the change is small: the Evaluator's and
 * the iteration's results carry what changed in the populations and the learning state, not both
 * whole (docs/architecture.md, "What crosses the history"). Bounded windows (drop the oldest, append
 * the newest) and in-place edits of a few fields, the shape of nearly every change here, stay small.
 * `applyPatch(a, diffJson(a, b))` is `b`, key order included. Pure, cheap on shared subtrees.
 */
export type JsonPatch =
  | { replace: unknown }
  /** An object: keys patched (`keys`) or given a new value (`set`), keys it lost, its key order when that changed. */
  | { keys: Record<string, JsonPatch>; set?: Record<string, unknown>; remove?: string[]; order?: string[] }
  /** An array: drop `drop` items from the front, keep the next `keep` (patched at `items`), append `append`. */
  | { drop: number; keep: number; items?: [number, JsonPatch][]; append?: unknown[] }
  /** An array that kept some items, in order, and appended others: runs of `[start, length]` of the old array. */
  | { runs: [number, number][]; append?: unknown[] };

export const JsonPatchSchema: z.ZodType<JsonPatch> = z.lazy(() =>
  z.union([
    z.object({ replace: z.unknown() }),
    z.object({
      keys: z.record(z.string(), JsonPatchSchema),
      set: z.record(z.string(), z.unknown()).optional(),
      remove: z.array(z.string()).optional(),
      order: z.array(z.string()).optional(),
    }),
    z.object({
      drop: z.number().int().nonnegative(),
      keep: z.number().int().nonnegative(),
      items: z.array(z.tuple([z.number().int().nonnegative(), JsonPatchSchema])).optional(),
      append: z.array(z.unknown()).optional(),
    }),
    z.object({
      runs: z.array(z.tuple([z.number().int().nonnegative(), z.number().int().positive()])),
      append: z.array(z.unknown()).optional(),
    }),
  ]),
) as z.ZodType<JsonPatch>;

type Json = unknown;

function isRecord(x: Json): x is Record<string, Json> {
  return typeof x === 'object' && x !== null && !Array.isArray(x);
}

/** The change from `a` to `b`; null when they serialise alike (no change). */
export function diffJson(a: Json, b: Json): JsonPatch | null {
  if (jsonEqual(a, b)) return null;
  if (isRecord(a) && isRecord(b)) return diffObject(a, b);
  if (Array.isArray(a) && Array.isArray(b)) return diffArray(a, b);
  return { replace: b };
}

/** Equal as JSON (key order included). Shared subtrees, the common case, compare by reference. */
function jsonEqual(a: Json, b: Json): boolean {
  if (a === b) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  if (Array.isArray(a)) {
    if (!Array.isArray(b) || a.length !== b.length) return false;
    for (let i = 0; i < a.length; i++) if (!jsonEqual(a[i], b[i])) return false;
    return true;
  }
  if (Array.isArray(b)) return false;
  const ra = a as Record<string, Json>;
  const rb = b as Record<string, Json>;
  let ka = Object.keys(ra);
  let kb = Object.keys(rb);
  // Keys holding undefined are no keys to JSON; only a count mismatch needs the slower look.
  if (ka.length !== kb.length) {
    ka = Object.keys(defined(ra));
    kb = Object.keys(defined(rb));
    if (ka.length !== kb.length) return false;
  }
  for (let i = 0; i < ka.length; i++) if (ka[i] !== kb[i] || !jsonEqual(ra[ka[i]!], rb[ka[i]!])) return false;
  return true;
}

/** An object's keys as JSON sees them: a key holding undefined is no key. */
function defined(o: Record<string, Json>): Record<string, Json> {
  return Object.values(o).includes(undefined)
    ? Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined))
    : o;
}

function diffObject(rawA: Record<string, Json>, rawB: Record<string, Json>): JsonPatch {
  const a = defined(rawA);
  const b = defined(rawB);
  const keys: Record<string, JsonPatch> = {};
  const set: Record<string, Json> = {};
  for (const [k, v] of Object.entries(b)) {
    const d = k in a ? diffJson(a[k], v) : { replace: v };
    // A new value is said as itself ({uses: 9}), not wrapped ({uses: {replace: 9}}): most changes are counters.
    if (d && 'replace' in d) set[k] = d.replace;
    else if (d) keys[k] = d;
  }
  const remove = Object.keys(a).filter((k) => !(k in b));
  const patch: JsonPatch = {
    keys,
    ...(Object.keys(set).length > 0 ? { set } : {}),
    ...(remove.length > 0 ? { remove } : {}),
  };
  const kept = Object.keys(a).filter((k) => k in b);
  const natural = [...kept, ...Object.keys(b).filter((k) => !(k in a))];
  const order = Object.keys(b);
  return natural.every((k, i) => k === order[i]) ? patch : { ...patch, order };
}

function diffArray(a: Json[], b: Json[]): JsonPatch {
  // A window that dropped its oldest items starts further in; otherwise align from the front.
  const found = b.length > 0 ? a.findIndex((x) => jsonEqual(x, b[0])) : a.length;
  const drop = found < 0 ? 0 : found;
  const keep = Math.min(a.length - drop, b.length);
  const items: [number, JsonPatch][] = [];
  for (let i = 0; i < keep; i++) {
    const d = diffJson(a[drop + i], b[i]);
    if (d) items.push([i, d]);
  }
  const append = b.slice(keep);
  const patch: JsonPatch = {
    drop,
    keep,
    ...(items.length > 0 ? { items } : {}),
    ...(append.length > 0 ? { append } : {}),
  };
  if (items.length === 0) return patch;
  // Items left from the middle (matured pending forecasts) shift the rest: keeping runs of the old array
  // may say it in less; the new array itself, when it was mostly rewritten.
  return smallest([patch, keptRunsOf(a, b), { replace: b }]);
}

/** `b` as runs of `a`'s items kept in order (matched greedily, by reference first), then whatever it appends. */
function keptRunsOf(a: Json[], b: Json[]): JsonPatch {
  const runs: [number, number][] = [];
  let from = 0;
  let j = 0;
  for (; j < b.length; j++) {
    let k = from;
    while (k < a.length && !jsonEqual(a[k], b[j])) k++;
    if (k === a.length) break;
    const last = runs.at(-1);
    if (last && last[0] + last[1] === k) last[1]++;
    else runs.push([k, 1]);
    from = k + 1;
  }
  return { runs, ...(j < b.length ? { append: b.slice(j) } : {}) };
}

function smallest(patches: JsonPatch[]): JsonPatch {
  const sized = patches.map((p) => [JSON.stringify(p).length, p] as const);
  return sized.reduce((best, x) => (x[0] < best[0] ? x : best))[1];
}

/** `a` with `patch` applied; null applies no change. Never mutates `a`. */
export function applyPatch<T>(a: T, patch: JsonPatch | null): T {
  return (patch === null ? a : applyAny(a, patch)) as T;
}

function applyAny(a: Json, patch: JsonPatch): Json {
  if ('replace' in patch) return patch.replace;
  if ('runs' in patch) {
    if (!Array.isArray(a) || patch.runs.some(([start, n]) => start + n > a.length))
      throw new Error('json patch: kept runs applied to a shorter or non-array value');
    return [...patch.runs.flatMap(([start, n]) => a.slice(start, start + n)), ...(patch.append ?? [])];
  }
  if ('keys' in patch) {
    if (!isRecord(a)) throw new Error('json patch: an object patch applied to a non-object');
    const out: Record<string, Json> = {};
    const removed = new Set(patch.remove ?? []);
    const set = patch.set ?? {};
    for (const [k, v] of Object.entries(a))
      if (!removed.has(k)) out[k] = k in set ? set[k] : k in patch.keys ? applyAny(v, patch.keys[k]!) : v;
    for (const [k, p] of Object.entries(patch.keys)) if (!(k in out)) out[k] = applyAny(undefined, p);
    for (const [k, v] of Object.entries(set)) if (!(k in out)) out[k] = v;
    return patch.order ? Object.fromEntries(patch.order.map((k) => [k, out[k]])) : out;
  }
  if (!Array.isArray(a) || a.length < patch.drop + patch.keep)
    throw new Error('json patch: an array patch applied to a shorter or non-array value');
  const kept = a.slice(patch.drop, patch.drop + patch.keep);
  for (const [i, p] of patch.items ?? []) kept[i] = applyAny(kept[i], p);
  return [...kept, ...(patch.append ?? [])];
}
