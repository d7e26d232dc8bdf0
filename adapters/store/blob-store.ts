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
}

/** sha256 of a value's canonical JSON (object keys sorted), so equal values hash equally. */
export function hashJson(value: unknown): string {
  return createHash('sha256').update(canonicalJson(value)).digest('hex');
}

export function canonicalJson(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) =>
    v && typeof v === 'object' && !Array.isArray(v)
      ? Object.fromEntries(Object.entries(v as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)))
      : v,
  );
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
  private remember(key: string, value: unknown): void {
    this.items.delete(key);
    this.items.set(key, value);
    if (this.items.size > this.maxItems) {
      const oldest = this.items.keys().next().value;
      if (oldest !== undefined) this.items.delete(oldest);
    }
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
