import type { ChatMessage } from '../../domain/llm/build-prompt';
import type { LlmConfig } from './config';
import { openAiSdk } from './sdk-modules';
import type { ChatTransport, Completion } from './transport';

/**
 * Chat Completions through the official SDK, which also speaks to DeepSeek, xAI, OpenRouter, Ollama,
 * vLLM and llama.cpp by base URL. maxRetries is 0: Temporal owns retries and their backoff.
 */
export function createOpenAiTransport(config: LlmConfig, fetchImpl?: typeof fetch): ChatTransport {
  const client = new (openAiSdk().OpenAI)({
    // Keyless local servers (Ollama, llama.cpp) ignore the header, but the SDK insists on a value.
    apiKey: config.apiKey?.reveal() ?? 'no-key',
    baseURL: config.baseUrl ?? 'https://api.openai.com/v1',
    organization: null,
    project: null,
    maxRetries: 0,
    timeout: config.timeoutMs,
    ...(fetchImpl ? { fetch: fetchImpl } : {}),
  });
  return {
    async complete(model: string, messages: readonly ChatMessage[]): Promise<Completion> {
      const response = await client.chat.completions.create({
        model,
        messages: messages.map((m) => ({ role: m.role, content: m.content })),
        temperature: config.temperature,
        max_tokens: config.maxTokens,
        ...(config.jsonMode ? { response_format: { type: 'json_object' as const } } : {}),
      });
      return {
        text: response.choices[0]?.message?.content ?? '',
        tokensIn: response.usage?.prompt_tokens ?? 0,
        tokensOut: response.usage?.completion_tokens ?? 0,
        model: response.model || model,
      };
    },
  };
}
