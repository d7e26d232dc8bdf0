/**
 * Deterministic client order ids: the same iteration, trader and attempt always give the same id,
 * so a retried placement finds the order the venue already accepted instead of sending a second one.
 *
 * FNV-1a 64-bit (Fowler–Noll–Vo, http://www.isthe.com/chongo/tech/comp/fnv/) over the UTF-16 code
 * units of the key, hex-encoded behind a 'td' prefix: 18 characters from [a-z0-9], inside Binance's
 * newClientOrderId pattern ^[.A-Z:/a-z0-9_-]{1,36}$ with room for the '-sl' / '-tp' suffixes of the
 * protective orders.
 */
const FNV_OFFSET = 0xcbf29ce484222325n;
const FNV_PRIME = 0x100000001b3n;
const MASK_64 = 0xffffffffffffffffn;

/** FNV-1a 64-bit of a string, as 16 lowercase hex digits. */
export function hashFnv1a64(text: string): string {
  let hash = FNV_OFFSET;
  for (let i = 0; i < text.length; i++) {
    hash ^= BigInt(text.charCodeAt(i));
    hash = (hash * FNV_PRIME) & MASK_64;
  }
  return hash.toString(16).padStart(16, '0');
}

export function clientOrderId(iterationId: string, traderId: string, attempt: number): string {
  // NUL separators keep the fields apart: ('ab', 'c') and ('a', 'bc') hash different keys.
  return `td${hashFnv1a64(`${iterationId}\u0000${traderId}\u0000${attempt}`)}`;
}
