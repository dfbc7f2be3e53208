import { RateLimiter } from './rate-limiter';

describe('RateLimiter', () => {
  const on = { disabled: false, maxTrackedIps: 10000, maxTrackedUsers: 10000 };

  it('limits usercreate per IP at 2/s burst 2 with the original text', () => {
    let t = 0;
    const rl = new RateLimiter(
      () => on,
      () => t,
    );
    rl.check('/api/v1/usercreate', '1.2.3.4', undefined);
    rl.check('/api/v1/usercreate', '1.2.3.4', undefined);
    expect(() => rl.check('/api/v1/usercreate', '1.2.3.4', undefined)).toThrow(
      '/api/v1/usercreate is rejected, please retry later. Error is: Client exceeded api rate limit per ip. Exceeded rate of 2.000000 requests per second.',
    );
    rl.check('/api/v1/usercreate', '5.6.7.8', undefined);
    t += 500; // one token back
    rl.check('/api/v1/usercreate', '1.2.3.4', undefined);
  });

  it('falls back to Global per user, and honours DisableRateLimit', () => {
    let disabled = false;
    const rl = new RateLimiter(
      () => ({ ...on, disabled }),
      () => 0,
    );
    for (let i = 0; i < 100; i++) rl.check('/api/v1/auth/user/current', '', 'alice');
    expect(() => rl.check('/api/v1/auth/user/current', '', 'alice')).toThrow(
      /user "alice" exceeded api rate limit per user/,
    );
    disabled = true;
    rl.check('/api/v1/auth/user/current', '', 'alice');
  });

  it('keeps at most maxTrackedIps buckets', () => {
    const rl = new RateLimiter(
      () => ({ ...on, maxTrackedIps: 2 }),
      () => 0,
    );
    const call = (ip: string): void => rl.check('/api/v1/usercreate', ip, undefined);
    call('a');
    call('a');
    expect(() => call('a')).toThrow(/per ip/);
    call('b');
    call('c'); // evicts a
    call('a'); // a fresh bucket
  });
});
