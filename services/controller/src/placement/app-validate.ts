import { invalidArgument } from '@edge/errors';
import { dme, edgeproto } from '@edge/proto';
import { parseAppPorts } from './app-ports';
import {
  DEPLOYMENT_DOCKER,
  DEPLOYMENT_HELM,
  DEPLOYMENT_KUBERNETES,
  DEPLOYMENT_VM,
  VALID_APP_DEPLOYMENTS,
} from './names';

const IT = edgeproto.ImageType;
const HELM_YAML = 'helmCustomizationYaml';
const ENV_YAML = 'envVarsYaml';
const CONFIG_KINDS = new Set([HELM_YAML, 'appAccessCustomization', ENV_YAML]);
/** The deployment generator the original uses for Kubernetes Apps without a manifest. */
export const KUBERNETES_BASIC = 'kubernetes-basic';

function defaultDeployment(t: edgeproto.ImageType): string {
  if (t === IT.DOCKER) return DEPLOYMENT_KUBERNETES;
  if (t === IT.QCOW) return DEPLOYMENT_VM;
  if (t === IT.HELM) return DEPLOYMENT_HELM;
  throw invalidArgument(`unknown image type IMAGE_TYPE_${IT[t]}`);
}

function imageTypeFor(deployment: string): edgeproto.ImageType {
  if (deployment === DEPLOYMENT_DOCKER || deployment === DEPLOYMENT_KUBERNETES) return IT.DOCKER;
  if (deployment === DEPLOYMENT_HELM) return IT.HELM;
  return IT.UNKNOWN;
}

function validForImage(t: edgeproto.ImageType, d: string): boolean {
  if (t === IT.DOCKER) return d === DEPLOYMENT_KUBERNETES || d === DEPLOYMENT_DOCKER;
  if (t === IT.QCOW || t === IT.OVF) return d === DEPLOYMENT_VM;
  if (t === IT.HELM) return d === DEPLOYMENT_HELM;
  return false;
}

function validateConfigs(configs: readonly edgeproto.ConfigFile[], deployment: string): void {
  for (const c of configs)
    if (!CONFIG_KINDS.has(c.kind)) throw invalidArgument(`Invalid Config Kind - ${c.kind}`);
  for (const c of configs) {
    const invalid =
      (c.kind === HELM_YAML && deployment !== DEPLOYMENT_HELM) ||
      (c.kind === ENV_YAML && deployment !== DEPLOYMENT_KUBERNETES);
    if (invalid) throw invalidArgument(`Invalid Config Kind(${c.kind}) for deployment type(${deployment})`);
    if (c.config === '') throw invalidArgument(`Empty config for config kind ${c.kind}`);
  }
}

