import type { ChatMessage } from '../../domain/llm/build-prompt';

/** One model reply with the provider's own token counts. */
export interface Completion {
  text: string;
  tokensIn: number;
  tokensOut: number;
  /** Model id the provider reports (may be more specific than the requested alias). */
  model: string;
}

export interface CompleteOptions {
  /**
   * JSON Schema of the reply (domain/llm/build-prompt.ts describeSchema), or null when the contract has
   * none. The local model constrains generation to it; HTTP providers get it in the prompt only.
   */
  jsonSchema?: Record<string, unknown> | null;
}

/** A vendor API reduced to "send a conversation, get text back"; errors are the SDK's own. */
export interface ChatTransport {
  /** Set by a transport that serves exactly one model (the local GGUF): every step, every agent gets it. */
  readonly servesOnly?: string;
  complete(model: string, messages: readonly ChatMessage[], options?: CompleteOptions): Promise<Completion>;
}
