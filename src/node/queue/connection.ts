/** Redis connection settings from a `redis://[user:password@]HOST:PORT[/DB]` URL. */
import { describe } from '../../util/checks.js';

/** The connection options BullMQ (ioredis) takes, as plain JSON. */
export interface RedisConnection {
  host: string;
  port: number;
  username?: string;
  password?: string;
  db?: number;
  /** `null`: commands wait for a reconnect instead of failing (what BullMQ workers need). */
  maxRetriesPerRequest: null;
}

/**
 * Parses a Redis URL (`redis://HOST:PORT`, default port 6379, optional `user:password@` and
 * `/DB`). Throws a `RangeError` naming the value otherwise.
 *
 * @example
 * parseRedisUrl('redis://127.0.0.1:6379'); // { host: '127.0.0.1', port: 6379, maxRetriesPerRequest: null }
 */
export function parseRedisUrl(url: string | RedisConnection | { host: string; port: number }): RedisConnection {
  if (typeof url === 'object' && url !== null && typeof url.host === 'string') return { ...url, maxRetriesPerRequest: null };
  if (typeof url !== 'string') throw new TypeError(`connection must be a redis://HOST:PORT URL or { host, port }, got ${describe(url)}`);
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new RangeError(`connection must be a redis://HOST:PORT URL, got ${JSON.stringify(url)}`);
  }
  if (parsed.protocol !== 'redis:' || !parsed.hostname) throw new RangeError(`connection must be a redis://HOST:PORT URL, got ${JSON.stringify(url)}`);
  const port = parsed.port ? Number(parsed.port) : 6379;
  const db = parsed.pathname.length > 1 ? Number(parsed.pathname.slice(1)) : undefined;
  if (db !== undefined && !(Number.isInteger(db) && db >= 0)) throw new RangeError(`the database of ${JSON.stringify(url)} must be an integer >= 0, got ${JSON.stringify(parsed.pathname.slice(1))}`);
  return {
    host: parsed.hostname.replace(/^\[|\]$/g, ''),
    port,
    ...(parsed.username ? { username: decodeURIComponent(parsed.username) } : {}),
    ...(parsed.password ? { password: decodeURIComponent(parsed.password) } : {}),
    ...(db !== undefined ? { db } : {}),
    maxRetriesPerRequest: null,
  };
}
