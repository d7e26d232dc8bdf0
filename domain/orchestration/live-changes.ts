import {
  LLM_PROVIDERS,
  LlmChoiceSchema,
  RiskLimitsSchema,
  type LlmChoice,
  type RiskLimits,
  type SessionConfig,
} from '../schemas/config';
import { gridAtOrBefore } from '../market/time-grid';
import { formatIsoUtc } from '../metrics/civil-time';

/**
 * Live changes to a running session (docs/live-changes.md): the `setRiskLimits` and `setLlm` Updates.
 * Their validators call the functions here, so a bad change is refused before it enters the history.
 */

/** Which way a limit loosens: `max` limits loosen upwards (more leverage), `min` limits downwards (less confidence). */
export type CapKind = 'max' | 'min';

export interface HardCap {
  kind: CapKind;
  /** The loosest value a live change may set. */
  bound: number;
}

/**
 * The loosest value any live change may set, per risk limit. A live change may always tighten a limit
 * (within RiskLimitsSchema's range), and loosen it up to its cap; a looser desk needs a new session.
 * The defaults sit well inside: maxLeverage 5 (cap 10), maxDrawdown 0.25 (cap 0.35), minConfidence 0.53 (cap 0.5).
 */
export const HARD_CAPS: Readonly<Record<keyof RiskLimits, HardCap>> = {
  maxLeverage: { kind: 'max', bound: 10 },
  hardMaxLeverage: { kind: 'max', bound: 20 },
  maxNotionalToEquity: { kind: 'max', bound: 5 },
  maxRiskPerTrade: { kind: 'max', bound: 0.05 },
  maxMarginUsage: { kind: 'max', bound: 0.8 },
  cvarBudget: { kind: 'max', bound: 0.1 },
  liquidationBufferAtr: { kind: 'min', bound: 0.5 },
  minConfidence: { kind: 'min', bound: 0.5 },
  // The desk holds one net position on one symbol.
  maxOpenPositions: { kind: 'max', bound: 1 },
  dailyLossLimit: { kind: 'max', bound: 0.1 },
  maxDrawdown: { kind: 'max', bound: 0.35 },
  cooldownAfterLosses: { kind: 'max', bound: 10 },
  cooldownBars: { kind: 'min', bound: 1 },
};

export const RISK_KEYS = Object.keys(HARD_CAPS) as (keyof RiskLimits)[];

export type Validated<T> = { ok: true; value: T } | { ok: false; errors: string[] };

/**
 * The session's risk limits after `patch`, or every reason to refuse it: not an object, no key, an
 * unknown key, a value outside RiskLimitsSchema's range, a loosening beyond HARD_CAPS, or maxLeverage
 * above hardMaxLeverage. A limit already beyond its cap (set at start) may be tightened, never loosened.
 */
export function validateRiskChange(current: RiskLimits, patch: unknown): Validated<RiskLimits> {
  if (typeof patch !== 'object' || patch === null || Array.isArray(patch))
    return {
      ok: false,
      errors: [`setRiskLimits takes an object of limits, e.g. {"maxLeverage":3}; got ${show(patch)}`],
    };
  const entries = Object.entries(patch);
  if (entries.length === 0) return { ok: false, errors: ['setRiskLimits: no risk limit given'] };
  const errors: string[] = [];
  for (const [key] of entries)
    if (!(key in HARD_CAPS)) errors.push(`unknown risk limit "${key}" (known: ${RISK_KEYS.join(', ')})`);
  if (errors.length > 0) return { ok: false, errors };

  const parsed = RiskLimitsSchema.strict().safeParse({ ...current, ...patch });
  if (!parsed.success) {
    return {
      ok: false,
      errors: parsed.error.issues.map((i) => {
        const key = String(i.path[0] ?? '');
        const given = key in patch ? ` (got ${show((patch as Record<string, unknown>)[key])})` : '';
        return `risk.${key}: ${i.message}${given}`;
      }),
    };
  }
  const next = parsed.data;
  for (const [k] of entries) {
    const key = k as keyof RiskLimits;
    const cap = HARD_CAPS[key];
    const beyond = cap.kind === 'max' ? next[key] > cap.bound : next[key] < cap.bound;
    const looser = cap.kind === 'max' ? next[key] > current[key] : next[key] < current[key];
    if (beyond && looser)
      errors.push(
        `risk.${key}=${next[key]} is beyond the hard cap (${cap.kind === 'max' ? 'at most' : 'at least'} ${cap.bound}): a live change may tighten a limit, or loosen it up to its cap`,
      );
  }
  if (next.maxLeverage > next.hardMaxLeverage)
    errors.push(
      `risk.maxLeverage=${next.maxLeverage} is above risk.hardMaxLeverage=${next.hardMaxLeverage}: the soft limit must not exceed the hard one`,
    );
  return errors.length > 0 ? { ok: false, errors } : { ok: true, value: next };
}

