import { create } from '@bufbuild/protobuf';
import { Code } from '@edge/errors';
import { DmeError } from './dme-error';
import { createGrpcTransport } from './grpc-transport';
import { dme } from './proto';
import { startStubDme } from './testing/stub-dme';

const register = create(dme.RegisterClientRequestSchema, {
  orgName: 'devorg',
  appName: 'game',
  appVers: '1.0',
});

describe('gRPC transport', () => {
  it('reports an unreachable DME as UNAVAILABLE (503)', async () => {
    const stub = await startStubDme();
    const addr = stub.grpcAddress;
    await stub.close();
    const t = createGrpcTransport(addr, { timeoutMs: 20000 });
    const err = await t.unary('registerClient', register).then(
      () => undefined,
      (e: unknown) => e,
    );
    t.close();
    expect(err).toBeInstanceOf(DmeError);
    expect(err).toMatchObject({ code: Code.UNAVAILABLE, httpStatus: 503 });
  });

  it('cancels a call when its signal aborts', async () => {
    const stub = await startStubDme();
    const t = createGrpcTransport(stub.grpcAddress);
    const ac = new AbortController();
    ac.abort();
    const err = await t.unary('registerClient', register, { signal: ac.signal }).then(
      () => undefined,
      (e: unknown) => e,
    );
    t.close();
    await stub.close();
    expect(err).toMatchObject({ code: Code.CANCELLED });
  });
});
