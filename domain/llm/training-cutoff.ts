/**
 * Training-data cutoffs of well-known models, and the gate that keeps an LLM backtest from "predicting" a
 * period the model may have read about: over bars before its cutoff, a model can remember what the price
 * did next (look-ahead through memorisation), however strictly its prompts hold only as-of data.
 * The table, its sources and the override: docs/llm-cutoffs.md.
 */
import { civilFromDays, daysFromCivil, formatIsoUtc } from '../metrics/civil-time';
import { DAY_MS } from '../market/time-grid';

/** One row of the table: every model id it covers (matched as a prefix, see findTrainingCutoff) and its cutoff. */
export interface TrainingCutoffRow {
  /** Model ids, lower case; dated snapshots and size/quantisation suffixes resolve to them. */
  readonly keys: readonly string[];
  /** The last day the training data may cover (UTC, YYYY-MM-DD); a month-only cutoff is that month's last day. */
  readonly cutoff: string;
  /** The cutoff as the vendor words it. */
  readonly published: string;
  /** The vendor's page that publishes it. */
  readonly source: string;
}

const OPENAI_MODELS = 'platform.openai.com/docs/models (the model\'s page, "Knowledge cutoff")';
const ANTHROPIC_MODELS = 'docs.anthropic.com/en/docs/about-claude/models/overview ("training data cutoff")';
const LLAMA_CARD = (v: string) => `github.com/meta-llama/llama-models, models/${v}/MODEL_CARD.md ("Data Freshness")`;

/**
 * Training-data cutoffs as published by the vendor (model pages and model cards), latest stated date where
 * a vendor gives two (Anthropic's "training data cutoff", not its earlier "reliable knowledge cutoff").
 * Models whose vendor publishes no cutoff (Qwen2.5, SmolLM2, DeepSeek, …) are deliberately absent: an
 * unknown cutoff is refused, not guessed (set DESK_LLM_CUTOFF).
 */
export const TRAINING_CUTOFFS: readonly TrainingCutoffRow[] = [
  { keys: ['gpt-4o', 'chatgpt-4o'], cutoff: '2023-10-01', published: 'Oct 01, 2023', source: OPENAI_MODELS },
  { keys: ['gpt-4o-mini'], cutoff: '2023-10-01', published: 'Oct 01, 2023', source: OPENAI_MODELS },
  {
    keys: ['gpt-4.1', 'gpt-4.1-mini', 'gpt-4.1-nano'],
    cutoff: '2024-06-01',
    published: 'Jun 01, 2024',
    source: OPENAI_MODELS,
  },
  { keys: ['o1', 'o1-mini', 'o3-mini'], cutoff: '2023-10-01', published: 'Oct 01, 2023', source: OPENAI_MODELS },
  { keys: ['o3', 'o4-mini'], cutoff: '2024-06-01', published: 'Jun 01, 2024', source: OPENAI_MODELS },
  { keys: ['gpt-5'], cutoff: '2024-09-30', published: 'Sep 30, 2024', source: OPENAI_MODELS },
  { keys: ['gpt-5-mini', 'gpt-5-nano'], cutoff: '2024-05-31', published: 'May 31, 2024', source: OPENAI_MODELS },
  {
    keys: ['claude-3-opus', 'claude-3-haiku'],
    cutoff: '2023-08-31',
    published: 'Aug 2023',
    source: ANTHROPIC_MODELS,
  },
  { keys: ['claude-3-5-sonnet'], cutoff: '2024-04-30', published: 'Apr 2024', source: ANTHROPIC_MODELS },
  { keys: ['claude-3-5-haiku'], cutoff: '2024-07-31', published: 'Jul 2024', source: ANTHROPIC_MODELS },
  { keys: ['claude-3-7-sonnet'], cutoff: '2024-11-30', published: 'Nov 2024', source: ANTHROPIC_MODELS },
  {
    keys: ['claude-sonnet-4', 'claude-opus-4', 'claude-opus-4-1'],
    cutoff: '2025-03-31',
    published: 'Mar 2025',
    source: ANTHROPIC_MODELS,
  },
  {
    keys: ['claude-sonnet-4-5', 'claude-haiku-4-5'],
    cutoff: '2025-07-31',
    published: 'Jul 2025',
    source: ANTHROPIC_MODELS,
  },
  {
    keys: ['llama-3.1', 'llama3.1', 'meta-llama-3.1'],
    cutoff: '2023-12-31',
    published: 'December 2023',
    source: LLAMA_CARD('llama3_1'),
  },
  {
    keys: ['llama-3.2', 'llama3.2', 'meta-llama-3.2'],
    cutoff: '2023-12-31',
    published: 'December 2023',
    source: LLAMA_CARD('llama3_2'),
  },
  {
    keys: ['llama-3.3', 'llama3.3', 'meta-llama-3.3'],
    cutoff: '2023-12-31',
    published: 'December 2023',
    source: LLAMA_CARD('llama3_3'),
  },
];