/**
 * The session's LLM after `setLlm(input)`: `{provider, model?}` (model absent or null = that provider's
 * default on the worker), or null = the LLM worker's env default. Keys never travel in an update.
 */
export function validateLlmChange(input: unknown): Validated<LlmChoice | null> {
  if (input === null) return { ok: true, value: null };
  if (typeof input !== 'object' || Array.isArray(input))
    return {
      ok: false,
      errors: [`setLlm takes {"provider": …, "model": …} or null (the worker's default); got ${show(input)}`],
    };
  const fields = input as Record<string, unknown>;
  const secrets = Object.keys(fields).filter((k) => /key|secret|token|password/i.test(k));
  if (secrets.length > 0)
    return {
      ok: false,
      errors: [
        `setLlm refuses ${secrets.join(', ')}: keys never travel in an update (set OPENAI_API_KEY / ANTHROPIC_API_KEY in the LLM worker's environment)`,
      ],
    };
  if (!LLM_PROVIDERS.includes(fields.provider as LlmChoice['provider']))
    return {
      ok: false,
      errors: [`unknown LLM provider ${show(fields.provider)} (known: ${LLM_PROVIDERS.join(', ')})`],
    };
  const parsed = LlmChoiceSchema.safeParse(input);
  if (!parsed.success)
    return {
      ok: false,
      errors: parsed.error.issues.map(
        (i) =>
          `llm.${i.path.join('.') || '(root)'}: ${i.message}${i.path[0] === 'model' ? ' (a non-empty model id)' : ''}`,
      ),
    };
  return { ok: true, value: parsed.data };
}

/** One parsed `npm run set` command line: the risk patch and the LLM choice it asks for (undefined = none). */
export interface Assignments {
  risk: Record<string, number | string | boolean> | null;
  llm: { provider: string; model: string | null } | null | undefined;
  errors: string[];
}

/**
 * `risk.maxLeverage=3 llm.provider=openai llm.model=gpt-4o-mini` (or `llm=default`) → the Updates'
 * inputs. Numbers and booleans are read as such, anything else stays a string for the validator to judge.
 */
