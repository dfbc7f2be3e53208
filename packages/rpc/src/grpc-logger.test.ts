import * as grpc from '@grpc/grpc-js';
import { createLogger, memoryLog } from '@edge/log';
import { routeGrpcLogs } from './grpc-logger';

describe('routeGrpcLogs', () => {
  afterEach(() => {
    grpc.setLogger(console);
    grpc.setLogVerbosity(grpc.logVerbosity.ERROR);
  });

  it('sends grpc-js diagnostics to pino, formatted, as component grpc-js', () => {
    const mem = memoryLog();
    routeGrpcLogs(createLogger({ name: 'ctrl', destination: mem.stream }));
    grpc.experimental.log(grpc.logVerbosity.ERROR, 'subchannel %s failed', '10.0.0.1:55001');
    grpc.experimental.log(grpc.logVerbosity.INFO, 'below the default verbosity');
    expect(mem.lines()).toEqual([
      expect.objectContaining({
        level: 'error',
        component: 'grpc-js',
        svc: 'ctrl',
        msg: expect.stringContaining('subchannel 10.0.0.1:55001 failed'),
      }),
    ]);
  });
});
