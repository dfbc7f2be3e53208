/**
 * The logging the SDK does, structurally a subset of pino's `Logger`, so apps can pass
 * `log.child({component: 'sdk'})` while browsers pass nothing (or a console adapter).
 */
export interface SdkLogger {
  debug(obj: object, msg?: string): void;
  info(obj: object, msg?: string): void;
  warn(obj: object, msg?: string): void;
}

/** A logger that drops everything: the default. */
export function quietLogger(): SdkLogger {
  const drop = (): void => {};
  return { debug: drop, info: drop, warn: drop };
}