/** Image path defaults and clean-up; TODO(config): the original's registry and artifactory FQDN flags. */
function imagePath(app: edgeproto.App): void {
  if (app.imagePath === '') {
    const noRegistry =
      'No image path specified and no default registryFQDN to fall back upon. Please specify the image path';
    if (app.imageType === IT.DOCKER && app.deploymentManifest === '') throw invalidArgument(noRegistry);
    if (app.imageType === IT.QCOW) {
      if (app.md5sum === '') throw invalidArgument('md5sum should be provided if imagepath is not specified');
      throw invalidArgument(
        'No image path specified and no default artifactoryFQDN to fall back upon. Please specify the image path',
      );
    }
    if (app.deployment === DEPLOYMENT_HELM) throw invalidArgument(noRegistry);
  }
  if (app.imageType === IT.DOCKER) app.imagePath = app.imagePath.replace(/^https?:\/\//, '');
  if ((app.imageType === IT.QCOW || app.imageType === IT.OVF) && !app.imagePath.includes('://'))
    app.imagePath = `https://${app.imagePath}`;
  if (app.imageType === IT.OVF && !app.imagePath.includes('.ovf'))
    throw invalidArgument(`image path does not specify an OVF file ${app.imagePath}, <nil>`);
}

/** skip_hc_ports must name TCP ports of access_ports (or be `all`). */
function validateSkipHcPorts(app: edgeproto.App): void {
  if (app.skipHcPorts === '' || app.skipHcPorts === 'all') return;
  const ports = parseAppPorts(app.accessPorts);
  let skip: dme.AppPort[];
  try {
    skip = parseAppPorts(app.skipHcPorts);
  } catch (e) {
    throw invalidArgument(`Cannot parse skipHcPorts: ${(e as Error).message}`);
  }
  for (const s of skip) {
    if (s.proto !== dme.LProto.TCP)
      throw invalidArgument(
        `Protocol ${dme.LProtoSchema.values.find((v) => v.number === s.proto)?.name ?? ''} unsupported for healthchecks`,
      );
    for (let n = s.internalPort; n <= (s.endPort || s.internalPort); n++) {
      const found = ports.some(
        (p) => p.proto === s.proto && p.internalPort <= n && n <= (p.endPort || p.internalPort),
      );
      if (!found) throw invalidArgument(`skipHcPort ${n} not found in accessPorts`);
    }
  }
}

/**
 * The original's App checks that need no other object (configureApp and Validate):
 * deployment and image type (each defaulting the other), configs, access type, image
 * path, serverless and QoS settings, skip_hc_ports and access_ports syntax, default
 * flavor. Fills the defaults into `app`.
 */
export function validateApp(app: edgeproto.App): void {
  if (app.accessPorts !== '') parseAppPorts(app.accessPorts);
  if (app.templateDelimiter !== '' && app.templateDelimiter.split(' ').length !== 2)
    throw invalidArgument(
      `invalid app template delimiter ${app.templateDelimiter}, valid format '<START-DELIM> <END-DELIM>'`,
    );
  for (const c of app.configs)
    if (!CONFIG_KINDS.has(c.kind)) throw invalidArgument(`Invalid Config Kind - ${c.kind}`);
  if (app.deployment === '') app.deployment = defaultDeployment(app.imageType);
  else if (app.imageType === IT.UNKNOWN) app.imageType = imageTypeFor(app.deployment);
  if (app.deployment === DEPLOYMENT_HELM && app.deploymentManifest !== '')
    throw invalidArgument('Manifest is not used for Helm deployments. Use config files for customizations');
  if (!VALID_APP_DEPLOYMENTS.includes(app.deployment))
    throw invalidArgument(`Invalid deployment, must be one of [${VALID_APP_DEPLOYMENTS.join(' ')}]`);
  if (!validForImage(app.imageType, app.deployment))
    throw invalidArgument('Deployment is not valid for image type');
  validateConfigs(app.configs, app.deployment);
  if (app.accessType === edgeproto.AccessType.DIRECT)
    throw invalidArgument('Access Type Direct no longer supported');
  app.accessType = edgeproto.AccessType.LOAD_BALANCER;
  if (app.deployment === DEPLOYMENT_VM && app.command !== '')
    throw invalidArgument('Invalid argument, command is not supported for VM based deployments');
  imagePath(app);
  if (app.scaleWithCluster && app.deployment !== DEPLOYMENT_KUBERNETES)
    throw invalidArgument('app scaling is only supported for Kubernetes deployments');
  if (app.vmAppOsType !== edgeproto.VmAppOsType.VM_APP_OS_UNKNOWN && app.deployment !== DEPLOYMENT_VM)
    throw invalidArgument('VM App OS Type is only supported for VM deployments');
  // TODO: generate the manifest; until then only the generator is recorded
  if (
    app.deployment === DEPLOYMENT_KUBERNETES &&
    app.deploymentManifest === '' &&
    app.deploymentGenerator === ''
  )
    app.deploymentGenerator = KUBERNETES_BASIC;
  if (!app.defaultFlavor?.name) throw invalidArgument('Default flavor must be specified');
  if (app.allowServerless) {
    if (app.deployment !== DEPLOYMENT_KUBERNETES)
      throw invalidArgument('Allow serverless only supported for deployment type Kubernetes');
    if (app.scaleWithCluster) throw invalidArgument('Allow serverless does not support scale with cluster');
    if (app.deploymentGenerator !== KUBERNETES_BASIC)
      throw invalidArgument('Allow serverless only allowed for system generated manifests');
  } else if (app.serverlessConfig) {
    throw invalidArgument('Serverless config cannot be specified without allow serverless true');
  }
  if (app.qosSessionProfile === edgeproto.QosSessionProfile.QOS_NO_PRIORITY && app.qosSessionDuration > 0n)
    throw invalidArgument('QosSessionDuration cannot be specified without setting QosSessionProfile');
  validateSkipHcPorts(app);
}

/** The original's validateAutoDeployApp, for Apps with auto-provisioning policies. */
export function validateAutoDeployApp(app: edgeproto.App): void {
  if (app.accessType === edgeproto.AccessType.DIRECT)
    throw invalidArgument('For auto-provisioning or auto-clusters, App access type direct is not supported');
  if (!app.defaultFlavor?.name)
    throw invalidArgument('For auto-provisioning or auto-clusters, App must have default flavor defined');
  if (![DEPLOYMENT_KUBERNETES, DEPLOYMENT_HELM, DEPLOYMENT_DOCKER].includes(app.deployment))
    throw invalidArgument(
      'For auto-provisioning or auto-clusters, App deployment types are limited to kubernetes, helm, docker',
    );
}

/** The original's GetDockerDeployType. */
export function dockerDeployType(manifest: string): string {
  if (manifest === '') return 'docker';
  return manifest.endsWith('.zip') ? 'docker-compose-zip' : 'docker-compose';
}