const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

/** A cutoff date (YYYY-MM-DD, a real calendar day) as the instant its training data ends: the end of that UTC day. */
export function cutoffEndMs(date: string): number {
  const m = ISO_DATE.exec(date);
  const civil = m ? { year: Number(m[1]), month: Number(m[2]), day: Number(m[3]) } : null;
  const days = civil ? daysFromCivil(civil) : NaN;
  const back = civil ? civilFromDays(days) : null;
  if (!civil || !back || back.month !== civil.month || back.day !== civil.day)
    throw new Error(`training cutoff "${date}" is not a calendar date YYYY-MM-DD`);
  return (days + 1) * DAY_MS;
}

/** Lower case, without a router's vendor path ("openai/gpt-4o", "meta-llama/Llama-3.1-8B-Instruct"). */
function normaliseModel(model: string): string {
  const name = model.trim().toLowerCase();
  return name.slice(name.lastIndexOf('/') + 1);
}

/**
 * Whether the rest of a model id after a table key names the same model: a dated snapshot ("-2024-08-06",
 * "-20250514", "-0613"), an alias ("-latest"), a size or quantisation ("-8b-instruct-q4_k_m", ":1b"), but not
 * a later version ("-5" of claude-opus-4-5, ".1" of gpt-5.1), whose cutoff the key does not know.
 */
function continuesSameModel(rest: string): boolean {
  if (rest === '') return true;
  if (!/^[-_:@.]/.test(rest)) return false;
  return !/^[-.]\d{1,2}(?:$|[-.:_@])/.test(rest);
}

/** The table row of a model: exact id first, then the longest key the id extends (snapshots, sizes). Null when unknown. */
export function findTrainingCutoff(
  model: string,
  table: readonly TrainingCutoffRow[] = TRAINING_CUTOFFS,
): { key: string; row: TrainingCutoffRow } | null {
  const name = normaliseModel(model);
  let best: { key: string; row: TrainingCutoffRow } | null = null;
  for (const row of table) {
    for (const key of row.keys) {
      if (key === name) return { key, row };
      if (name.startsWith(key) && continuesSameModel(name.slice(key.length)) && key.length > (best?.key.length ?? 0))
        best = { key, row };
    }
  }
  return best;
}

/** Where a run's cutoff came from. */
export type CutoffSource = 'override' | 'table' | 'unknown' | 'offline';

export interface ResolvedCutoff {
  model: string;
  /** YYYY-MM-DD, the last day of training data; null for the offline reasoner or an unknown model. */
  cutoff: string | null;
  source: CutoffSource;
}

/**
 * The cutoff a run is judged by: none for the offline heuristic reasoner (it has no training data), else the
 * configured override (DESK_LLM_CUTOFF / the LLM config's trainingCutoff), else the table, else unknown.
 */
