import { mkdtemp, readFile, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ObjectRegistry, allFiles } from '@edge/proto';
import { mcctlCommands } from './commands';
import { fakeFetch, mcctl } from './testing';

const commands = mcctlCommands(new ObjectRegistry(allFiles));
const home = (): Promise<string> => mkdtemp(join(tmpdir(), 'mcctl-'));

describe('mcctl request bodies', () => {
  it('posts CreateAppInst to the region proxy with the object under its lowercase name', async () => {
    const { fetch, seen } = fakeFetch({});
    const r = await mcctl(
      [
        'appinst',
        'create',
        'region=EU',
        'appname=a',
        'appvers=1.0',
        'apporg=dev',
        'cluster=c',
        'cloudlet=cl',
        'cloudletorg=op',
        'flavor=x1.small',
        '--addr',
        'mc.example:9900',
        '--token=tok',
      ],
      { fetch, commands },
    );
    expect(r).toMatchObject({ code: 0, stderr: '' });
    expect(seen).toHaveLength(1);
    expect(seen[0]?.url).toBe('http://mc.example:9900/api/v1/auth/ctrl/CreateAppInst');
    expect(seen[0]?.headers['Authorization']).toBe('Bearer tok');
    expect(seen[0]?.body).toEqual({
      region: 'EU',
      appinst: {
        key: {
          app_key: { name: 'a', version: '1.0', organization: 'dev' },
          cluster_inst_key: { cluster_key: { name: 'c' }, cloudlet_key: { name: 'cl', organization: 'op' } },
        },
        flavor: { name: 'x1.small' },
      },
    });
  });

  it('sends only the given fields of an update, plus their field ids', async () => {
    const { fetch, seen } = fakeFetch({});
    const r = await mcctl(
      [
        'app',
        'update',
        'region=EU',
        'apporg=dev',
        'appname=a',
        'appvers=1.0',
        'imagepath=docker.io/a:2',
        'configs:0.kind=envVarsYaml',
        'configs:0.config=x',
        'defaultflavor=x1.medium',
      ],
      { fetch, commands, env: { TOKEN: 't' } },
    );
    expect(r.stderr).toBe('');
    expect(seen[0]?.body).toEqual({
      region: 'EU',
      app: {
        key: { organization: 'dev', name: 'a', version: '1.0' },
        image_path: 'docker.io/a:2',
        configs: [{ kind: 'envVarsYaml', config: 'x' }],
        default_flavor: { name: 'x1.medium' },
        fields: ['2.1', '2.2', '2.3', '21', '21.1', '21.2', '4', '9.1'],
      },
    });
  });

  it('takes --data JSON or YAML (lowercased field names) instead of args', async () => {
    const { fetch, seen } = fakeFetch({ message: 'Organization created' });
    const h = await home();
    const file = join(h, 'app.yaml');
    await writeFile(file, 'region: EU\napp:\n  key:\n    organization: dev\n    name: a\n  imagepath: img\n');
    await mcctl(['app', 'create', '--datafile', file], { fetch, commands, home: h });
    expect(seen[0]?.body).toEqual({
      region: 'EU',
      app: { key: { organization: 'dev', name: 'a' }, image_path: 'img' },
    });
    await mcctl(['org', 'create', '--data', '{"Name":"o","Type":"developer"}'], { fetch, commands, home: h });
    expect(seen[1]?.body).toEqual({ Name: 'o', Type: 'developer' });
  });

  it('uses the Go field names of MC-local structs', async () => {
    const { fetch, seen } = fakeFetch({ message: 'Controller registered' });
    const r = await mcctl(['controller', 'create', 'region=EU', 'address=127.0.0.1:55001'], {
      fetch,
      commands,
    });
    expect(seen[0]?.url).toBe('http://127.0.0.1:9900/api/v1/auth/controller/create');
    expect(seen[0]?.body).toEqual({ Region: 'EU', Address: '127.0.0.1:55001' });
    expect(r.stdout).toBe('Controller registered\n');
    await mcctl(['role', 'add', 'org=o', 'username=u', 'role=DeveloperManager'], { fetch, commands });
    expect(seen[1]?.body).toEqual({ org: 'o', username: 'u', role: 'DeveloperManager' });
    await mcctl(
      [
        'user',
        'createapikey',
        'org=o',
        'description=ci',
        'permissions:0.resource=apps',
        'permissions:0.action=view',
      ],
      {
        fetch,
        commands,
      },
    );
    expect(seen[2]?.body).toEqual({
      Org: 'o',
      Description: 'ci',
      permissions: [{ resource: 'apps', action: 'view' }],
    });
  });

  it('prints args errors, usage and unknown commands with exit 1', async () => {
    const { fetch, seen } = fakeFetch({});
    const r = await mcctl(['appinst', 'create', 'region=EU', 'appname=a'], { fetch, commands });
    expect(r).toEqual({
      code: 1,
      stdout: '',
      stderr: 'Error: missing required args: apporg appvers cloudletorg cloudlet\n',
    });
    expect(seen).toHaveLength(0);
    expect((await mcctl(['nosuch'], { commands })).stderr).toBe(
      'Error: unknown command "nosuch" for "mcctl"\n',
    );
    const help = await mcctl(['appinst', 'create', '--help'], { commands });
    expect(help.code).toBe(0);
    expect(help.stdout).toContain(
      'Required Args:\n  region\n  apporg\n  appname\n  appvers\n  cloudletorg\n  cloudlet\n',
    );
    expect(help.stdout).toMatch(/Optional Args:\n(.*\n)* {2}cluster\n/);
    const group = await mcctl(['appinst', '--help'], { commands });
    expect(group.stdout).toMatch(/Available Commands:\n {2}create +CreateAppInst/);
    const root = await mcctl(['--help'], { commands });
    expect(root.stdout).toMatch(/\n {2}appinst +Manage AppInsts\n/);
  });

  it('prints HTTP errors as the original does', async () => {
    const { fetch } = fakeFetch({ message: 'Region "XX" not found' }, 400);
    const r = await mcctl(['app', 'show', 'region=XX'], { fetch, commands });
    expect(r).toEqual({ code: 1, stdout: '', stderr: 'Error: Bad Request (400), Region "XX" not found\n' });
    const forbidden = await mcctl(['org', 'show'], {
      fetch: fakeFetch({ message: 'Forbidden' }, 403).fetch,
      commands,
    });
    expect(forbidden.stderr).toBe('Error: Forbidden (403), Forbidden\n');
  });
});

