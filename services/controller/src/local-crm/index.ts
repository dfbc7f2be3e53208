export {
  LocalCloudlets,
  runsLocally,
  type Launcher,
  type LocalCloudletsDeps,
  type LocalService,
} from './local-cloudlets';
export { SupervisedProcess, type ProcessSpec, type RestartPolicy } from './supervised-process';
export { sourceTreeLauncher } from './launcher';
export { secondaryAccessKeyWriter } from './register-key';
