import { createHash } from 'node:crypto';
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';

/**
 * Content-addressed JSON store. Workflow history carries hashes; the bulky data (snapshots, LLM
 * prompts and responses) lives here. `putNamed` stores under a caller-chosen key (e.g. a request hash).
 */
export interface BlobStore {
  put(value: unknown): Promise<string>;
  get<T>(hash: string): Promise<T | null>;
  putNamed(key: string, value: unknown): Promise<void>;
  getNamed<T>(key: string): Promise<T | null>;
  /**
   * Stores `value` as its `JSON.stringify` text (key order kept, unlike `put`'s canonical JSON) and returns
   * the ref to read it back with `getNamed`: `state-<sha256 of the text>` wherever refs cross processes.
   */
  putState(value: unknown): Promise<string>;
}

/** The content-addressed ref of a value's JSON text, key order included. */
export function stateRefOf(value: unknown): string {
  return `state-${createHash('sha256').update(JSON.stringify(value)).digest('hex')}`;
}

/** Stores a value under its content ref: the same state stored twice (by any worker) is one blob. */
async function putStateByContent(store: Pick<BlobStore, 'putNamed'>, value: unknown): Promise<string> {
  const ref = stateRefOf(value);
  await store.putNamed(ref, value);
  return ref;
}

/** sha256 of a value's canonical JSON (object keys sorted), so equal values hash equally. */
export function hashJson(value: unknown): string {
  return createHash('sha256').update(canonicalJson(value)).digest('hex');
}

/**
 * `JSON.stringify` with every object's keys sorted. Written out rather than as a replacer that
 * rebuilds each object (Object.entries → sort → fromEntries), because A-A hashes a 300-candle
 * snapshot every bar; the output is byte-identical to that replacer form. Anything
 * but plain objects, arrays and primitives (Dates, Maps, objects with toJSON) takes the replacer
 * path, so its JSON.stringify semantics stay exact.
 */
export function canonicalJson(value: unknown): string {
  return writeValue(value) as string;
}

function sortedReplacer(_key: string, v: unknown): unknown {
  return v && typeof v === 'object' && !Array.isArray(v)
    ? Object.fromEntries(Object.entries(v as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)))
    : v;
}

/** One value as canonical JSON, or undefined where JSON.stringify would omit it (undefined, functions, symbols). */
function writeValue(v: unknown): string | undefined {
  if (v === null) return 'null';
  switch (typeof v) {
    case 'number':
      return Number.isFinite(v) ? String(v) : 'null';
    case 'string':
      return JSON.stringify(v);
    case 'boolean':
      return v ? 'true' : 'false';
    case 'object':
      if (Array.isArray(v)) return writeArray(v);
      if (isPlainJsonObject(v)) return writeObject(v as Record<string, unknown>);
      return JSON.stringify(v, sortedReplacer);
    case 'bigint':
      return JSON.stringify(v); // throws, as JSON.stringify does
    default:
      return undefined;
  }
}

function isPlainJsonObject(v: object): boolean {
  const proto = Object.getPrototypeOf(v) as unknown;
  return (proto === Object.prototype || proto === null) && typeof (v as { toJSON?: unknown }).toJSON !== 'function';
}

function writeArray(a: readonly unknown[]): string {
  if (Object.getPrototypeOf(a) !== Array.prototype || typeof (a as { toJSON?: unknown }).toJSON === 'function')
    return JSON.stringify(a, sortedReplacer);
  let out = '[';
  for (let i = 0; i < a.length; i++) {
    if (i > 0) out += ',';
    out += writeValue(a[i]) ?? 'null';
  }
  return out + ']';
}

function writeObject(o: Record<string, unknown>): string {
  const shape = shapeOf(Object.keys(o));
  let out = '{';
  let first = true;
  for (let i = 0; i < shape.sorted.length; i++) {
    const text = writeValue(o[shape.sorted[i] as string]);
    if (text === undefined) continue;
    out += (first ? '' : ',') + (shape.quoted[i] as string) + text;
    first = false;
  }
  return out + '}';
}

interface Shape {
  keys: string[];
  sorted: string[];
  /** `"key":` of each sorted key. */
  quoted: string[];
}

/** Snapshots hold runs of same-shaped objects (candles): the last few key orders are reused. */
const recentShapes: Shape[] = [];

function shapeOf(keys: string[]): Shape {
  for (const shape of recentShapes) if (sameKeys(shape.keys, keys)) return shape;
  const sorted = sortedKeys(keys);
  const shape = { keys, sorted, quoted: sorted.map((k) => `${JSON.stringify(k)}:`) };
  recentShapes.unshift(shape);
  if (recentShapes.length > 8) recentShapes.pop();
  return shape;
}

