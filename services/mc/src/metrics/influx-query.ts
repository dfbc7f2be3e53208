import { invalidArgument } from '@edge/errors';

/** One series of an InfluxDB 1.x answer. */
export interface InfluxSeries {
  readonly name: string;
  readonly tags?: Record<string, string>;
  readonly columns: string[];
  readonly values: unknown[][];
}

/** One statement's result as the original MC answers it (Go client `Result`). */
export interface InfluxResult {
  readonly Series: InfluxSeries[] | null;
  readonly Messages: null;
}

/** Quotes an InfluxQL string literal. */
export const influxString = (s: string): string => `'${s.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;

/** Runs `;`-separated statements on `db` of the InfluxDB at `baseUrl`; one result per statement. */
export async function queryInflux(
  baseUrl: string,
  db: string,
  statements: string[],
): Promise<InfluxResult[]> {
  if (!baseUrl) throw invalidArgument('InfluxDB address not set for region');
  const url = new URL('/query', baseUrl);
  url.searchParams.set('db', db);
  url.searchParams.set('q', statements.join(';'));
  const res = await fetch(url, { method: 'POST' });
  const body = (await res.json()) as {
    error?: string;
    results?: { series?: InfluxSeries[]; error?: string }[];
  };
  if (body.error) throw invalidArgument(body.error);
  return (body.results ?? []).map((r) => {
    if (r.error) throw invalidArgument(r.error);
    return { Series: r.series ?? null, Messages: null };
  });
}
