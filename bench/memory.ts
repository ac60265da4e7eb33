import { readFileSync } from 'node:fs';

/** This process's peak resident memory so far, in MB (getrusage's maxrss). */
export function peakRssMb(): number {
  return process.resourceUsage().maxRSS / 1024;
}

/** Another process's peak resident memory, in MB (Linux VmHWM), or null when it cannot be read. */
export function peakRssMbOf(pid: number | undefined): number | null {
  if (!pid) return null;
  try {
    const match = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return match ? Number(match[1]) / 1024 : null;
  } catch {
    return null;
  }
}
