/**
 * The subset of JSON Schema a GBNF grammar can enforce (node-llama-cpp's GbnfJsonSchema): types,
 * object properties (all required, no extras), enums, consts, one-of, array items and counts, string
 * lengths. Numeric ranges (minimum, maximum) cannot be written as a grammar: they stay with the zod
 * validation after generation, whose errors drive the repair turn.
 */
export type GrammarSchema = Record<string, unknown>;

type Json = Record<string, unknown>;

const SIMPLE_TYPES = new Set(['string', 'number', 'integer', 'boolean', 'null']);

/**
 * Converts the step contract's JSON Schema (describeSchema) into a grammar schema, or null when some
 * part cannot be expressed (then the model generates unconstrained and validation alone judges).
 * Every string is capped at `maxStringChars`: at most one character per token, so with half the token
 * budget per string a grammar-shaped answer is not cut off mid-object by max tokens.
 */
export function toGrammarSchema(schema: unknown, maxStringChars: number): GrammarSchema | null {
  if (typeof schema !== 'object' || schema === null || Array.isArray(schema)) return null;
  const s = schema as Json;
  if (Array.isArray(s.enum)) return { enum: s.enum };
  if ('const' in s) return { const: s.const };
  const alternatives = Array.isArray(s.anyOf) ? s.anyOf : Array.isArray(s.oneOf) ? s.oneOf : null;
  if (alternatives !== null) {
    const converted = alternatives.map((a) => toGrammarSchema(a, maxStringChars));
    return converted.every((c): c is GrammarSchema => c !== null) ? { oneOf: converted } : null;
  }
  switch (s.type) {
    case 'object':
      return objectGrammar(s, maxStringChars);
    case 'array': {
      const items = toGrammarSchema(s.items, maxStringChars);
      if (items === null) return null;
      return { type: 'array', items, ...pickNumbers(s, ['minItems', 'maxItems']) };
    }
    case 'string': {
      const maxLength = Math.min(typeof s.maxLength === 'number' ? s.maxLength : Infinity, maxStringChars);
      const minLength = typeof s.minLength === 'number' ? Math.min(s.minLength, maxLength) : undefined;
      return { type: 'string', ...(minLength === undefined ? {} : { minLength }), maxLength };
    }
    default:
      if (typeof s.type === 'string' && SIMPLE_TYPES.has(s.type)) return { type: s.type };
      if (Array.isArray(s.type) && s.type.every((t) => typeof t === 'string' && SIMPLE_TYPES.has(t) && t !== 'string'))
        return { type: s.type };
      return null;
  }
}

function objectGrammar(s: Json, maxStringChars: number): GrammarSchema | null {
  const properties = (s.properties ?? {}) as Json;
  const converted: Json = {};
  for (const [key, value] of Object.entries(properties)) {
    const c = toGrammarSchema(value, maxStringChars);
    if (c === null) return null;
    converted[key] = c;
  }
  return { type: 'object', properties: converted, additionalProperties: false };
}

function pickNumbers(s: Json, keys: readonly string[]): Json {
  return Object.fromEntries(keys.filter((k) => typeof s[k] === 'number').map((k) => [k, s[k]]));
}
