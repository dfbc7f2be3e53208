export { REDACT_PATHS, createLogger, silentLogger, type Logger, type LoggerConfig } from './logger';
export { TRACE_HEADER, TraceContext, newTraceId } from './trace';
export { memoryLog } from './memory-log';
