import type { TestMc } from './test-mc';

/** A password the strength check accepts for ordinary users and admins. */
export const STRONG_PASSWORD = 'Orbit-Lantern-Quartz-58!';

/** A settable clock for `startTestMc(…, {now})`: real time plus an offset tests advance. */
export interface TestClock {
  readonly now: () => number;
  advance(ms: number): void;
}

export function testClock(): TestClock {
  let offset = 0;
  return {
    now: () => Date.now() + offset,
    advance(ms) {
      offset += ms;
    },
  };
}

/** Creates `name` through `usercreate` and marks the address verified; returns nothing, throws on failure. */
export async function createVerifiedUser(t: TestMc, name: string, password = STRONG_PASSWORD): Promise<void> {
  const r = await t.post('usercreate', { name, email: `${name}@example.com`, passhash: password });
  if (r.status !== 200) throw new Error(`usercreate ${name}: ${r.status} ${JSON.stringify(r.body)}`);
  await t.db.db.query(`UPDATE users SET email_verified = true WHERE name = $1`, [name]);
}
