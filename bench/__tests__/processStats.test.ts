import { cpuMilliseconds } from '../processStats';

/**
 * The benchmark's CPU figures come from /proc/<pid>/stat (it reads other processes); here they are
 * checked against Node's own account of this process, so a misread field cannot pass unnoticed.
 */
test("a process's CPU time from /proc agrees with Node's own count", () => {
  const procBefore = cpuMilliseconds(process.pid);
  const nodeBefore = process.cpuUsage();
  let spent = 0;
  // Busy until Node counts 300 ms of CPU: on a shared machine wall time says little.
  while (spent < 300_000) {
    const used = process.cpuUsage(nodeBefore);
    spent = used.user + used.system;
  }
  const procSpent = cpuMilliseconds(process.pid) - procBefore;
  // /proc counts in clock ticks (10 ms), and other threads (GC) of this process add a little.
  expect(procSpent).toBeGreaterThanOrEqual(280);
  expect(procSpent).toBeLessThan(500);
});

test('a process that does not exist reads as not a number', () => {
  expect(cpuMilliseconds(2 ** 31 - 1)).toBeNaN();
});
