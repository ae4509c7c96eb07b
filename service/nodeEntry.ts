import { existsSync } from 'node:fs';
import path from 'node:path';

/**
 * How to start one of this release's own programs in a child process. Compiled (`dist/`, from
 * `npm run build`) is how production runs: the run-time TypeScript compiler (@swc-node/register)
 * costs tens of MB per process and seconds of start-up. A parent running from dist/ starts its
 * children from dist/; one running from the sources (`node -r @swc-node/register`, the tests)
 * starts them from the sources, so a change is never tested against a stale build.
 */
export type Runtime = 'compiled' | 'swc';

const RUNNING_COMPILED = path.extname(__filename) === '.js';

/** The repository root, whether this file runs from service/ or dist/service/. */
export const REPOSITORY_ROOT = path.resolve(__dirname, RUNNING_COMPILED ? '../..' : '..');

/** The runtime this process itself runs on. */
export const CURRENT_RUNTIME: Runtime = RUNNING_COMPILED ? 'compiled' : 'swc';

/** Node's arguments to run a source file (`service/main.ts`) of this repository. */
export function nodeEntry(source: string, runtime: Runtime = CURRENT_RUNTIME): string[] {
  if (runtime === 'swc') return ['-r', '@swc-node/register', path.join(REPOSITORY_ROOT, source)];
  const compiled = path.join(REPOSITORY_ROOT, 'dist', source.replace(/\.ts$/, '.js'));
  if (!existsSync(compiled))
    throw new Error(`${path.relative(process.cwd(), compiled)} is missing: run npm run build.`);
  return [compiled];
}
