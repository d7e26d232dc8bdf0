import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** One scripted reply. `content` is wrapped in a provider-shaped success body; `body` is sent verbatim. */
export interface ScriptedReply {
  status?: number;
  headers?: Record<string, string>;
  /** Raw JSON body (error bodies, odd shapes). Wins over `content`. */
  body?: unknown;
  /** Assistant text of a successful reply. */
  content?: string;
  usage?: { input: number; output: number };
  model?: string;
  /** Hold the reply this long (timeout tests); the socket is destroyed on close(). */
  delayMs?: number;
}

export interface RecordedRequest {
  method: string;
  path: string;
  headers: Record<string, string | string[] | undefined>;
  body: unknown;
}

/** A loopback HTTP server that plays a script of replies and records what it was sent. */
export interface ScriptedServer {
  /** http://127.0.0.1:<port> */
  readonly url: string;
  readonly requests: RecordedRequest[];
  /** Protocol violations: unexpected paths and requests after the script ran out. Tests assert it stays empty. */
  readonly errors: string[];
  push(...replies: ScriptedReply[]): void;
  close(): Promise<void>;
}

export type RenderSuccess = (reply: ScriptedReply, request: RecordedRequest) => unknown;

/** A render may return `{ [SCRIPTED]: reply }` to answer with that reply (status, headers, body, delay) instead of a success body. */
export const SCRIPTED = Symbol('scripted reply');

/** Starts a scripted JSON server on 127.0.0.1, port 0, answering POSTs to `path`. */
export async function startScriptedServer(
  path: string,
  script: ScriptedReply[],
  render: RenderSuccess,
): Promise<ScriptedServer> {
  const queue = [...script];
  const requests: RecordedRequest[] = [];
  const errors: string[] = [];
  const timers = new Set<NodeJS.Timeout>();

  const server = createServer((req, res) => {
    void readBody(req).then((text) => {
      const recorded: RecordedRequest = {
        method: req.method ?? '',
        path: req.url ?? '',
        headers: req.headers,
        body: safeJson(text),
      };
      requests.push(recorded);
      if (req.method !== 'POST' || (req.url ?? '').split('?')[0] !== path) {
        return fail(res, errors, `unexpected ${req.method} ${req.url} (expected POST ${path})`);
      }
      const reply = queue.shift();
      if (!reply)
        return fail(res, errors, `script exhausted: request #${requests.length} to ${path} has no scripted reply`);
      const rendered = reply.body ?? render(reply, recorded);
      const scripted = (rendered as { [SCRIPTED]?: ScriptedReply } | null)?.[SCRIPTED];
      const answer = scripted ? { ...scripted, body: scripted.body ?? null } : { ...reply, body: rendered };
      const send = (): void => {
        res.writeHead(answer.status ?? 200, { 'content-type': 'application/json', ...answer.headers });
        res.end(JSON.stringify(answer.body));
      };
      if (answer.delayMs) {
        const timer = setTimeout(() => {
          timers.delete(timer);
          if (!res.destroyed) send();
        }, answer.delayMs);
        timers.add(timer);
      } else send();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;

  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    errors,
    push: (...replies) => queue.push(...replies),
    close: async () => {
      for (const timer of timers) clearTimeout(timer);
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/** Fails loudly: HTTP 500 to the client and a recorded error the test asserts on. */
function fail(res: ServerResponse, errors: string[], message: string): void {
  errors.push(message);
  res.writeHead(500, { 'content-type': 'application/json' });
  res.end(JSON.stringify({ error: { message: `fake server: ${message}`, type: 'fake_server_error' } }));
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
  });
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return text;
  }
}

/** Body of a Chat Completions success, as api.openai.com returns it. */
function renderChatCompletion(reply: ScriptedReply, request: RecordedRequest): unknown {
  const requested = (request.body as { model?: string } | null)?.model ?? 'gpt-4o-mini';
  const usage = reply.usage ?? { input: 100, output: 20 };
  return {
    id: `chatcmpl-fake-${Math.abs(hashCode(JSON.stringify(request.body)))}`,
    object: 'chat.completion',
    created: 1_700_000_000,
    model: reply.model ?? requested,
    choices: [
      { index: 0, message: { role: 'assistant', content: reply.content ?? '' }, finish_reason: 'stop', logprobs: null },
    ],
    usage: { prompt_tokens: usage.input, completion_tokens: usage.output, total_tokens: usage.input + usage.output },
  };
}

/** Fake OpenAI-compatible server: POST /v1/chat/completions. Point the SDK at `${url}/v1`. */
export function startFakeOpenAiServer(script: ScriptedReply[] = []): Promise<ScriptedServer> {
  return startScriptedServer('/v1/chat/completions', script, renderChatCompletion);
}

/** OpenAI's error body shape, for scripted failures. */
export function openAiError(message: string, type = 'invalid_request_error', code: string | null = null): unknown {
  return { error: { message, type, param: null, code } };
}

function hashCode(text: string): number {
  let h = 0;
  for (let i = 0; i < text.length; i++) h = (Math.imul(31, h) + text.charCodeAt(i)) | 0;
  return h;
}
