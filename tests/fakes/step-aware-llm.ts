import { createHash } from 'node:crypto';
import { FORECAST_SCHEMA_HINT } from '../../domain/research/forecast-prompt';
import { RISK_REVIEW_SCHEMA_HINT } from '../../domain/risk/llm-review';
import type { LlmForecast, LlmStyle } from '../../domain/schemas/llm-outputs';
import type { LlmRiskReview } from '../../domain/schemas/risk-review';
import { STYLE_METHODS } from '../../domain/trader/styles';
import { STYLE_SCHEMA_HINT } from '../../domain/trader/style-prompt';
import {
  SCRIPTED,
  startScriptedServer,
  type RecordedRequest,
  type ScriptedReply,
  type ScriptedServer,
} from './fake-openai-server';

/** The desk's LLM-backed steps, recognised by the output contract their system prompt states. */
export type LlmStep = 'R-A' | 'T-A' | 'K-T' | 'M-A';

export interface StepAwareOptions {
  /** Steps answered with non-JSON prose on every request (repairs included): drives Llm.InvalidOutput → fallback. */
  garbageFor?: readonly LlmStep[];
  /**
   * A scripted failure instead of the answer: 401, 429 with Retry-After, 500, a hang (`delayMs`), or
   * null to answer normally. `n` counts this step's requests so far (0-based), so a script can heal.
   */
  failWith?: (step: LlmStep, n: number) => ScriptedReply | null;
}

/** A fake provider that answers every request with valid JSON for the step its prompt asks for. */
export interface StepAwareLlm {
  /** The underlying scripted server: its `requests` and `errors` (an unrecognised prompt lands there). */
  readonly server: ScriptedServer;
  /** What to put in LLM_BASE_URL for this provider. */
  readonly baseUrl: string;
  /** The step of every request, in arrival order. */
  readonly steps: LlmStep[];
  countByStep(): Partial<Record<LlmStep, number>>;
  close(): Promise<void>;
}

/** Hints that identify a step; K-T states its contract inline in activities/ops.ts. */
const STEP_MARKERS: readonly [LlmStep, string][] = [
  ['R-A', FORECAST_SCHEMA_HINT],
  ['T-A', STYLE_SCHEMA_HINT],
  ['M-A', RISK_REVIEW_SCHEMA_HINT],
  ['K-T', '{"lesson": string'],
];

/** Which step a system prompt belongs to, or null for a prompt the desk should never send. */
export function findStepOf(system: string): LlmStep | null {
  return STEP_MARKERS.find(([, marker]) => system.includes(marker))?.[0] ?? null;
}

/**
 * A valid reply for the step. It depends on the prompt only (never on arrival order or a clock), so a
 * rerun of the same prompts gets the same answers, as a temperature-0 model would give.
 */
export function answerFor(step: LlmStep, system: string, user: string): string {
  const h = createHash('sha256').update(system).update(user).digest().readUInt32BE(0) / 0xffffffff;
  switch (step) {
    case 'R-A': {
      const pUp = 0.42 + 0.2 * h;
      const forecast: LlmForecast = {
        pUp,
        expectedReturn: (pUp - 0.5) * 0.02,
        horizonBars: 6,
        rationale: 'fake: momentum and funding read from the message',
      };
      return JSON.stringify(forecast);
    }
    case 'T-A': {
      // Follow the trader's preferred style with its default numbers, as a sensible model would.
      const preferred = /Your preferred style this bar is (\w+)/.exec(system)?.[1];
      const def = STYLE_METHODS.find((s) => s.id === preferred) ?? STYLE_METHODS[0]!;
      const p = def.params;
      const style: LlmStyle = {
        style: def.id,
        orderType: def.orderType,
        limitOffsetAtr: p.limitOffsetAtr ?? 0,
        takeProfitAtr: p.takeProfitAtr ?? 3,
        stopLossAtr: p.stopLossAtr ?? 1.5,
        leverageMin: p.leverageMin ?? 1,
        leverageMax: p.leverageMax ?? 2,
        horizonBars: p.horizonBars ?? 6,
        rationale: `fake: ${def.id} as preferred`,
      };
      return JSON.stringify(style);
    }
    case 'M-A': {
      const review: LlmRiskReview = { concerns: [], severity: 'none' };
      return JSON.stringify(review);
    }
    case 'K-T':
      return JSON.stringify({ lesson: 'fake: size down after two losses in a row' });
  }
}

