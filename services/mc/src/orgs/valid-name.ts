import { invalidArgument } from '@edge/errors';

/** Org names end up as registry repo names `repo-<name>`, which may not exceed 64 characters. */
const MAX_REPO_NAME = 64;
const REPO_PREFIX = 'repo-';

/** The original's ValidName rules for org names; throws the first rule broken. */
export function validateOrgName(name: string): void {
  const fail = (msg: string): never => {
    throw invalidArgument(msg);
  };
  if (!/^[a-zA-Z0-9_\-.]*$/.test(name)) fail('name can only contain letters, digits, _ . -');
  if (name === '') fail('name cannot be empty');
  if (name.startsWith('.')) fail("Name cannot start with '.'");
  if (name.startsWith('-')) fail("Name cannot start with '-'");
  if (name.endsWith('.')) fail("Name cannot end with '.'");
  if (name.includes('::')) fail('Name cannot contain ::');
  if (name.includes('&')) fail('Name cannot contain &');
  if (name.endsWith('.git')) fail("Name cannot end with '.git'");
  if (name.endsWith('.atom')) fail("Name cannot end with '.atom'");
  if (name.endsWith('-cache')) fail("Name cannot end with '-cache'");
  if ((REPO_PREFIX + name).length > MAX_REPO_NAME) fail('Name too long');
}
