/**
 * Liveness of processes this platform started, safe against pid reuse: a pid counts as
 * ours only while its start time (field 22 of /proc/<pid>/stat) is the one recorded
 * when it was spawned. Zombies count as gone.
 */
import { readFileSync, readdirSync } from 'node:fs';

interface ProcStat {
  readonly state: string;
  readonly pgrp: number;
  readonly startTime: string;
}

function readStat(pid: number): ProcStat | undefined {
  let text: string;
  try {
    text = readFileSync(`/proc/${pid}/stat`, 'utf8');
  } catch {
    return undefined;
  }
  // The command name (field 2) is in parentheses and may contain spaces.
  const fields = text.slice(text.lastIndexOf(')') + 2).split(' ');
  // fields[0] is field 3 (state), so field n is fields[n - 3].
  const state = fields[0];
  const pgrp = Number(fields[2]);
  const startTime = fields[19];
  return state && startTime ? { state, pgrp, startTime } : undefined;
}

/** Start time of a process in clock ticks since boot, undefined where /proc is missing or the pid is gone. */
export function processStartTime(pid: number): string | undefined {
  return readStat(pid)?.startTime;
}

/** Whether `pid` is a live (non-zombie) process started at `startTime` (when known). */
export function isAlive(pid: number, startTime: string | undefined): boolean {
  if (!Number.isInteger(pid) || pid <= 0) return false;
  try {
    process.kill(pid, 0);
  } catch {
    // ESRCH: gone. EPERM: it exists but is not ours to signal, so not one of our instances.
    return false;
  }
  const stat = readStat(pid);
  if (!stat) return startTime === undefined;
  if (stat.state === 'Z' || stat.state === 'X') return false;
  return startTime === undefined || stat.startTime === startTime;
}

/** Sends `signal` to the process group led by `pid`; false when there is no such group. */
export function signalGroup(pid: number, signal: NodeJS.Signals): boolean {
  try {
    process.kill(-pid, signal);
    return true;
  } catch {
    return false;
  }
}

/**
 * Live processes of the process group `pgid` started at or after `notBefore` (clock
 * ticks): what remains of an instance whose leader has died (e.g. children of `sh -c`).
 */
export function groupMembers(pgid: number, notBefore: string | undefined): number[] {
  let entries: string[];
  try {
    entries = readdirSync('/proc');
  } catch {
    return [];
  }
  const members: number[] = [];
  for (const entry of entries) {
    const pid = Number(entry);
    if (!Number.isInteger(pid) || pid <= 0) continue;
    const stat = readStat(pid);
    if (!stat || stat.pgrp !== pgid || stat.state === 'Z') continue;
    if (notBefore !== undefined && BigInt(stat.startTime) < BigInt(notBefore)) continue;
    members.push(pid);
  }
  return members;
}
