import type { Logger } from '@edge/log';
import type { Platform } from '@edge/platform';
import { dme } from '@edge/proto';
import type { CloudletInfoReporter } from './cloudlet-info';

/**
 * The cloudlet's resource snapshot in CloudletInfo.resources_snapshot (the original's
 * vmResourceActionBegin/End and infra-resources refresh thread): refreshed when the last of
 * the running infrastructure operations ends, and periodically. Refreshes never overlap and
 * happen only while the cloudlet is READY.
 */
export class ResourceSnapshots {
  private active = 0;
  private chain: Promise<void> = Promise.resolve();
  private timer: NodeJS.Timeout | undefined;
  private stopped = false;

  constructor(
    private readonly deps: {
      readonly platform: () => Platform | undefined;
      readonly info: CloudletInfoReporter;
      readonly log: Logger;
    },
  ) {}

  /** An infrastructure operation starts. */
  begin(): void {
    this.active++;
  }

  /** An infrastructure operation ended; the last one refreshes the snapshot. */
  end(): void {
    this.active = Math.max(0, this.active - 1);
    if (this.active === 0) void this.refresh();
  }

  /** Takes a snapshot now (queued behind a running one). */
  refresh(): Promise<void> {
    this.chain = this.chain.then(() => this.take());
    return this.chain;
  }

  /** Refreshes every `intervalMs()` (read again each time, it follows Settings). */
  startPeriodic(intervalMs: () => number): void {
    const tick = (): void => {
      if (this.stopped) return;
      this.timer = setTimeout(() => {
        void this.refresh().finally(tick);
      }, intervalMs());
      this.timer.unref?.();
    };
    tick();
  }

  /** Stops the periodic refresh and waits for a running one. */
  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    await this.chain;
  }

  private async take(): Promise<void> {
    const platform = this.deps.platform();
    if (this.stopped || !platform || this.deps.info.current.state !== dme.CloudletState.READY) return;
    try {
      const snapshot = await platform.infraResources();
      this.deps.info.update((i) => (i.resourcesSnapshot = snapshot));
    } catch (err) {
      this.deps.log.warn({ err }, 'Cloudlet resource update failed');
    }
  }
}
