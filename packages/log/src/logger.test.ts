import { Writable } from 'node:stream';
import { TraceContext, createLogger, newTraceId } from './index';

function memory(): { lines: () => Record<string, unknown>[]; stream: Writable } {
  const chunks: string[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _enc, cb) {
      chunks.push(chunk.toString());
      cb();
    },
  });
  return {
    stream,
    lines: () =>
      chunks
        .join('')
        .split('\n')
        .filter(Boolean)
        .map((l) => JSON.parse(l) as Record<string, unknown>),
  };
}

describe('logger', () => {
  it('adds svc, component and the trace id of the current request', async () => {
    const mem = memory();
    const trace = new TraceContext();
    const log = createLogger({ name: 'controller', trace, destination: mem.stream }).child({
      component: 'appinst',
    });
    const id = newTraceId();
    await trace.run(id, async () => {
      await Promise.resolve();
      log.info({ key: 'a' }, 'created');
    });
    log.info('outside');
    const [inside, outside] = mem.lines();
    expect(inside).toMatchObject({
      svc: 'controller',
      component: 'appinst',
      traceId: id,
      msg: 'created',
      level: 'info',
    });
    expect(outside?.traceId).toBeUndefined();
    expect(id).toMatch(/^[0-9a-f]{16}$/);
  });

  it('redacts secrets', () => {
    const mem = memory();
    const log = createLogger({ name: 'mc', destination: mem.stream });
    log.info(
      { req: { headers: { authorization: 'Bearer abc' } }, user: { password: 'pw' }, token: 't' },
      'login',
    );
    const text = JSON.stringify(mem.lines());
    expect(text).not.toContain('Bearer abc');
    expect(text).not.toContain('"pw"');
    expect(text).toContain('[REDACTED]');
  });
});
