import { silentLogger } from '@edge/log';
import type { OpContext } from '../platform';

/** An OpContext for tests that records progress as `task: …` / `step: …` lines. */
export interface RecordingContext extends OpContext {
  readonly messages: string[];
  /** Aborts the context's signal (the operation's time limit passing). */
  abort(reason?: unknown): void;
}

export function recordingContext(): RecordingContext {
  const messages: string[] = [];
  const controller = new AbortController();
  return {
    messages,
    progress: {
      task: (text) => messages.push(`task: ${text}`),
      step: (text) => messages.push(`step: ${text}`),
    },
    signal: controller.signal,
    log: silentLogger(),
    abort: (reason?: unknown) => controller.abort(reason),
  };
}
