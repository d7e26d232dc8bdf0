import { z } from 'zod';
import { buildMessages, buildRepairMessages, describeSchema } from '../../../domain/llm/build-prompt';
import { validateOutput, validateValue } from '../../../domain/llm/validate-output';

const Schema = z.object({ pUp: z.number().min(0).max(1), rationale: z.string() });
const parts = { system: 'SYS', user: 'USER', schemaHint: 'pUp in [0,1]', schema: Schema };

describe('buildMessages', () => {
  test('states the JSON contract with the hint and the JSON Schema in the system message', () => {
    const [system, user] = buildMessages(parts);
    expect(system?.role).toBe('system');
    expect(system?.content).toMatch(/^SYS\n\n/);
    expect(system?.content).toContain('Fields: pUp in [0,1]');
    expect(system?.content).toContain('"required":["pUp","rationale"]');
    expect(system?.content).not.toContain('$schema');
    expect(user).toEqual({ role: 'user', content: 'USER' });
  });

  test('is deterministic, so equal tasks hash to the same cache key', () => {
    expect(JSON.stringify(buildMessages(parts))).toBe(JSON.stringify(buildMessages({ ...parts })));
  });

  test('falls back to the hint alone when the schema has no JSON Schema form', () => {
    expect(describeSchema(z.custom<string>(() => true))).toBeNull();
    const [system] = buildMessages({ ...parts, schema: z.custom<string>(() => true) });
    expect(system?.content).toContain('Fields: pUp in [0,1]');
    expect(system?.content).not.toContain('JSON Schema');
  });

  test('describes what the model must send: transformed fields by their raw type, defaulted fields optional', () => {
    const schema = z.object({
      at: z.string().transform((s) => s.length),
      n: z.number().default(1),
    }) as unknown as z.ZodType<unknown>;
    expect(describeSchema(schema)).toMatchObject({ properties: { at: { type: 'string' } }, required: ['at'] });
  });
});

describe('buildRepairMessages', () => {
  test('appends the rejected reply and a bullet list of errors', () => {
    const history = buildMessages(parts);
    const repaired = buildRepairMessages(history, '{"pUp": 2}', ['`pUp`: Too big', '`rationale`: Required']);
    expect(repaired).toHaveLength(4);
    expect(repaired[2]).toEqual({ role: 'assistant', content: '{"pUp": 2}' });
    expect(repaired[3]?.content).toContain('- `pUp`: Too big\n- `rationale`: Required');
    expect(history).toHaveLength(2);
  });

  test('an empty reply still yields a non-empty assistant turn (Anthropic rejects empty content)', () => {
    expect(buildRepairMessages([], '', ['x'])[0]?.content).toBe('(empty reply)');
  });
});

describe('validateOutput', () => {
  test('accepts a valid reply and returns the parsed value', () => {
    expect(validateOutput(Schema, '{"pUp":0.4,"rationale":"r"}')).toEqual({
      ok: true,
      value: { pUp: 0.4, rationale: 'r' },
    });
  });

  test('names the path of an out-of-range field', () => {
    const result = validateOutput(Schema, '{"pUp":1.2,"rationale":"r"}');
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.errors[0]).toMatch(/^`pUp`: /);
    // A broken field rule is malformed output, not a contradiction.
    if (!result.ok) expect(result.contradiction).toBe(false);
  });

  test('reports a root type mismatch as (root)', () => {
    const result = validateValue(Schema, [1]);
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.errors[0]).toMatch(/^`\(root\)`/);
  });

  test('passes JSON extraction errors through', () => {
    const result = validateOutput(Schema, 'nothing here');
    expect(result).toEqual({ ok: false, errors: ['no JSON object found in the reply'], contradiction: false });
  });
});
