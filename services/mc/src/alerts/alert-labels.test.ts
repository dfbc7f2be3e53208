import { create } from '@bufbuild/protobuf';
import { edgeproto } from '@edge/proto';
import { isInternalAlert, severityForAlert, toPostableAlert } from './alert-labels';
import { alertRefreshInterval } from './alert-pusher';

describe('alerts sent to Alertmanager', () => {
  it('keeps internal alerts in the platform', () => {
    expect(isInternalAlert({ alertname: 'AutoScaleUp' })).toBe(true);
    expect(isInternalAlert({ alertname: 'AutoProvUndeploy' })).toBe(true);
    for (const n of ['AppInstDown', 'CloudletDown', 'CloudletResourceUsage', 'ClusterSvcAppInstFailure'])
      expect(isInternalAlert({ alertname: n })).toBe(false);
    expect(isInternalAlert({ alertname: 'HighCpu', type: 'UserDefined' })).toBe(false);
  });

  it('defaults severity by name', () => {
    expect(severityForAlert('CloudletResourceUsage')).toBe('warning');
    expect(severityForAlert('CloudletDown')).toBe('error');
    expect(severityForAlert('Other')).toBe('info');
  });

  it('strips instance/job/type, adds region and severity, keeps annotations and start', () => {
    const a = create(edgeproto.AlertSchema, {
      labels: { alertname: 'HighCpu', type: 'UserDefined', instance: 'i', job: 'j', apporg: 'dev' },
      annotations: { title: 't' },
      activeAt: { seconds: 1_700_000_000n, nanos: 5_000_000 },
    });
    const ends = new Date(1_700_000_300_000);
    expect(toPostableAlert(a, 'EU', ends)).toEqual({
      labels: { alertname: 'HighCpu', apporg: 'dev', region: 'EU', severity: 'info' },
      annotations: { title: 't' },
      startsAt: '2023-11-14T22:13:20.005Z',
      endsAt: ends.toISOString(),
    });
    const withSeverity = create(edgeproto.AlertSchema, {
      labels: { alertname: 'CloudletDown', severity: 'warning', region: 'US' },
    });
    expect(toPostableAlert(withSeverity, 'EU', ends)?.labels).toEqual({
      alertname: 'CloudletDown',
      severity: 'warning',
      region: 'US',
    });
    expect(
      toPostableAlert(create(edgeproto.AlertSchema, { labels: { alertname: 'AutoScaleUp' } }), 'EU', ends),
    ).toBeUndefined();
  });

  it('refreshes every 30 s or a third of the resolve timeout', () => {
    expect(alertRefreshInterval(180_000)).toBe(30_000);
    expect(alertRefreshInterval(3_000)).toBe(1_000);
  });
});
