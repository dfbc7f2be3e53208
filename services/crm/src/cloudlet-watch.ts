import type { Logger } from '@edge/log';
import { dme, edgeproto } from '@edge/proto';
import type { CloudletInfoReporter } from './cloudlet-info';

const MS = dme.MaintenanceState;

/**
 * The CRM's part of a change of its Cloudlet (the original's `cloudletChanged`), compared
 * level-based with what the CloudletInfo says so that a restarted CRM acknowledges too:
 * maintenance CRM_REQUESTED is acknowledged as CRM_UNDER_MAINTENANCE, NORMAL_OPERATION_INIT
 * as NORMAL_OPERATION (DMEs send clients here again). A Cloudlet in CRM_INITOK while the
 * info is INIT is the Controller's acknowledgement of the CRM's start, logged.
 */
export function cloudletChanged(info: CloudletInfoReporter, cloudlet: edgeproto.Cloudlet, log: Logger): void {
  const cur = info.current;
  if (cur.state === dme.CloudletState.UNKNOWN) return;
  if (cloudlet.state === edgeproto.TrackedState.CRM_INITOK && cur.state === dme.CloudletState.INIT) {
    log.info('controller acknowledged the CRM start (CRM_INITOK)');
  }
  const want = cloudlet.maintenanceState;
  if (want === MS.CRM_REQUESTED && cur.maintenanceState !== MS.CRM_UNDER_MAINTENANCE) {
    log.info('cloudlet maintenance requested: CRM under maintenance');
    info.update((i) => (i.maintenanceState = MS.CRM_UNDER_MAINTENANCE));
  } else if (want === MS.NORMAL_OPERATION_INIT && cur.maintenanceState !== MS.NORMAL_OPERATION) {
    log.info('cloudlet maintenance ended: normal operation');
    info.update((i) => (i.maintenanceState = MS.NORMAL_OPERATION));
  }
}