export function parseAssignments(args: readonly string[]): Assignments {
  const risk: Record<string, number | string | boolean> = {};
  const llm: Record<string, string> = {};
  let llmDefault = false;
  const errors: string[] = [];
  const seen = new Set<string>();
  for (const arg of args) {
    const eq = arg.indexOf('=');
    if (eq <= 0) {
      errors.push(`"${arg}" is not KEY=VALUE (e.g. risk.maxLeverage=3, llm.provider=openai)`);
      continue;
    }
    const key = arg.slice(0, eq).trim();
    const raw = arg.slice(eq + 1).trim();
    if (seen.has(key)) {
      errors.push(`${key} is given twice`);
      continue;
    }
    seen.add(key);
    if (raw === '') errors.push(`${key} has no value`);
    else if (key === 'llm') {
      if (raw === 'default') llmDefault = true;
      else
        errors.push(
          `llm=${raw}: only llm=default (the worker's env default) is allowed; else llm.provider=… llm.model=…`,
        );
    } else if (key.startsWith('risk.') && key.length > 'risk.'.length) risk[key.slice('risk.'.length)] = valueOf(raw);
    else if (key === 'llm.provider' || key === 'llm.model') llm[key.slice('llm.'.length)] = raw;
    else errors.push(`unknown setting "${key}" (risk.<limit>, llm.provider, llm.model or llm=default)`);
  }
  const wantsLlm = Object.keys(llm).length > 0;
  if (llmDefault && wantsLlm) errors.push('llm=default cannot be combined with llm.provider/llm.model');
  if (wantsLlm && llm.provider === undefined) errors.push('llm.model needs llm.provider (e.g. llm.provider=openai)');
  if (args.length === 0) errors.push('nothing to set: give e.g. risk.maxLeverage=3 or llm.provider=openai');
  return {
    risk: Object.keys(risk).length > 0 ? risk : null,
    llm: llmDefault ? null : wantsLlm ? { provider: llm.provider ?? '', model: llm.model ?? null } : undefined,
    errors,
  };
}

function valueOf(raw: string): number | string | boolean {
  if (/^[-+]?(\d+\.?\d*|\.\d+)(e[-+]?\d+)?$/i.test(raw)) return Number(raw);
  if (raw === 'true' || raw === 'false') return raw === 'true';
  return raw;
}

/** What a live change did: each setting that changed, and the first bar it applies to. */
export interface ChangeResult {
  changed: { key: string; from: unknown; to: unknown }[];
  /** ISO time of the first bar close the change applies to (null: the session's first bar, not known yet). */
  fromBar: string | null;
  fromBarMs: number | null;
}

/** The settings a live change may touch, flattened: `risk.<limit>`, `llm.provider`, `llm.model` (null = worker default). */
function flatten(config: Pick<SessionConfig, 'risk' | 'llm'>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const key of RISK_KEYS) out[`risk.${key}`] = config.risk[key];
  out['llm.provider'] = config.llm?.provider ?? null;
  out['llm.model'] = config.llm?.model ?? null;
  return out;
}

export function describeChange(
  before: Pick<SessionConfig, 'risk' | 'llm'>,
  after: Pick<SessionConfig, 'risk' | 'llm'>,
  fromBarMs: number | null,
): ChangeResult {
  const a = flatten(before);
  const b = flatten(after);
  const changed = Object.keys(b)
    .filter((k) => a[k] !== b[k])
    .map((key) => ({ key, from: a[key], to: b[key] }));
  return { changed, fromBar: fromBarMs === null ? null : formatIsoUtc(fromBarMs), fromBarMs };
}

/**
 * The first bar close a change made now applies to: each iteration reads the session's config when it
 * starts, so the bar in flight keeps the old settings. The next queued bar if any; else the bar after
 * the last one started (live: at least the latest close at `nowMs`, which the schedule is about to
 * send); null before the first bar of a feed without `fromMs`.
 */
export function nextBarFrom(input: {
  lastStartedMs: number | null;
  pending: readonly number[];
  barMs: number;
  fromMs: number | null;
  live: boolean;
  nowMs: number;
}): number | null {
  const { lastStartedMs, pending, barMs, fromMs, live, nowMs } = input;
  if (pending.length > 0) return pending[0]!;
  if (live) {
    const latest = gridAtOrBefore(nowMs, barMs);
    return lastStartedMs !== null && latest <= lastStartedMs ? lastStartedMs + barMs : latest;
  }
  return lastStartedMs !== null ? lastStartedMs + barMs : fromMs;
}

function show(value: unknown): string {
  const text = JSON.stringify(value);
  return text === undefined ? String(value) : text.length > 80 ? `${text.slice(0, 80)}…` : text;
}
