import { Code } from '@edge/errors';
import { duration, flag, hostPort, hostPortList, loadConfig, z } from './index';

const schema = z.object({
  region: z.string().min(1).default('local'),
  apiAddr: hostPort().default('127.0.0.1:55001'),
  notifyAddrs: hostPortList().default(['127.0.0.1:50001']),
  timeout: duration().default(30_000),
  shortTimeouts: flag().default(false),
});

describe('loadConfig', () => {
  it('applies defaults, then env, then flags, then overrides', () => {
    const cfg = loadConfig(schema, {
      env: { EDGE_REGION: 'eu', EDGE_API_ADDR: '127.0.0.1:1' },
      argv: ['--apiAddr=127.0.0.1:2', '--timeout', '1m30s', '--notifyAddrs=a:1, b:2'],
      overrides: { shortTimeouts: 'true' },
    });
    expect(cfg).toEqual({
      region: 'eu',
      apiAddr: '127.0.0.1:2',
      notifyAddrs: ['a:1', 'b:2'],
      timeout: 90_000,
      shortTimeouts: true,
    });
    expect(loadConfig(schema).notifyAddrs).toEqual(['127.0.0.1:50001']);
  });

  it('names the field in the error', () => {
    expect(() => loadConfig(schema, { argv: ['--apiAddr=nowhere'] })).toThrow(
      'invalid configuration: apiAddr: expected host:port, got "nowhere"',
    );
    expect(() => loadConfig(schema, { argv: ['--timeout=soon'] })).toThrow(
      /^invalid configuration: timeout: /,
    );
    expect(() => loadConfig(schema, { argv: ['--bogus=1'] })).toThrow(
      'invalid configuration: unknown option "--bogus"',
    );
    try {
      loadConfig(schema, { overrides: { region: '' } });
    } catch (e) {
      expect((e as { code: Code }).code).toBe(Code.INVALID_ARGUMENT);
      expect((e as Error).message).toMatch(/^invalid configuration: region: /);
    }
  });
});