describe('mcctl login', () => {
  it('saves the token to ~/.mctoken with mode 0600 and uses it afterwards', async () => {
    const h = await home();
    const { fetch, seen } = fakeFetch({ token: 'jwt-1', admin: true });
    const r = await mcctl(['login', 'name=mexadmin', 'password=pw'], { fetch, commands, home: h });
    expect(r.stdout).toBe(`login successful\ntoken saved to ${join(h, '.mctoken')}\n`);
    expect(seen[0]).toMatchObject({
      url: 'http://127.0.0.1:9900/api/v1/login',
      body: { username: 'mexadmin', password: 'pw' },
    });
    expect(seen[0]?.headers['Authorization']).toBeUndefined();
    expect(await readFile(join(h, '.mctoken'), 'utf8')).toBe('jwt-1');
    expect((await stat(join(h, '.mctoken'))).mode & 0o777).toBe(0o600);
    expect((await stat(join(h, '.mcctl_admin'))).isFile()).toBe(true);

    const next = fakeFetch({ Name: 'mexadmin' });
    await mcctl(['user', 'current'], { fetch: next.fetch, commands, home: h });
    expect(next.seen[0]?.headers['Authorization']).toBe('Bearer jwt-1');
  });

  it('prompts for a missing password, and tightens an existing token file to 0600', async () => {
    const h = await home();
    await writeFile(join(h, '.mctoken'), 'old', { mode: 0o644 });
    const { fetch, seen } = fakeFetch({ token: 'jwt-2' });
    const questions: string[] = [];
    const prompt = (q: string): Promise<string> => {
      questions.push(q);
      return Promise.resolve('secret');
    };
    const r = await mcctl(['login', 'name=dev'], { fetch, commands, home: h, prompt });
    expect(r.code).toBe(0);
    expect(questions).toEqual(['password: ']);
    expect(seen[0]?.body).toEqual({ username: 'dev', password: 'secret' });
    expect((await stat(join(h, '.mctoken'))).mode & 0o777).toBe(0o600);
  });
});