function sameKeys(a: readonly string[], b: readonly string[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/**
 * Keys in the order the replacer's rebuilt object enumerates them: sorted by code unit, except
 * that array-index keys ("0", "7", "42") always come first in ascending numeric order.
 */
function sortedKeys(unsorted: readonly string[]): string[] {
  const keys = [...unsorted].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  if (!keys.some(isArrayIndex)) return keys;
  const indices = keys.filter(isArrayIndex).sort((a, b) => Number(a) - Number(b));
  return [...indices, ...keys.filter((k) => !isArrayIndex(k))];
}

function isArrayIndex(key: string): boolean {
  if (key.length === 0 || key.length > 10) return false;
  const n = Number(key);
  return Number.isInteger(n) && n >= 0 && n < 4294967295 && String(n) === key;
}

/** In-process store for the fast runner and tests; bounded so a long backtest does not grow without end. */
export class MemoryBlobStore implements BlobStore {
  private readonly items = new Map<string, unknown>();
  constructor(private readonly maxItems = 2_000) {}

  async put(value: unknown): Promise<string> {
    const hash = hashJson(value);
    this.remember(hash, value);
    return hash;
  }
  async get<T>(hash: string): Promise<T | null> {
    return (this.items.get(hash) as T | undefined) ?? null;
  }
  async putNamed(key: string, value: unknown): Promise<void> {
    this.remember(`named:${key}`, value);
  }
  async getNamed<T>(key: string): Promise<T | null> {
    return (this.items.get(`named:${key}`) as T | undefined) ?? null;
  }
  putState(value: unknown): Promise<string> {
    return putStateByContent(this, value);
  }
  private remember(key: string, value: unknown): void {
    this.items.delete(key);
    this.items.set(key, value);
    if (this.items.size > this.maxItems) {
      const oldest = this.items.keys().next().value;
      if (oldest !== undefined) this.items.delete(oldest);
    }
  }
}

/**
 * A run's own scratch store for the fast runner's snapshots: refs are sequence numbers, not
 * content hashes, and only the newest few values are kept. Safe there because the refs never leave
 * the process (no workflow history; no output, prompt or report carries them) and each snapshot is
 * read only within its own bar; hashing a 300-candle snapshot was a third of a fast backtest's time.
 * Named values (each bar's stored populations and learning state) are likewise read only within
 * their bar, so only the newest few are kept too: a long backtest does not hold every bar's state.
 */
export class RunLocalBlobStore implements BlobStore {
  private next = 0;
  private readonly items: MemoryBlobStore;
  private readonly named: MemoryBlobStore;
  constructor(keep = 16) {
    this.items = new MemoryBlobStore(keep);
    this.named = new MemoryBlobStore(keep);
  }

  async put(value: unknown): Promise<string> {
    const ref = `run-local:${(this.next++).toString(36)}`;
    await this.items.putNamed(ref, value);
    return ref;
  }
  async get<T>(ref: string): Promise<T | null> {
    return this.items.getNamed<T>(ref);
  }
  async putNamed(key: string, value: unknown): Promise<void> {
    await this.named.putNamed(key, value);
  }
  async getNamed<T>(key: string): Promise<T | null> {
    return this.named.getNamed<T>(key);
  }
  /** A sequence number, not a hash: the run's states never leave it, and hashing ~90 KB a bar cost ~15% of its speed. */
  async putState(value: unknown): Promise<string> {
    const ref = `run-local-state:${(this.next++).toString(36)}`;
    await this.named.putNamed(ref, value);
    return ref;
  }
}

/** On-disk store under a directory (default `.data/blobs`): survives worker restarts. Writes are atomic (tmp + rename). */
export class FileBlobStore implements BlobStore {
  private readonly hot = new MemoryBlobStore(500);
  constructor(private readonly dir: string) {}

  async put(value: unknown): Promise<string> {
    const hash = hashJson(value);
    await this.write(this.pathOf('sha256', hash), value);
    await this.hot.putNamed(hash, value);
    return hash;
  }
  async get<T>(hash: string): Promise<T | null> {
    return (await this.hot.getNamed<T>(hash)) ?? this.read<T>(this.pathOf('sha256', hash));
  }
  async putNamed(key: string, value: unknown): Promise<void> {
    await this.write(this.pathOf('named', hashJson(key)), value);
  }
  async getNamed<T>(key: string): Promise<T | null> {
    return this.read<T>(this.pathOf('named', hashJson(key)));
  }
  putState(value: unknown): Promise<string> {
    return putStateByContent(this, value);
  }

  private pathOf(kind: string, hash: string): string {
    return join(this.dir, kind, hash.slice(0, 2), `${hash}.json`);
  }
  private async write(path: string, value: unknown): Promise<void> {
    await mkdir(dirname(path), { recursive: true });
    const tmp = `${path}.${process.pid}.tmp`;
    await writeFile(tmp, JSON.stringify(value));
    await rename(tmp, path);
  }
  private async read<T>(path: string): Promise<T | null> {
    try {
      return JSON.parse(await readFile(path, 'utf8')) as T;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return null;
      throw err;
    }
  }
}
