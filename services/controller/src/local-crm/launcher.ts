import { join } from 'node:path';
import type { Launcher } from './local-cloudlets';

/**
 * Runs the CRM and Shepherd of this source tree with this Node and the tsx loader (dev
 * mode and tests; a packaged install would point at its built entry points instead).
 */
export function sourceTreeLauncher(): Launcher {
  const loader = require.resolve('tsx');
  const services = join(__dirname, '..', '..', '..');
  return (service) => ({
    command: process.execPath,
    args: ['--import', loader, join(services, service, 'src', 'main.ts')],
  });
}
