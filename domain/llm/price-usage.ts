/** USD per one million tokens, the unit every provider's price page uses. */
export interface ModelPrice {
  inputPerMTok: number;
  outputPerMTok: number;
}

export type PriceTable = Readonly<Record<string, ModelPrice>>;

/**
 * Finds a model's price: exact key first, then the longest key that prefixes the model id (so
 * 'claude-sonnet-4' prices 'claude-sonnet-4-20250514'), then the '*' wildcard. Null when unknown.
 */
export function findPrice(table: PriceTable, model: string): ModelPrice | null {
  const exact = table[model];
  if (exact) return exact;
  let best: string | null = null;
  for (const key of Object.keys(table)) {
    if (key !== '*' && model.startsWith(key) && (best === null || key.length > best.length)) best = key;
  }
  return (best === null ? undefined : table[best]) ?? table['*'] ?? null;
}

/** Cost of one call in USD: tokens × price / 1e6. Unknown models cost 0 (local servers are free). */
export function priceTokens(price: ModelPrice | null, tokensIn: number, tokensOut: number): number {
  if (price === null) return 0;
  return (tokensIn * price.inputPerMTok + tokensOut * price.outputPerMTok) / 1_000_000;
}

/**
 * Rough token count for a budget pre-check before a call: ~4 characters per token for English
 * (OpenAI's rule of thumb, https://help.openai.com/en/articles/4936856). Overestimates are harmless.
 */
export function estimateTokens(text: string): number {
  return Math.ceil(text.length / 4);
}
