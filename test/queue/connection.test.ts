import { describe, expect, it } from 'vitest';
import { parseRedisUrl } from '../../src/node/queue/connection.js';
import { cellJobId } from '../../src/node/queue/types.js';

describe('parseRedisUrl', () => {
  it('reads host, port, credentials and database', () => {
    expect(parseRedisUrl('redis://127.0.0.1:6390')).toEqual({ host: '127.0.0.1', port: 6390, maxRetriesPerRequest: null });
    expect(parseRedisUrl('redis://box')).toEqual({ host: 'box', port: 6379, maxRetriesPerRequest: null });
    expect(parseRedisUrl('redis://u:p%40ss@box:1/2')).toEqual({ host: 'box', port: 1, username: 'u', password: 'p@ss', db: 2, maxRetriesPerRequest: null });
  });
  it('refuses what is not a redis URL, naming it', () => {
    expect(() => parseRedisUrl('http://box:1')).toThrow(/redis:\/\/HOST:PORT URL, got "http:\/\/box:1"/);
    expect(() => parseRedisUrl('box:6379')).toThrow(/redis:\/\/HOST:PORT/);
    expect(() => parseRedisUrl('redis://box/x')).toThrow(/database .* must be an integer/);
  });
  it('job ids name the sweep, level and repeat without ":"', () => {
    expect(cellJobId('ab12', { level: 50, repeat: 1 })).toBe('ab12-50-1');
  });
});
