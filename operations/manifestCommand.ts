import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { buildManifest, MANIFEST_FILE, manifestText } from './persistedQueryManifest';

/**
 * `npm run operations:manifest [-- --check]`: writes `operations/persisted-query-manifest.json`
 * from the `.graphql` files under `operations/`; with --check, writes nothing and fails when the
 * committed manifest is not the one the files make (CI runs it so).
 */
function main() {
  const { values } = parseArgs({ options: { check: { type: 'boolean', default: false } } });
  const wanted = manifestText(buildManifest());
  const relative = path.relative(process.cwd(), MANIFEST_FILE);
  const current = existsSync(MANIFEST_FILE) ? readFileSync(MANIFEST_FILE, 'utf8') : null;
  if (values.check) {
    if (current !== wanted) {
      console.error(
        `${relative} is not the manifest of the operations' .graphql files: run npm run operations:manifest and commit it.`,
      );
      process.exit(1);
    }
    console.log(`${relative} is current.`);
    return;
  }
  writeFileSync(MANIFEST_FILE, wanted);
  console.log(`${relative}: ${JSON.parse(wanted).operations.length} operations.`);
}

main();
