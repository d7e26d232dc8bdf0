import {
  startScriptedServer,
  type RecordedRequest,
  type ScriptedReply,
  type ScriptedServer,
} from './fake-openai-server';

export type { RecordedRequest, ScriptedReply, ScriptedServer } from './fake-openai-server';

/** Body of a Messages API success, as api.anthropic.com returns it. */
function renderMessage(reply: ScriptedReply, request: RecordedRequest): unknown {
  const requested = (request.body as { model?: string } | null)?.model ?? 'claude-3-5-haiku-latest';
  const usage = reply.usage ?? { input: 100, output: 20 };
  return {
    id: 'msg_fake',
    type: 'message',
    role: 'assistant',
    model: reply.model ?? requested,
    content: [{ type: 'text', text: reply.content ?? '' }],
    stop_reason: 'end_turn',
    stop_sequence: null,
    usage: { input_tokens: usage.input, output_tokens: usage.output },
  };
}

/** Fake Anthropic server: POST /v1/messages. Point the SDK's baseURL at `url`. */
export function startFakeAnthropicServer(script: ScriptedReply[] = []): Promise<ScriptedServer> {
  return startScriptedServer('/v1/messages', script, renderMessage);
}

/** Anthropic's error body shape, for scripted failures. */
export function anthropicError(type: string, message: string): unknown {
  return { type: 'error', error: { type, message } };
}
