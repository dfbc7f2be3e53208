import { formatOutput } from './output';

const orgs = [
  { Name: 'dev', Type: 'developer' },
  { Name: 'op', Type: 'operator', Address: 'x' },
];

describe('formatOutput', () => {
  it('renders yaml, json, json-compact and table', () => {
    expect(formatOutput(orgs, 'yaml')).toBe(
      '- Name: dev\n  Type: developer\n- Name: op\n  Type: operator\n  Address: x\n',
    );
    expect(formatOutput({ key: { name: 'a', version: '1.0' } }, 'yaml')).toBe(
      'key:\n  name: a\n  version: "1.0"\n',
    );
    expect(formatOutput(orgs[0], 'json')).toBe('{\n  "Name": "dev",\n  "Type": "developer"\n}\n');
    expect(formatOutput(orgs, 'json-compact')).toBe(
      '[{"Name":"dev","Type":"developer"},{"Name":"op","Type":"operator","Address":"x"}]\n',
    );
    expect(formatOutput(orgs, 'table')).toBe(
      'NAME  TYPE       ADDRESS\ndev   developer\nop    operator   x\n',
    );
  });
});
