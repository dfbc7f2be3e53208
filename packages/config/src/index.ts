export { loadConfig, type ConfigSources } from './load';
export { duration, flag, hostPort, hostPortList } from './types';
export { z } from 'zod';
