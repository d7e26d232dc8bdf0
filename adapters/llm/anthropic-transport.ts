import type { ChatMessage } from '../../domain/llm/build-prompt';
import type { LlmConfig } from './config';
import { anthropicSdk } from './sdk-modules';
import type { ChatTransport, Completion } from './transport';

/**
 * Anthropic Messages API through the official SDK. The system prompt is a top-level field there,
 * not a message; maxRetries is 0 because Temporal owns retries. `temperature` is not sent: this SDK
 * version no longer types it (newer Claude models fix their own sampling), so config.temperature
 * applies to OpenAI-compatible providers only.
 */
export function createAnthropicTransport(config: LlmConfig, fetchImpl?: typeof fetch): ChatTransport {
  const client = new (anthropicSdk().Anthropic)({
    apiKey: config.apiKey?.reveal() ?? null,
    authToken: null,
    baseURL: config.baseUrl ?? 'https://api.anthropic.com',
    maxRetries: 0,
    timeout: config.timeoutMs,
    ...(fetchImpl ? { fetch: fetchImpl } : {}),
  });
  return {
    async complete(model: string, messages: readonly ChatMessage[]): Promise<Completion> {
      const system = messages
        .filter((m) => m.role === 'system')
        .map((m) => m.content)
        .join('\n\n');
      const turns = messages
        .filter((m): m is ChatMessage & { role: 'user' | 'assistant' } => m.role !== 'system')
        .map((m) => ({ role: m.role, content: m.content }));
      const response = await client.messages.create({
        model,
        max_tokens: config.maxTokens,
        ...(system === '' ? {} : { system }),
        messages: turns,
      });
      const text = response.content.map((block) => (block.type === 'text' ? block.text : '')).join('');
      return {
        text,
        tokensIn: response.usage.input_tokens,
        tokensOut: response.usage.output_tokens,
        model: response.model || model,
      };
    },
  };
}