export function resolveTrainingCutoff(llm: {
  provider: string;
  model: string;
  override?: string | null;
}): ResolvedCutoff {
  if (llm.provider === 'heuristic') return { model: llm.model, cutoff: null, source: 'offline' };
  if (llm.override) {
    cutoffEndMs(llm.override);
    return { model: llm.model, cutoff: llm.override, source: 'override' };
  }
  const found = findTrainingCutoff(llm.model);
  return found
    ? { model: llm.model, cutoff: found.row.cutoff, source: 'table' }
    : { model: llm.model, cutoff: null, source: 'unknown' };
}

/**
 * `offline`: no LLM, nothing to remember; `clear`: every bar of the window closes after the training data
 * ends; `memorised`: at least one bar closes before (the model may know what followed it); `unknown`: an LLM
 * whose cutoff nobody stated, which must not pass silently.
 */
export type MemorisedVerdict = 'offline' | 'clear' | 'memorised' | 'unknown';

/**
 * The gate. `fromMs`/`toMs` are the first and last bar closes traded; `cutoffMs` the instant the training data
 * ends (cutoffEndMs). A decision at a bar closing before that instant is scored on prices the model may have
 * read, so the window is memorised as soon as its first bar closes before it.
 */
export function memorisedPeriod(w: {
  provider: string;
  cutoffMs: number | null;
  fromMs: number;
  toMs: number;
}): MemorisedVerdict {
  if (!(Number.isFinite(w.fromMs) && Number.isFinite(w.toMs) && w.fromMs <= w.toMs))
    throw new Error(
      `memorisedPeriod: the window's first bar close must not be after its last (${w.fromMs} > ${w.toMs})`,
    );
  if (w.provider === 'heuristic') return 'offline';
  if (w.cutoffMs === null) return 'unknown';
  return w.fromMs < w.cutoffMs ? 'memorised' : 'clear';
}

/** summary.json's fields: the model, its cutoff, and the warning every page of a memorised run carries. */
export interface LlmCutoffSummary {
  llm_model: string;
  llm_training_cutoff: string | null;
  memorised_period_warning: string | null;
}

const fmt = (ms: number) => formatIsoUtc(ms).slice(0, 16).replace('T', ' ');
const describeWindows = (windows: readonly { fromMs: number; toMs: number }[]) =>
  windows.map((w) => `${fmt(w.fromMs)} → ${fmt(w.toMs)} UTC`).join(', ');

function describeCutoff(c: ResolvedCutoff): string {
  if (c.cutoff === null)
    return `${c.model} has no known training cutoff (not in docs/llm-cutoffs.md's table, and DESK_LLM_CUTOFF is not set)`;
  return `${c.model}'s training data runs to ${c.cutoff} (${c.source === 'override' ? 'DESK_LLM_CUTOFF' : 'as published by the vendor, docs/llm-cutoffs.md'})`;
}

/** The refusal: model, cutoff, window and the flag, so the user sees what to change. */
export function describeMemorisedRefusal(
  c: ResolvedCutoff,
  windows: readonly { fromMs: number; toMs: number }[],
): string {
  const fix =
    c.cutoff === null
      ? "set DESK_LLM_CUTOFF=YYYY-MM-DD to the model's training-data cutoff"
      : `use bars closing from ${formatIsoUtc(cutoffEndMs(c.cutoff)).slice(0, 10)} on`;
  return (
    `refusing an LLM backtest that may replay the model's memory: ${describeCutoff(c)}, and the window ${describeWindows(windows)} ` +
    `${c.cutoff === null ? 'cannot be shown to lie after it' : 'starts before that'}, so the model may know what the price did next. ` +
    `Either ${fix}, or pass --allow-memorised-period to run anyway (summary.json and the report then warn on every page).`
  );
}

/** The warning of a run let through with --allow-memorised-period. */
export function describeMemorisedWarning(
  c: ResolvedCutoff,
  windows: readonly { fromMs: number; toMs: number }[],
): string {
  return (
    `The result may reflect memory, not skill: ${describeCutoff(c)}, and bars of ${describeWindows(windows)} ` +
    `${c.cutoff === null ? 'may lie before it' : 'close before it'}, so the model may have read what the price did next ` +
    `(run with --allow-memorised-period).`
  );
}
