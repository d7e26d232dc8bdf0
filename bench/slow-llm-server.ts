import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { answerFor, findStepOf, type LlmStep } from '../tests/fakes/step-aware-llm';

/** A loopback OpenAI-compatible server with a real model's latency, for `npm run bench`. */
export interface SlowLlmServer {
  /** What to put in LLM_BASE_URL (ends in /v1). */
  readonly baseUrl: string;
  /** Chat completion requests answered so far. */
  requests(): number;
  byStep(): Partial<Record<LlmStep | 'unknown', number>>;
  close(): Promise<void>;
}

// The step detection and the per-step answers are the tests' step-aware fake's: one home for both.

/** Starts the server on 127.0.0.1 (free port); every POST /v1/chat/completions is answered after `delayMs`. */
export async function startSlowLlmServer(delayMs = 300): Promise<SlowLlmServer> {
  let count = 0;
  const steps: Partial<Record<LlmStep | 'unknown', number>> = {};
  const timers = new Set<NodeJS.Timeout>();
  const server = createServer((req, res) => {
    void readBody(req).then((text) => {
      if (req.method !== 'POST' || (req.url ?? '').split('?')[0] !== '/v1/chat/completions')
        return send(res, 404, { error: { message: `no route ${req.method} ${req.url}`, type: 'not_found' } });
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
        const usage = {
          prompt_tokens: Math.ceil((system.length + user.length) / 4),
          completion_tokens: Math.ceil(content.length / 4),
        };
        send(res, 200, {
          id: `chatcmpl-bench-${count}`,
          object: 'chat.completion',
          created: 1_700_000_000,
          model: (body as { model?: string }).model ?? 'bench-model',
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
    system: messages
      .filter((m) => m.role === 'system')
      .map((m) => text(m.content))
      .join('\n\n'),
    user: text(messages.find((m) => m.role === 'user')?.content),
  };
}
