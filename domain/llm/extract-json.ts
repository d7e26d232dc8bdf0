/**
 * Pulls one JSON value out of a model's reply. Models wrap JSON in ``` fences, lead with prose
 * ("Here is the analysis: {...}") or, for reasoning models served by Ollama/vLLM (DeepSeek-R1, Qwen),
 * emit a <think>…</think> block first; all of these are stripped before JSON.parse.
 */
export type JsonExtraction = { ok: true; value: unknown } | { ok: false; error: string };

const THINK_BLOCK = /<think>[\s\S]*?<\/think>/gi;
const FENCED_BLOCK = /```[a-zA-Z0-9_-]*\s*\n?([\s\S]*?)```/;

/** Parses the first JSON object or array found in `text`. Never throws. */
export function extractJson(text: string): JsonExtraction {
  const cleaned = text.replace(THINK_BLOCK, '').trim();
  if (cleaned === '') return { ok: false, error: 'the reply is empty: expected one JSON object' };
  const fenced = FENCED_BLOCK.exec(cleaned);
  const candidates = [fenced?.[1]?.trim(), cleaned].filter((c): c is string => typeof c === 'string' && c !== '');
  let lastError = 'no JSON object found in the reply';
  for (const candidate of candidates) {
    const direct = tryParse(candidate);
    if (direct.ok) return direct;
    const sliced = sliceBalanced(candidate);
    if (sliced === null) continue;
    const parsed = tryParse(sliced);
    if (parsed.ok) return parsed;
    lastError = parsed.error;
  }
  return { ok: false, error: lastError };
}

function tryParse(text: string): JsonExtraction {
  try {
    return { ok: true, value: JSON.parse(text) as unknown };
  } catch (err) {
    return { ok: false, error: `invalid JSON: ${err instanceof Error ? err.message : String(err)}` };
  }
}

/**
 * Returns the first balanced {...} or [...] span, honouring string literals and escapes so braces
 * inside strings do not end the value early. Null when no opening bracket or it never closes.
 */
export function sliceBalanced(text: string): string | null {
  const start = text.search(/[{[]/);
  if (start < 0) return null;
  const stack: string[] = [];
  let inString = false;
  let escaped = false;
  for (let i = start; i < text.length; i++) {
    const ch = text[i];
    if (inString) {
      if (escaped) escaped = false;
      else if (ch === '\\') escaped = true;
      else if (ch === '"') inString = false;
      continue;
    }
    if (ch === '"') inString = true;
    else if (ch === '{') stack.push('}');
    else if (ch === '[') stack.push(']');
    else if (ch === '}' || ch === ']') {
      if (stack.pop() !== ch) return null;
      if (stack.length === 0) return text.slice(start, i + 1);
    }
  }
  return null;
}
