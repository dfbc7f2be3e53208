import { Code, EdgeError } from '@edge/errors';
import type { Logger } from '@edge/log';
import type { Platform } from '@edge/platform';
import { dme, edgeproto } from '@edge/proto';
import type { CloudletInfoReporter } from './cloudlet-info';
import { errorText } from './op-runner';

/** What platform init is told about where it runs. */
export interface PlatformInitConfig {
  readonly region: string;
  readonly dataDir: string;
  readonly appDnsRoot: string;
}

/** Message of the error a CRM exits with when its platform does not come up (the original's). */
export const PLATFORM_INIT_FAIL = 'Platform init fail';

/**
 * Brings the platform up as the original CRM does after its Cloudlet arrived: task
 * `Initializing platform`, init (its progress goes to the CloudletInfo status), gather the
 * cloudlet's flavors, availability zones, images and limits and a first resource
 * snapshot, then CloudletInfo READY (errors cleared, trust policy state). On failure the
 * info goes to ERRORS with the error, and `Platform init fail` is thrown (the CRM exits and
 * is restarted to try again).
 */
export async function initPlatform(opts: {
  /** Makes the platform (e.g. by the Cloudlet's platform type; an unsupported one fails the init). */
  platform: () => Platform | Promise<Platform>;
  /** Receives the platform as soon as it exists, so that it is closed at stop even if init fails. */
  made: (platform: Platform) => void;
  cloudlet: edgeproto.Cloudlet;
  info: CloudletInfoReporter;
  config: PlatformInitConfig;
  signal: AbortSignal;
  log: Logger;
}): Promise<Platform> {
  const { cloudlet, info, config, signal, log } = opts;
  const ctx = { progress: info.progress(), signal, log };
  ctx.progress.task('Initializing platform');
  try {
    const platform = await opts.platform();
    opts.made(platform);
    await platform.init(
      {
        cloudlet,
        region: config.region,
        dataDir: config.dataDir,
        envVars: { ...cloudlet.envVar },
        appDnsRoot: config.appDnsRoot,
        log,
      },
      ctx,
    );
    const report = await platform.gatherCloudletInfo(ctx);
    let snapshot: edgeproto.InfraResourcesSnapshot | undefined;
    try {
      snapshot = await platform.infraResources();
    } catch (err) {
      log.warn({ err }, 'Cloudlet resource update failed');
    }
    info.update((i) => {
      i.flavors = report.flavors;
      i.availabilityZones = report.availabilityZones;
      i.osImages = report.osImages;
      i.osMaxRam = report.osMaxRam;
      i.osMaxVcores = report.osMaxVcores;
      i.osMaxVolGb = report.osMaxVolGb;
      i.properties = { ...report.properties };
      if (snapshot) i.resourcesSnapshot = snapshot;
      i.errors = [];
      i.state = dme.CloudletState.READY;
      i.trustPolicyState =
        cloudlet.trustPolicy === '' ? edgeproto.TrackedState.NOT_PRESENT : edgeproto.TrackedState.READY;
    });
    log.info({ flavors: report.flavors.length }, 'platform initialized, cloudlet READY');
    return platform;
  } catch (err) {
    info.update((i) => {
      i.errors = [...i.errors, errorText(err)];
      i.state = dme.CloudletState.ERRORS;
    });
    log.error({ err }, PLATFORM_INIT_FAIL);
    throw new EdgeError(Code.UNAVAILABLE, PLATFORM_INIT_FAIL, { cause: err });
  }
}
