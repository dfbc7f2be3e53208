import { fromJsonString } from '@bufbuild/protobuf';
import { hostPortList, loadConfig, z, type ConfigSources } from '@edge/config';
import { edgeproto } from '@edge/proto';

/** `PLATFORM_TYPE_LOCAL`, `LOCAL` or `local` → the enum value; undefined for anything else. */
export function parsePlatformType(name: string): edgeproto.PlatformType | undefined {
  const upper = name.trim().toUpperCase();
  const full = upper.startsWith('PLATFORM_TYPE_') ? upper : `PLATFORM_TYPE_${upper}`;
  return edgeproto.PlatformTypeSchema.values.find((v) => v.name === full)?.number;
}

const cloudletKeyJson = z.string().transform((s, ctx) => {
  try {
    const key = fromJsonString(edgeproto.CloudletKeySchema, s, { ignoreUnknownFields: true });
    if (key.name && key.organization) return key;
    ctx.addIssue({ code: 'custom', message: 'expected a cloudlet key with organization and name' });
  } catch {
    ctx.addIssue({ code: 'custom', message: `expected cloudlet key JSON, got ${JSON.stringify(s)}` });
  }
  return z.NEVER;
});

const platformName = z.string().refine((s) => s === '' || parsePlatformType(s) !== undefined, {
  error: (iss) => `unknown platform ${JSON.stringify(iss.input)}`,
});

/** Shepherd options; flags use these names (`--cloudletKey=…`), env `EDGE_CLOUDLET_KEY` etc. */
export const shepherdConfigSchema = z.object({
  /** Key JSON of the cloudlet this Shepherd serves, e.g. `{"organization":"op","name":"c1"}`. */
  cloudletKey: cloudletKeyJson,
  /** Region name (label `region` of the alerts). */
  region: z.string().regex(/^\w+$/, 'expected letters, digits and _').default('local'),
  /** The CRM's notify server(s), comma-separated. */
  notifyAddrs: hostPortList().default(['127.0.0.1:51001']),
  /** PEM file of the cloudlet's ed25519 access key; signs the notify stream (as a CRM does). Empty: unsigned. */
  accessKeyFile: z.string().default(''),
  /** Platform of the cloudlet (`PLATFORM_TYPE_LOCAL` or `local`); empty: from the Cloudlet object. */
  platform: platformName.default(''),
  /** Host the health checks dial; empty: 127.0.0.1 for the fake and local platforms, else the AppInst's URI. */
  healthCheckHost: z.string().default(''),
  /** Node name in the notify tree. */
  name: z.string().default('shepherd'),
  logLevel: z.enum(['trace', 'debug', 'info', 'warn', 'error']).default('info'),
});

export type ShepherdConfig = z.infer<typeof shepherdConfigSchema>;

export function loadShepherdConfig(sources: ConfigSources): ShepherdConfig {
  return loadConfig(shepherdConfigSchema, sources);
}
