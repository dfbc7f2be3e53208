/** Infrastructure limits of a fake cloudlet. */
export interface FakeLimits {
  readonly ramMb: number;
  readonly vcpus: number;
  readonly diskGb: number;
  readonly externalIps: number;
}

/** The original's FakeRamMax, FakeVcpusMax, FakeDiskMax, FakeExternalIpsMax. */
export const DEFAULT_FAKE_LIMITS: FakeLimits = { ramMb: 40960, vcpus: 50, diskGb: 5000, externalIps: 30 };

/**
 * Limits from, in order of precedence: explicit options, the cloudlet's env vars
 * `FAKE_RAM_MAX`, `FAKE_VCPUS_MAX`, `FAKE_DISK_MAX` (as the original reads them for QA
 * testing; non-positive or non-numeric values are ignored), the defaults.
 */
export function fakeLimits(
  envVars: Readonly<Record<string, string>>,
  overrides: Partial<FakeLimits>,
): FakeLimits {
  const fromEnv = (name: string): number | undefined => {
    const n = Number(envVars[name]);
    return Number.isInteger(n) && n > 0 ? n : undefined;
  };
  return {
    ramMb: overrides.ramMb ?? fromEnv('FAKE_RAM_MAX') ?? DEFAULT_FAKE_LIMITS.ramMb,
    vcpus: overrides.vcpus ?? fromEnv('FAKE_VCPUS_MAX') ?? DEFAULT_FAKE_LIMITS.vcpus,
    diskGb: overrides.diskGb ?? fromEnv('FAKE_DISK_MAX') ?? DEFAULT_FAKE_LIMITS.diskGb,
    externalIps: overrides.externalIps ?? DEFAULT_FAKE_LIMITS.externalIps,
  };
}
