export * from './gen';
export * from './registry';
