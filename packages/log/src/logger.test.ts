import { TraceContext, createLogger, memoryLog, newTraceId } from './index';

describe('logger', () => {
  it('adds svc, component and the trace id of the current request', async () => {
    const mem = memoryLog();
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
    const mem = memoryLog();
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
