import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { ObjectRegistry, allFiles } from '@edge/proto';
import { mcctlCommands } from './commands';
import { runMcctl } from './run';

const commands = mcctlCommands(new ObjectRegistry(allFiles));

/** A stub MC replaying JSON lines, one every `gapMs`, recording what it was sent. */
async function stubMc(
  lines: readonly unknown[],
  gapMs: number,
): Promise<{ url: string; bodies: unknown[]; server: Server }> {
  const bodies: unknown[] = [];
  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    let body = '';
    req.on('data', (c: Buffer) => (body += c.toString()));
    req.on('end', () => {
      bodies.push(JSON.parse(body));
      res.writeHead(200, { 'Content-Type': 'application/json' });
      let i = 0;
      const next = (): void => {
        if (i >= lines.length) {
          res.end();
          return;
        }
        res.write(`${JSON.stringify(lines[i++])}\n`);
        setTimeout(next, gapMs);
      };
      next();
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, bodies, server };
}

/** Runs mcctl, noting when each stdout write happened. */
async function timedRun(
  argv: string[],
): Promise<{ code: number; writes: { at: number; s: string }[]; stderr: string }> {
  const start = Date.now();
  const writes: { at: number; s: string }[] = [];
  let stderr = '';
  const code = await runMcctl(argv, {
    commands,
    env: { TOKEN: 't' },
    stdout: { write: (s: string) => writes.push({ at: Date.now() - start, s }) },
    stderr: { write: (s: string) => (stderr += s) },
  });
  return { code, writes, stderr };
}

const CREATE = [
  'appinst',
  'create',
  'region=EU',
  'apporg=o',
  'appname=a',
  'appvers=1',
  'cloudlet=c',
  'cloudletorg=op',
];

describe('mcctl streaming', () => {
  it('prints one line per progress message as it arrives', async () => {
    const gap = 150;
    const mc = await stubMc(
      [
        { data: { message: 'Creating' } },
        { data: { message: 'Creating App Inst' } },
        { data: { message: 'Ready' } },
      ],
      gap,
    );
    try {
      const r = await timedRun([...CREATE, '--addr', mc.url]);
      expect(r.stderr).toBe('');
      expect(r.code).toBe(0);
      expect(r.writes.map((w) => w.s)).toEqual([
        'message: Creating\n',
        'message: Creating App Inst\n',
        'message: Ready\n',
      ]);
      // Live: the first line is printed well before the stream ends (2 gaps later).
      const first = r.writes[0]?.at ?? 0;
      const last = r.writes[2]?.at ?? 0;
      expect(last - first).toBeGreaterThanOrEqual(gap * 1.5);
      expect(mc.bodies[0]).toMatchObject({ region: 'EU', appinst: { key: { app_key: { name: 'a' } } } });
    } finally {
      mc.server.close();
    }
  });

  it('exits non-zero with the reason when the stream ends in a failure result', async () => {
    const mc = await stubMc(
      [
        { data: { message: 'Creating' } },
        { result: { message: 'Encountered failures: Create App Inst failed: no resources', code: 400 } },
      ],
      10,
    );
    try {
      const r = await timedRun([...CREATE, '--addr', mc.url, '--output-format', 'json-compact']);
      expect(r.code).toBe(1);
      expect(r.writes.map((w) => w.s)).toEqual(['{"message":"Creating"}\n']);
      expect(r.stderr).toBe('Error: OK (200), Encountered failures: Create App Inst failed: no resources\n');
    } finally {
      mc.server.close();
    }
  });

  it('collects a show stream into one list', async () => {
    const mc = await stubMc(
      [{ data: { key: { name: 'f1' }, ram: '1024' } }, { data: { key: { name: 'f2' } } }],
      5,
    );
    try {
      const r = await timedRun(['flavor', 'show', 'region=EU', '--addr', mc.url]);
      expect(r.code).toBe(0);
      expect(r.writes.map((w) => w.s).join('')).toBe(
        '- key:\n    name: f1\n  ram: "1024"\n- key:\n    name: f2\n',
      );
    } finally {
      mc.server.close();
    }
  });

  it('reports an unreachable MC', async () => {
    const mc = await stubMc([], 0);
    const url = mc.url;
    await new Promise((r) => mc.server.close(r));
    const r = await timedRun(['flavor', 'show', 'region=EU', '--addr', url]);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(
      new RegExp(`^Error: POST ${url}/api/v1/auth/ctrl/ShowFlavor client do failed, .*ECONNREFUSED`),
    );
  });
});
