import { extractJson, sliceBalanced } from '../../../domain/llm/extract-json';

describe('extractJson', () => {
  test.each([
    ['bare object', '{"a":1}', { a: 1 }],
    ['json fence', '```json\n{"a":1}\n```', { a: 1 }],
    ['plain fence', '```\n{"a":2}\n```', { a: 2 }],
    ['leading prose', 'Sure! Here is the JSON: {"a":3} Hope it helps.', { a: 3 }],
    ['think block first', '<think>maybe {"a":0}?</think>\n{"a":4}', { a: 4 }],
    ['braces inside strings', 'x {"s":"a } b { c","n":[1,{"k":"]"}]} y', { s: 'a } b { c', n: [1, { k: ']' }] }],
    ['escaped quotes', '{"s":"he said \\"}\\""}', { s: 'he said "}"' }],
    ['top-level array', 'list: [1,2,3]', [1, 2, 3]],
  ])('extracts JSON from %s', (_name, text, expected) => {
    expect(extractJson(text)).toEqual({ ok: true, value: expected });
  });

  test.each([
    ['empty reply', '   ', /empty/],
    ['prose only', 'I think the price goes up.', /no JSON/],
    ['unterminated object', '{"a": 1', /no JSON/],
    ['trailing comma', '{"a": 1,}', /invalid JSON/],
  ])('reports %s as an error instead of throwing', (_name, text, message) => {
    const result = extractJson(text);
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.error).toMatch(message);
  });
});

describe('sliceBalanced', () => {
  test('returns null for mismatched brackets', () => {
    expect(sliceBalanced('{"a":[1}')).toBeNull();
  });
  test('returns the first complete value only', () => {
    expect(sliceBalanced('{"a":1} {"b":2}')).toBe('{"a":1}');
  });
});
