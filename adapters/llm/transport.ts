import type { ChatMessage } from '../../domain/llm/build-prompt';

/** One model reply with the provider's own token counts. */
export interface Completion {
  text: string;
  tokensIn: number;
  tokensOut: number;
  /** Model id the provider reports (may be more specific than the requested alias). */
  model: string;
}

/** A vendor API reduced to "send a conversation, get text back"; errors are the SDK's own. */
export interface ChatTransport {
  complete(model: string, messages: readonly ChatMessage[]): Promise<Completion>;
}