/** System and first user text of an OpenAI (system message) or Anthropic (top-level system) request. */
function readPrompt(body: unknown): { system: string; user: string } {
  const b = (body ?? {}) as { system?: unknown; messages?: { role?: string; content?: unknown }[] };
  const messages = Array.isArray(b.messages) ? b.messages : [];
  const text = (c: unknown): string => (typeof c === 'string' ? c : JSON.stringify(c ?? ''));
  const system =
    typeof b.system === 'string'
      ? b.system
      : messages
          .filter((m) => m.role === 'system')
          .map((m) => text(m.content))
          .join('\n\n');
  const user = text(messages.find((m) => m.role === 'user')?.content);
  return { system, user };
}

type Wire = (text: string, usage: { input: number; output: number }, model: string) => unknown;

const openAiWire: Wire = (text, usage, model) => ({
  id: 'chatcmpl-step-aware',
  object: 'chat.completion',
  created: 1_700_000_000,
  model,
  choices: [{ index: 0, message: { role: 'assistant', content: text }, finish_reason: 'stop', logprobs: null }],
  usage: { prompt_tokens: usage.input, completion_tokens: usage.output, total_tokens: usage.input + usage.output },
});

const anthropicWire: Wire = (text, usage, model) => ({
  id: 'msg_step_aware',
  type: 'message',
  role: 'assistant',
  model,
  content: [{ type: 'text', text }],
  stop_reason: 'end_turn',
  stop_sequence: null,
  usage: { input_tokens: usage.input, output_tokens: usage.output },
});

async function startStepAware(
  path: string,
  wire: Wire,
  baseSuffix: string,
  opts: StepAwareOptions,
): Promise<StepAwareLlm> {
  const steps: LlmStep[] = [];
  const garbage = new Set(opts.garbageFor ?? []);
  let server: ScriptedServer | null = null;
  // The scripted server shifts one queued reply per request and renders it synchronously; topping the
  // queue up inside render keeps exactly one placeholder queued, so the script never runs out.
  const render = (_reply: ScriptedReply, request: RecordedRequest): unknown => {
    server!.push({});
    const { system, user } = readPrompt(request.body);
    const model = (request.body as { model?: string } | null)?.model ?? 'fake-model';
    const step = findStepOf(system);
    if (step === null) {
      server!.errors.push(`unrecognised prompt (no step contract in the system message): ${system.slice(0, 120)}`);
      return wire('', { input: 1, output: 1 }, model);
    }
    const failure = opts.failWith?.(step, steps.filter((s) => s === step).length) ?? null;
    steps.push(step);
    if (failure) return { [SCRIPTED]: failure };
    const text = garbage.has(step)
      ? 'Sorry, I would rather discuss the weather than return JSON.'
      : answerFor(step, system, user);
    // Roughly 4 characters per token, as for English text: never zero, so usage totals are meaningful.
    return wire(
      text,
      { input: Math.ceil((system.length + user.length) / 4), output: Math.ceil(text.length / 4) },
      model,
    );
  };
  server = await startScriptedServer(path, [{}], render);
  const started = server;
  return {
    server: started,
    baseUrl: `${started.url}${baseSuffix}`,
    steps,
    countByStep: () =>
      steps.reduce<Partial<Record<LlmStep, number>>>((acc, s) => ({ ...acc, [s]: (acc[s] ?? 0) + 1 }), {}),
    close: () => started.close(),
  };
}

/** Step-aware fake OpenAI-compatible server: LLM_BASE_URL = `baseUrl` (ends in /v1). */
export function startStepAwareOpenAi(opts: StepAwareOptions = {}): Promise<StepAwareLlm> {
  return startStepAware('/v1/chat/completions', openAiWire, '/v1', opts);
}

/** Step-aware fake Anthropic server: LLM_BASE_URL = `baseUrl` (the SDK appends /v1/messages). */
export function startStepAwareAnthropic(opts: StepAwareOptions = {}): Promise<StepAwareLlm> {
  return startStepAware('/v1/messages', anthropicWire, '', opts);
}
