import { parseRetryAfterMs } from '../../../adapters/llm/classify-error';
import { scrubSecrets, Secret } from '../../../adapters/llm/secret';

const NOW = Date.UTC(2024, 0, 1, 12);

describe('parseRetryAfterMs', () => {
  test.each([
    [{ 'retry-after': '12' }, 12_000],
    [{ 'retry-after': '0.5' }, 500],
    [{ 'retry-after-ms': '250', 'retry-after': '3' }, 250],
    [{ 'retry-after': new Date(NOW + 90_000).toUTCString() }, 90_000],
    [{ 'retry-after': new Date(NOW - 90_000).toUTCString() }, 0],
    [{ 'retry-after': 'soon' }, null],
    [{}, null],
  ])('headers %p → %p ms', (headers, expected) => {
    expect(parseRetryAfterMs(new Headers(headers), NOW)).toBe(expected);
  });
});

describe('scrubSecrets', () => {
  test('removes the exact key, key-shaped tokens and bearer headers', () => {
    const key = new Secret('custom-key-XYZ-123');
    const text = scrubSecrets('bad key custom-key-XYZ-123, also sk-proj-abcd1234 and Bearer tok.en', [key, null]);
    expect(text).not.toMatch(/custom-key|sk-proj|tok\.en/);
    expect(text.match(/\[redacted\]/g)).toHaveLength(3);
  });
});
