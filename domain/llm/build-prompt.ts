import { z } from 'zod';

/** Provider-neutral chat message; transports map it to each vendor's wire format. */
export interface ChatMessage {
  role: 'system' | 'user' | 'assistant';
  content: string;
}

export interface PromptParts {
  system: string;
  user: string;
  schemaHint: string;
  schema: z.ZodType<unknown>;
}

/**
 * JSON Schema of the output contract via zod v4's `z.toJSONSchema`, or null when the schema cannot be
 * represented (z.custom throws); the prompt then relies on the human hint alone. The *input* side is
 * described because the model's reply is what `schema.parse` receives: defaulted fields are optional
 * and transformed fields show their raw type.
 */
export function describeSchema(schema: z.ZodType<unknown>): Record<string, unknown> | null {
  try {
    const { $schema: _drop, ...rest } = z.toJSONSchema(schema, { io: 'input' }) as Record<string, unknown>;
    return rest;
  } catch {
    return null;
  }
}

/** The first request of a step: system, user, then a statement of the JSON the reply must be. */
export function buildMessages(parts: PromptParts): ChatMessage[] {
  const jsonSchema = describeSchema(parts.schema);
  const contract = [
    'Reply with exactly one JSON object and nothing else: no prose, no code fences.',
    `Fields: ${parts.schemaHint}`,
    jsonSchema === null ? null : `It must validate against this JSON Schema:\n${JSON.stringify(jsonSchema)}`,
  ]
    .filter((line): line is string => line !== null)
    .join('\n');
  return [
    { role: 'system', content: `${parts.system}\n\n${contract}` },
    { role: 'user', content: parts.user },
  ];
}

/**
 * Extends a conversation after an invalid reply: the model sees its own answer and the exact
 * validation errors, which fixes most slips (a probability of 1.2, a missing field) in one turn.
 */
export function buildRepairMessages(
  history: readonly ChatMessage[],
  badReply: string,
  errors: readonly string[],
): ChatMessage[] {
  return [
    ...history,
    { role: 'assistant', content: badReply === '' ? '(empty reply)' : badReply },
    {
      role: 'user',
      content: `Your reply was rejected:\n${errors.map((e) => `- ${e}`).join('\n')}\nReturn the corrected JSON object only.`,
    },
  ];
}
