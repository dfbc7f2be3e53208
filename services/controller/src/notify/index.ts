/**
 * The Controller side of the notify tree: what it replicates down (its region cache with
 * a resumable change log), the per-connection CRM cloudlet filter, and where info objects
 * and messages from children go.
 */
export { ChangeLog, type RevisionGroup } from './change-log';
export { cloudletScope, type CloudletScope } from './cloudlet-scope';
export { connectionPolicy, defaultPolicy, type ConnectionHello } from './connection-policy';
export { crmPolicy, type CrmPolicy, type CrmPolicyOptions, type PolicyDeps } from './crm-policy';
export { replayHistory, type HistoryReplay, type HistoryReplayOptions } from './history-replay';
export { ControllerNotifySink, type NotifySinkDeps } from './notify-sink';
export {
  controllerNotifyServer,
  type ControllerNotifyServer,
  type ControllerNotifyServerOptions,
} from './notify-server';
export { RegionReplicationSource, type HistoryOptions, type RegionSourceOptions } from './region-source';
export { replicatedTypes, sendOrder } from './send-order';
