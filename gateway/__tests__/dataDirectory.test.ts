import { existsSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { ensureDataDirectory } from '../dataDirectory';

describe('ensureDataDirectory', () => {
  let root: string;
  beforeEach(() => (root = mkdtempSync(path.join(tmpdir(), 'mash-data-dir-'))));
  afterEach(() => rmSync(root, { recursive: true, force: true }));

  it('creates a folder whose parents do not exist yet (a fresh clone has no .mash-dev/)', () => {
    const dir = path.join(root, '.mash-dev', 'audit-store');
    expect(ensureDataDirectory(dir, 'AUDIT_DATA_DIR')).toBe(dir);
    expect(statSync(dir).isDirectory()).toBe(true);
  });

  it('takes a folder that is already there, and a relative one from the working folder', () => {
    expect(ensureDataDirectory(root, 'AUDIT_DATA_DIR')).toBe(root);
    const relative = path.relative(process.cwd(), path.join(root, 'rel'));
    expect(ensureDataDirectory(relative, 'AUDIT_DATA_DIR')).toBe(path.join(root, 'rel'));
  });

  it('refuses a file where the folder should be, naming the setting', () => {
    const file = path.join(root, 'audit-store');
    writeFileSync(file, 'not a folder');
    expect(() => ensureDataDirectory(file, 'AUDIT_DATA_DIR')).toThrow(
      `Configuration: AUDIT_DATA_DIR is "${file}", which cannot be created (a file stands in its path). Set AUDIT_DATA_DIR to a folder you can write.`,
    );
  });

  it('refuses a folder under a file', () => {
    writeFileSync(path.join(root, 'file'), '');
    expect(() => ensureDataDirectory(path.join(root, 'file', 'store'), 'AUDIT_DATA_DIR')).toThrow(
      /AUDIT_DATA_DIR .* cannot be created \(a file stands in its path\)/,
    );
    expect(existsSync(path.join(root, 'file', 'store'))).toBe(false);
  });
});
