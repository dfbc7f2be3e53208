import { invalidArgument } from '@edge/errors';

/** The original's `util.ValidEmail`: something@something.something. */
export function validEmail(email: string): boolean {
  return /(.+)@(.+)\.(.+)/.test(email);
}

/**
 * The original's `ValidName` for user and org names: letters, digits, `_ . -`, LDAP-safe, no
 * leading `.`/`-`, no trailing `.`, none of `::` `&` `.git` `.atom` `-cache`, and short
 * enough for the `repo-<name>` registry name (64).
 */
export function checkValidName(name: string): void {
  const fail = (m: string): never => {
    throw invalidArgument(m);
  };
  if (!/^[a-zA-Z0-9_\-.]*$/.test(name)) fail('name can only contain letters, digits, _ . -');
  if (name === '') fail('name cannot be empty');
  if (name.startsWith(' ') || name.endsWith(' ')) fail('name cannot have leading or trailing spaces');
  if (!/^[-_0-9a-zA-Z .&,!]+$/.test(name)) fail('name does not match LDAP required format');
  if (name.startsWith('.')) fail("Name cannot start with '.'");
  if (name.startsWith('-')) fail("Name cannot start with '-'");
  if (name.endsWith('.')) fail("Name cannot end with '.'");
  if (name.includes('::')) fail('Name cannot contain ::');
  if (name.includes('&')) fail('Name cannot contain &');
  if (name.endsWith('.git')) fail("Name cannot end with '.git'");
  if (name.endsWith('.atom')) fail("Name cannot end with '.atom'");
  if (name.endsWith('-cache')) fail("Name cannot end with '-cache'");
  if (`repo-${name}`.length > 64) fail('Name too long');
}
