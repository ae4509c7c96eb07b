import { readFileSync } from 'node:fs';

/** A process's resident memory in MB, from /proc (Linux); NaN where it cannot be read. */
export function residentMegabytes(pid: number): number {
  try {
    const kb = Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))![1]);
    return Math.round(kb / 1024);
  } catch {
    return NaN;
  }
}
