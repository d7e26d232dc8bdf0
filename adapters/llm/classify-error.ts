import { ClassifiedError, FailureType } from '../../domain/failures';
import { anthropicSdk, openAiSdk } from './sdk-modules';
import { scrubSecrets, type Secret } from './secret';

const MAX_MESSAGE_CHARS = 500;

/**
 * Maps an SDK error to a ClassifiedError, after temporalio/sdk-typescript
 * contrib/openai-agents `toModelInvocationFailure`: 429 retries after the server's Retry-After;
 * 408 and connection failures are timeouts; 409 and 5xx retry (the SDKs' own shouldRetry list);
 * 401/403 and other 4xx never succeed on retry. The message is scrubbed of the API key and carries
 * no `cause`, so serialising the error cannot leak request headers.
 */
export function classifyLlmError(
  err: unknown,
  provider: string,
  secret: Secret | null,
  nowMs: number,
): ClassifiedError {
  if (err instanceof ClassifiedError) return err;
  const raw = err instanceof Error ? err.message : String(err);
  const message = (text: string): string => scrubSecrets(`${provider}: ${text}`, [secret]).slice(0, MAX_MESSAGE_CHARS);
  const openAi = openAiSdk();
  const anthropic = anthropicSdk();

  if (err instanceof openAi.APIConnectionError || err instanceof anthropic.APIConnectionError) {
    return new ClassifiedError(FailureType.LlmTimeout, message(`connection failed or timed out (${raw})`), true);
  }
  if (err instanceof openAi.APIError || err instanceof anthropic.APIError) {
    const status = err.status ?? 0;
    const headers = err.headers ?? null;
    if (status === 429) {
      return new ClassifiedError(
        FailureType.LlmRateLimited,
        message(`rate limited (${raw})`),
        true,
        parseRetryAfterMs(headers, nowMs),
      );
    }
    if (status === 408) return new ClassifiedError(FailureType.LlmTimeout, message(`request timeout (${raw})`), true);
    if (status === 409 || status >= 500) {
      return new ClassifiedError(
        FailureType.LlmServerError,
        message(`server error ${status} (${raw})`),
        true,
        parseRetryAfterMs(headers, nowMs),
      );
    }
    if (status === 401 || status === 403) {
      return new ClassifiedError(FailureType.LlmAuth, message(`authentication failed ${status} (${raw})`), false);
    }
    return new ClassifiedError(FailureType.LlmBadRequest, message(`request rejected ${status} (${raw})`), false);
  }
  // Anything else (a bug in a transport, an unexpected SDK error) may be transient: let Temporal retry it.
  return new ClassifiedError(FailureType.LlmServerError, message(`unexpected error (${raw})`), true);
}

/**
 * Delay the server asks for: `retry-after-ms` (OpenAI, milliseconds) wins over `retry-after`,
 * which RFC 9110 §10.2.3 allows as delay-seconds or an HTTP-date. Null when absent or unparsable.
 */
export function parseRetryAfterMs(headers: Headers | null, nowMs: number): number | null {
  if (headers === null) return null;
  const ms = Number.parseFloat(headers.get('retry-after-ms') ?? '');
  if (Number.isFinite(ms) && ms >= 0) return Math.round(ms);
  const value = headers.get('retry-after')?.trim();
  if (!value) return null;
  if (/^\d+(\.\d+)?$/.test(value)) return Math.round(Number.parseFloat(value) * 1000);
  const dateMs = Date.parse(value);
  return Number.isFinite(dateMs) ? Math.max(0, dateMs - nowMs) : null;
}
