import { clone, create } from '@bufbuild/protobuf';
import type { Progress } from '@edge/platform';
import { dme, edgeproto } from '@edge/proto';
import { resetStatus, setStep, setTask } from './status';
import type { Upward } from './upward';

/**
 * The CRM's CloudletInfo: its state, platform facts, status messages and resource
 * snapshot as the Controller sees them. Each change is sent up as a new message.
 */
export class CloudletInfoReporter {
  private info: edgeproto.CloudletInfo;
  private readonly keyJson: string;

  constructor(
    private readonly upward: Upward,
    key: edgeproto.CloudletKey,
    keyJson: string,
  ) {
    this.keyJson = keyJson;
    this.info = create(edgeproto.CloudletInfoSchema, { key, state: dme.CloudletState.UNKNOWN });
  }

  /** The current info (do not change it; use `update`). */
  get current(): edgeproto.CloudletInfo {
    return this.info;
  }

  /** Changes a copy of the info and sends it up. */
  update(fn: (info: edgeproto.CloudletInfo) => void): void {
    const next = clone(edgeproto.CloudletInfoSchema, this.info);
    fn(next);
    this.info = next;
    this.upward.update(edgeproto.CloudletInfoSchema.typeName, this.keyJson, next);
  }

  /** Progress reported as the info's status tasks and steps (platform init). */
  progress(): Progress {
    return {
      task: (text) => this.update((i) => setTask(i.status ?? (i.status = resetStatus()), text)),
      step: (text) => this.update((i) => setStep(i.status ?? (i.status = resetStatus()), text)),
    };
  }
}
