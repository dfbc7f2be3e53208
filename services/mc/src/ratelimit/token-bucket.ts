/**
 * A token bucket (golang.org/x/time/rate's `Allow`): `burst` tokens, refilled at `rate`
 * per second; each request takes one or is refused.
 */
export class TokenBucket {
  private tokens: number;
  private last: number;

  constructor(
    readonly rate: number,
    readonly burst: number,
    nowMs: number,
  ) {
    this.tokens = burst;
    this.last = nowMs;
  }

  /** Takes a token if there is one. */
  allow(nowMs: number): boolean {
    this.tokens = Math.min(this.burst, this.tokens + ((nowMs - this.last) / 1000) * this.rate);
    this.last = nowMs;
    if (this.tokens < 1) return false;
    this.tokens -= 1;
    return true;
  }

  /** The original's refusal text (`%f` of the rate). */
  refusal(): string {
    return `Exceeded rate of ${this.rate.toFixed(6)} requests per second`;
  }
}
