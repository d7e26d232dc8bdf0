import { createHash } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { FORECAST_SCHEMA_HINT } from '../domain/research/forecast-prompt';
import { RISK_REVIEW_SCHEMA_HINT } from '../domain/risk/llm-review';
import type { LlmForecast, LlmStyle } from '../domain/schemas/llm-outputs';
import { STYLE_METHODS } from '../domain/trader/styles';
import { STYLE_SCHEMA_HINT } from '../domain/trader/style-prompt';

/** The desk's LLM-backed steps, recognised by the output contract their system prompt states. */
export type LlmStep = 'R-A' | 'T-A' | 'K-T' | 'M-A';

/** A loopback OpenAI-compatible server with a real model's latency, for `npm run bench`. */
export interface SlowLlmServer {
  /** What to put in LLM_BASE_URL (ends in /v1). */
  readonly baseUrl: string;
  /** Chat completion requests answered so far. */
  requests(): number;
  byStep(): Partial<Record<LlmStep | 'unknown', number>>;
  close(): Promise<void>;
}

const STEP_MARKERS: readonly [LlmStep, string][] = [
  ['R-A', FORECAST_SCHEMA_HINT],
  ['T-A', STYLE_SCHEMA_HINT],
  ['M-A', RISK_REVIEW_SCHEMA_HINT],
  // K-T states its contract inline in activities/ops.ts.
  ['K-T', '{"lesson": string'],
];

export function findStepOf(system: string): LlmStep | null {
  return STEP_MARKERS.find(([, marker]) => system.includes(marker))?.[0] ?? null;
}

/**
 * A valid reply for the step, a function of the prompt only (like a temperature-0 model), so a
 * rerun of the same prompts gets the same answers and the LLM cache can serve them.
 */
export function answerFor(step: LlmStep, system: string, user: string): string {
  const h = createHash('sha256').update(system).update(user).digest().readUInt32BE(0) / 0xffffffff;
  switch (step) {
    case 'R-A': {
      const pUp = 0.42 + 0.2 * h;
      const forecast: LlmForecast = { pUp, expectedReturn: (pUp - 0.5) * 0.02, horizonBars: 6, rationale: 'bench: momentum and funding as read from the message' };
      return JSON.stringify(forecast);
    }
    case 'T-A': {
      // The trader's preferred style with its default numbers, as a sensible model would answer.
      const preferred = /Your preferred style this bar is (\w+)/.exec(system)?.[1];
      const def = STYLE_METHODS.find((s) => s.id === preferred) ?? STYLE_METHODS[0]!;
      const p = def.params;
      const style: LlmStyle = {
        style: def.id, orderType: def.orderType, limitOffsetAtr: p.limitOffsetAtr ?? 0, takeProfitAtr: p.takeProfitAtr ?? 3,
        stopLossAtr: p.stopLossAtr ?? 1.5, leverageMin: p.leverageMin ?? 1, leverageMax: p.leverageMax ?? 2, horizonBars: p.horizonBars ?? 6,
        rationale: `bench: ${def.id} as preferred`,
      };
      return JSON.stringify(style);
    }
    case 'M-A':
      return JSON.stringify({ concerns: [], severity: 'none' });
    case 'K-T':
      return JSON.stringify({ lesson: 'bench: size down after two losses in a row' });
  }
}

/** Starts the server on 127.0.0.1 (free port); every POST /v1/chat/completions is answered after `delayMs`. */
export async function startSlowLlmServer(delayMs = 300): Promise<SlowLlmServer> {
  let count = 0;
  const steps: Partial<Record<LlmStep | 'unknown', number>> = {};
  const timers = new Set<NodeJS.Timeout>();
  const server = createServer((req, res) => {
    void readBody(req).then((text) => {
      if (req.method !== 'POST' || (req.url ?? '').split('?')[0] !== '/v1/chat/completions') return send(res, 404, { error: { message: `no route ${req.method} ${req.url}`, type: 'not_found' } });
      count++;
      const body = parse(text);
      const { system, user } = promptOf(body);
      const step = findStepOf(system);
      steps[step ?? 'unknown'] = (steps[step ?? 'unknown'] ?? 0) + 1;
      const content = step ? answerFor(step, system, user) : 'unrecognised prompt';
      const timer = setTimeout(() => {
        timers.delete(timer);
        if (res.destroyed) return;
        // About 4 characters per token, as for English text.
        const usage = { prompt_tokens: Math.ceil((system.length + user.length) / 4), completion_tokens: Math.ceil(content.length / 4) };
        send(res, 200, {
          id: `chatcmpl-bench-${count}`, object: 'chat.completion', created: 1_700_000_000, model: (body as { model?: string }).model ?? 'bench-model',
          choices: [{ index: 0, message: { role: 'assistant', content }, finish_reason: 'stop', logprobs: null }],
          usage: { ...usage, total_tokens: usage.prompt_tokens + usage.completion_tokens },
        });
      }, delayMs);
      timers.add(timer);
    });
  });
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  const { port } = server.address() as AddressInfo;
  return {
    baseUrl: `http://127.0.0.1:${port}/v1`,
    requests: () => count,
    byStep: () => ({ ...steps }),
    close: async () => {
      for (const t of timers) clearTimeout(t);
      server.closeAllConnections();
      await new Promise<void>((done) => server.close(() => done()));
    },
  };
}

function send(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json' });
  res.end(JSON.stringify(body));
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((done) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => done(Buffer.concat(chunks).toString('utf8')));
  });
}

function parse(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return {};
  }
}

function promptOf(body: unknown): { system: string; user: string } {
  const messages = ((body ?? {}) as { messages?: { role?: string; content?: unknown }[] }).messages ?? [];
  const text = (c: unknown): string => (typeof c === 'string' ? c : JSON.stringify(c ?? ''));
  return {
    system: messages.filter((m) => m.role === 'system').map((m) => text(m.content)).join('\n\n'),
    user: text(messages.find((m) => m.role === 'user')?.content),
  };
}
