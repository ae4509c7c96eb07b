import { composeServices } from '@apollo/composition';
import { mkdtempSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parse, validate } from 'graphql';
import { SUBGRAPHS } from '../../subgraphs';
import {
  buildManifest,
  MANIFEST_FILE,
  manifestText,
  operationFromFile,
  sha256,
} from '../persistedQueryManifest';

describe('the registered operations’ manifest', () => {
  it('is the one the .graphql files make (npm run operations:manifest)', () => {
    expect(readFileSync(MANIFEST_FILE, 'utf8')).toBe(manifestText(buildManifest()));
  });

  it('holds each operation under the SHA-256 of its body, as Apollo’s persisted queries send it', () => {
    const { format, version, operations } = buildManifest();
    expect([format, version]).toEqual(['apollo-persisted-query-manifest', 1]);
    expect(operations.length).toBeGreaterThan(1);
    for (const operation of operations) expect(operation.id).toBe(sha256(operation.body));
  });

  it('every registered operation is valid against the gateway’s API', async () => {
    const composed = composeServices(
      await Promise.all(
        SUBGRAPHS.map(async (s) => ({
          name: s.name,
          url: `http://${s.name}`,
          typeDefs: parse((await s.buildSchema()).sdl),
        })),
      ),
    );
    const api = composed.schema!.toAPISchema().toGraphQLJSSchema();
    const problems = buildManifest().operations.flatMap((o) =>
      validate(api, parse(o.body)).map((e) => `${o.name}: ${e.message}`),
    );
    expect(problems).toEqual([]);
  }, 60_000);

  it('ignores comments and layout: the registered body is the printed operation', () => {
    const a = operationFromFile('A.graphql', '# why\nquery A { cases { totalCount } }');
    const b = operationFromFile('A.graphql', 'query A {\n  cases {\n totalCount }\n}\n');
    expect(a).toEqual(b);
  });

  it.each([
    [
      'two operations',
      'Two.graphql',
      'query Two { cases { totalCount } } query Three { cases { totalCount } }',
    ],
    ['an anonymous operation', 'Anonymous.graphql', '{ cases { totalCount } }'],
    ['a name other than its file’s', 'Named.graphql', 'query Other { cases { totalCount } }'],
  ])('refuses a file with %s', (_what, file, text) => {
    expect(() => operationFromFile(file, text)).toThrow(/operation/);
  });

  it('refuses two files with one operation name', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'operations-'));
    try {
      for (const folder of ['a', 'b']) {
        mkdirSync(path.join(dir, folder));
        writeFileSync(
          path.join(dir, folder, 'Same.graphql'),
          'query Same { cases { totalCount } }',
        );
      }
      expect(() => buildManifest(dir)).toThrow(/share a name: Same/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
