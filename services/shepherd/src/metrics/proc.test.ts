import {
  cpuBusyPercent,
  parseCpuTotals,
  parseMeminfo,
  parseNetDev,
  parseNetTcp,
  parsePidStat,
  parseRssBytes,
  parseSnmp,
  pidOf,
} from './proc';

describe('/proc parsers', () => {
  it('reads CPU ticks and start of a process, whatever its command name', () => {
    const stat = '4242 (my (odd) app) S 1 4242 4242 0 -1 4194560 100 0 0 0 250 50 0 0 20 0 1 0 12345 1000 10';
    expect(parsePidStat(stat)).toEqual({ ticks: 300, startTicks: 12345 });
    expect(parsePidStat('garbage')).toBeUndefined();
  });

  it('reads the resident set size in bytes', () => {
    expect(parseRssBytes('Name:\tnode\nVmRSS:\t   51200 kB\nThreads: 7\n')).toBe(51200 * 1024);
    expect(parseRssBytes('Name:\tkthread\n')).toBeUndefined();
  });

  it('reads local ports, states and inodes of /proc/net/tcp', () => {
    const text = [
      '  sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode',
      '   0: 0100007F:1F90 00000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 1111 1 0 100 0 0 10 0',
      '   1: 0100007F:1F90 0100007F:D2F0 01 00000000:00000000 00:00000000 00000000     0        0 2222 1 0 20 4 30 10 -1',
      '',
    ].join('\n');
    expect(parseNetTcp(text)).toEqual([
      { localPort: 8080, state: '0A', inode: '1111' },
      { localPort: 8080, state: '01', inode: '2222' },
    ]);
  });

  it('computes host CPU use between two samples', () => {
    const a = parseCpuTotals('cpu  100 0 100 700 100 0 0 0 0 0\ncpu0 1 2 3 4\n');
    const b = parseCpuTotals('cpu  200 0 200 1400 200 0 0 0 0 0\n');
    expect(a).toEqual({ total: 1000, idle: 800 });
    expect(cpuBusyPercent(undefined, a!)).toBeCloseTo(20);
    expect(cpuBusyPercent(a, b!)).toBeCloseTo(20);
  });

  it('reads memory, interface and protocol counters', () => {
    expect(parseMeminfo('MemTotal:  1000 kB\nMemFree: 100 kB\nMemAvailable:  250 kB\n')).toEqual({
      total: 1000 * 1024,
      available: 250 * 1024,
    });
    const dev = [
      'Inter-|   Receive                                                |  Transmit',
      ' face |bytes    packets errs drop fifo frame compressed multicast|bytes    packets errs drop fifo colls carrier compressed',
      '    lo: 999 1 0 0 0 0 0 0 999 1 0 0 0 0 0 0',
      '  eth0: 100 1 0 0 0 0 0 0 40 1 0 0 0 0 0 0',
      '  eth1: 1 1 0 0 0 0 0 0 2 1 0 0 0 0 0 0',
    ].join('\n');
    expect(parseNetDev(dev)).toEqual({ recv: 101, sent: 42 });
    const snmp = 'Tcp: CurrEstab RetransSegs\nTcp: 5 7\nUdp: InDatagrams InErrors\nUdp: 3 1\n';
    expect(parseSnmp(snmp, 'Tcp')).toEqual({ CurrEstab: 5, RetransSegs: 7 });
    expect(parseSnmp(snmp, 'Udp')).toEqual({ InDatagrams: 3, InErrors: 1 });
  });

  it('knows a local-platform container id', () => {
    expect(pidOf('pid-1234')).toBe(1234);
    expect(pidOf('docker-abc')).toBeUndefined();
  });
});
