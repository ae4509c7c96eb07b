import path from 'node:path';
import { CURRENT_RUNTIME, nodeEntry, REPOSITORY_ROOT } from '../nodeEntry';

test('from the sources, a child runs its TypeScript through the run-time compiler', () => {
  expect(CURRENT_RUNTIME).toBe('swc');
  expect(REPOSITORY_ROOT).toBe(path.resolve(__dirname, '..', '..'));
  expect(nodeEntry('service/main.ts')).toEqual([
    '-r',
    '@swc-node/register',
    path.join(REPOSITORY_ROOT, 'service', 'main.ts'),
  ]);
});

test('compiled, a child runs from dist/, and a missing build is named with its remedy', () => {
  expect(() => nodeEntry('service/no-such-entry.ts', 'compiled')).toThrow(
    /dist\/service\/no-such-entry\.js is missing: run npm run build\./,
  );
});
