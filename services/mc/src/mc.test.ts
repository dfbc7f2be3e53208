import { describeWithServers } from '@edge/testing';
import { startTestMc, type TestMc } from './testing/test-mc';

describeWithServers('MC HTTP basics (real PostgreSQL)', () => {
  let t: TestMc;
  beforeAll(async () => {
    t = await startTestMc();
  });
  afterAll(async () => {
    await t.close();
  });

  it('answers GET / as health check', async () => {
    const res = await fetch(`${t.url}/`);
    expect(res.status).toBe(200);
  });

  it('applies the schema once, recorded in schema_migrations', async () => {
    const rows = await t.db.db.query<{ id: number }>('SELECT id FROM schema_migrations ORDER BY id');
    expect(rows.map((r) => r.id)).toContain(1);
  });

  it('answers bad JSON with 400 and a message', async () => {
    const res = await fetch(`${t.url}/api/v1/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{bad',
    });
    expect(res.status).toBe(400);
    expect(((await res.json()) as { message: string }).message).toMatch(/^Invalid JSON data/);
  });

  it('answers unknown routes with 404', async () => {
    const r = await t.post('nosuchroute');
    expect(r.status).toBe(404);
  });
});
