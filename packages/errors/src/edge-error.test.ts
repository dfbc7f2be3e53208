import { Code, EdgeError, INTERNAL_MESSAGE, httpStatus, notFound } from './index';

describe('EdgeError', () => {
  it('keeps code and exact message', () => {
    const e = notFound('App key {"organization":"o","name":"a","version":"1"} not found');
    expect(e.code).toBe(Code.NOT_FOUND);
    expect(e.message).toBe('App key {"organization":"o","name":"a","version":"1"} not found');
    expect(EdgeError.from(e)).toBe(e);
  });

  it('keeps gRPC status objects', () => {
    const e = EdgeError.from({ code: 6, details: 'Flavor key {"name":"x"} already exists', metadata: {} });
    expect(e.code).toBe(Code.ALREADY_EXISTS);
    expect(e.message).toBe('Flavor key {"name":"x"} already exists');
  });

  it('hides unknown failures behind a generic message but keeps the cause', () => {
    const cause = new Error('ECONNREFUSED 10.0.0.1:2379 password=hunter2');
    const e = EdgeError.from(cause);
    expect(e.code).toBe(Code.INTERNAL);
    expect(e.message).toBe(INTERNAL_MESSAGE);
    expect(e.cause).toBe(cause);
  });

  it('maps codes to HTTP', () => {
    expect(httpStatus(Code.NOT_FOUND)).toBe(404);
    expect(httpStatus(Code.INVALID_ARGUMENT)).toBe(400);
    expect(httpStatus(Code.UNAUTHENTICATED)).toBe(401);
    expect(httpStatus(Code.PERMISSION_DENIED)).toBe(403);
    expect(httpStatus(Code.ALREADY_EXISTS)).toBe(409);
  });
});
