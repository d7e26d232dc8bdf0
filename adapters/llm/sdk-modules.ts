import type * as AnthropicSdk from '@anthropic-ai/sdk';
import type * as OpenAiSdk from 'openai';

/**
 * The provider SDKs, loaded on first use: together ~400 modules and ~15 MB resident that a worker on
 * the offline heuristic reasoner (or the local model) never needs. Node caches each after the first call; a plain require, so jest.mock still applies.
 */
export const openAiSdk = (): typeof OpenAiSdk => require('openai') as typeof OpenAiSdk;
export const anthropicSdk = (): typeof AnthropicSdk => require('@anthropic-ai/sdk') as typeof AnthropicSdk;
