import { accessSync, constants, mkdirSync, statSync } from 'node:fs';
import path from 'node:path';

/**
 * Makes sure a data directory can be used before anything is started: creates it and its parents
 * (a fresh clone has no `.mash-dev/`), or refuses with a message that names the setting to change.
 */
export function ensureDataDirectory(
  dir: string,
  setting: string,
  remedy = `Set ${setting} to a folder you can write.`,
): string {
  const absolute = path.resolve(dir);
  const refuse = (why: string) =>
    new Error(`Configuration: ${setting} is "${dir}", ${why}. ${remedy}`);
  try {
    mkdirSync(absolute, { recursive: true });
  } catch (error) {
    throw refuse(`which cannot be created (${reason(error)})`);
  }
  if (!statSync(absolute).isDirectory()) throw refuse('which is a file, not a folder');
  try {
    accessSync(absolute, constants.R_OK | constants.W_OK | constants.X_OK);
  } catch {
    throw refuse('which this user cannot write');
  }
  return absolute;
}

function reason(error: unknown): string {
  const code = (error as NodeJS.ErrnoException).code;
  const reasons: Record<string, string> = {
    EACCES: 'permission denied',
    EPERM: 'permission denied',
    EEXIST: 'a file stands in its path',
    ENOTDIR: 'a file stands in its path',
    EROFS: 'the file system is read-only',
    ENOSPC: 'the disk is full',
  };
  return (code && reasons[code]) ?? (error instanceof Error ? error.message : String(error));
}
