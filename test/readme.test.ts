import { composeServices } from '@apollo/composition';
import { ApolloServerErrorCode } from '@apollo/server/errors';
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import {
  GraphQLSchema,
  isEnumType,
  isInputObjectType,
  isObjectType,
  isInterfaceType,
  parse,
  validate,
} from 'graphql';
import type { EmbeddedSystem } from '../gateway/embeddedSystem';
import { loadConfig } from '../gateway/config';
import { DevelopmentIdentity } from '../gateway/authentication';
import { Role } from '../policies/roles';
import { SUBGRAPHS } from '../subgraphs';
import { AGENCIES } from '../subgraphs/agencies';
import { Case } from '../subgraphs/mash/entities/case';
import { LIMIT_CODES } from '../gateway/queryLimits';
import { MASH_TEAMS } from '../subgraphs/mash/data';
import { DEFAULT_POPULATION } from '../synthetic/population';
import { GraphQLBody, postGraphQL, requestHeaders } from './graphqlClient';
import {
  Block,
  Caller,
  CODE_SHAPE,
  fencedBlocks,
  flagsOf,
  inlineCode,
  npmInvocations,
  Operation,
  operations,
  prose,
  readmeText,
  REPO,
  shellCommands,
} from './readmeExamples';
import { startTestSystem, testDatabase } from './testSystem';

/**
 * The README is proven by running it: every GraphQL block and shell command in it runs against the
 * embedded system, every sample output is compared with a run or marked abridged, and every
 * script, flag, code and field it names exists. Read from README.md itself, so the file and this
 * test cannot disagree. The README describes the embedded demo, so this runs there only.
 */
const exec = promisify(execFile);
const README = readmeText();
const BLOCKS = fencedBlocks(README);
const PACKAGE = JSON.parse(fs.readFileSync(path.join(REPO, 'package.json'), 'utf8')) as {
  scripts: Record<string, string>;
};
const onEmbedded = testDatabase() === 'embedded';
if (!onEmbedded)
  console.log(
    'README examples: run on the embedded database only (the README describes `npm start`).',
  );
const suite = onEmbedded ? describe : describe.skip;

/** Commands a test cannot or need not run, by name, and why. */
const NOT_RUN: Record<string, string> = {
  start: 'the fresh-clone test starts it exactly as the README says',
  test: 'this is npm test',
  ci: 'installs packages',
  bench: 'minutes long; bench/__tests__ runs it with --quick',
  'db:setup': 'needs a PostgreSQL server (the production-mode tests cover it)',
  'db:generate-migration': 'writes migrations into the tree',
  'start:distributed': 'productionMode.test.ts starts it',
  lint: 'npm run lint is its own CI step',
  service: 'productionMode.test.ts starts services',
};
/** Commands whose output the README leans on: run them and judge what they print. */
const RUN = ['token', 'policy-matrix', 'audit', 'generate'];

// ---------------------------------------------------------------------------------------------
// What the code base has: its API schema, its error codes, its settings, its command-line flags.

let api: GraphQLSchema;
beforeAll(async () => {
  const subgraphs = await Promise.all(
    SUBGRAPHS.map(async (s) => ({
      name: s.name,
      url: `http://${s.name}`,
      typeDefs: parse((await s.buildSchema()).sdl),
    })),
  );
  const composed = composeServices(subgraphs);
  if (composed.errors) throw new Error(composed.errors.map((e) => e.message).join('\n'));
  api = composed.schema.toAPISchema().toGraphQLJSSchema();
});

function sourceFiles(dir = REPO): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    if (
      ['node_modules', '.git', 'test', '__tests__', '.mash-dev', 'coverage', 'dist'].includes(
        entry.name,
      )
    )
      return [];
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(full);
    // .mjs: the example client, whose settings the README names.
    return /\.(ts|sh|mjs)$/.test(entry.name) || full.endsWith(path.join('.ci', 'run'))
      ? [full]
      : [];
  });
}
const SOURCE = new Map(sourceFiles().map((f) => [f, fs.readFileSync(f, 'utf8')]));
const allSource = () => [...SOURCE.values()].join('\n');

/** Every `extensions.code` the gateway and subgraphs can answer with. */
function emittedCodes(): Set<string> {
  const codes = new Set<string>(Object.values(ApolloServerErrorCode));
  const text = allSource();
  for (const m of text.matchAll(/\bcode:\s*['"]([A-Z_]+)['"]/g)) codes.add(m[1]);
  for (const m of text.matchAll(/ApolloServerErrorCode\.([A-Z_]+)/g)) codes.add(m[1]);
  const denial = SOURCE.get(path.join(REPO, 'policies', 'policyDenial.ts')) ?? '';
  const union = /type DenialCode\s*=([^;]+);/.exec(denial)?.[1] ?? '';
  for (const m of union.matchAll(/'([A-Z_]+)'/g)) codes.add(m[1]);
  for (const code of Object.values(LIMIT_CODES)) codes.add(code);
  return codes;
}

/** Environment variables the code reads (settings), as `env.X` or as a quoted name in a config reader. */
function settings(): Set<string> {
  const names = new Set<string>();
  for (const [file, text] of SOURCE) {
    for (const m of text.matchAll(/\benv(?:\.|\?\.|\[['"])([A-Z][A-Z0-9_]+)/g)) names.add(m[1]);
    for (const m of text.matchAll(/\b([A-Z][A-Z0-9_]+)=/g))
      if (/\.sh$|run$/.test(file)) names.add(m[1]);
    // A file that reads the environment: its code-shaped names are the settings it reads.
    if (/process\.env|NodeJS\.ProcessEnv/.test(text)) {
      for (const m of text.matchAll(/\b([A-Z][A-Z0-9]*(?:_[A-Z0-9]+)+)\b/g)) names.add(m[1]);
    }
  }
  return names;
}

/** The API's enum values, and the policy's own terms (tiers, grounds) an IG officer reads in policies/. */
function enumValues(): Set<string> {
  const values = new Set<string>();
  for (const file of ['tier.ts', 'tiers.ts', 'consent.ts', 'roles.ts']) {
    const text = fs.readFileSync(path.join(REPO, 'policies', file), 'utf8');
    for (const m of text.matchAll(/['"]([A-Z][A-Z0-9]*(?:_[A-Z0-9]+)+)['"]/g)) values.add(m[1]);
  }
  for (const type of Object.values(api.getTypeMap())) {
    if (isEnumType(type)) for (const v of type.getValues()) values.add(v.name);
  }
  // The chronology's fixed event kinds, as the agencies declare them (`events` in each policy.ts).
  for (const { policy } of AGENCIES)
    for (const source of policy.events ?? [])
      if ('fixed' in source.kind) values.add(source.kind.fixed);
  return values;
}

/**
 * The entry file of an npm script: `node -r @swc-node/register gateway/start.ts` → gateway/start.ts;
 * a compiled one, `node dist/service/main.js` → service/main.ts, the source it is built from.
 */
function entryFile(script: string): string {
  const command = PACKAGE.scripts[script] ?? '';
  const file =
    /\s([\w/.-]+\.ts)\b/.exec(command)?.[1] ??
    /\sdist\/([\w/.-]+)\.js\b/.exec(command)?.[1]?.concat('.ts');
  if (!file) throw new Error(`npm run ${script} runs no TypeScript file of this repository.`);
  return path.join(REPO, file);
}

/** The entry file and the repository files it imports directly: where its options are declared. */
function commandSources(script: string): string[] {
  const entry = entryFile(script);
  const text = fs.readFileSync(entry, 'utf8');
  const imports = [...text.matchAll(/from '(\.{1,2}\/[^']+)'/g)]
    .map((m) => path.resolve(path.dirname(entry), `${m[1]}.ts`))
    .filter((f) => fs.existsSync(f));
  return [entry, ...imports];
}

/** The flags a command declares to parseArgs and the text it shows people as its usage. */
function commandInterface(script: string): { declared: Set<string>; usage: string } {
  const declared = new Set<string>();
  const printed: string[] = [];
  const documented: string[] = [];
  for (const file of commandSources(script)) {
    const text = fs.readFileSync(file, 'utf8');
    const options = /parseArgs\(\{[\s\S]*?options:\s*\{([\s\S]*?)\}\s*,?\s*\}\)/.exec(text)?.[1];
    if (options)
      for (const m of options.matchAll(/['"]?([a-z][\w-]*)['"]?:\s*\{\s*type/g))
        declared.add(`--${m[1]}`);
    // Its usage: the "Usage:" message it prints, else its doc comments that describe options.
    printed.push(...[...text.matchAll(/Usage:[^`'"]*?(npm [^`'"\n]+)/g)].map((m) => m[1]));
    documented.push(
      ...[...text.matchAll(/\/\*\*[\s\S]*?\*\//g)]
        .map((m) => m[0])
        .filter((c) => /--[a-z]/.test(c)),
    );
  }
  return { declared, usage: (printed.length > 0 ? printed : documented).join(' ') };
}

/** Every command line the README shows: its shell blocks and its inline `npm …` code. */
function readmeCommands(): { command: string; where: string }[] {
  const fromBlocks = BLOCKS.filter((b) => b.lang === 'sh').flatMap((b) =>
    shellCommands(b.body).map((command) => ({ command, where: `sh block at line ${b.line}` })),
  );
  const fromProse = inlineCode(README)
    .filter(
      (code) => /^(?:export .*&& )?npm /.test(code) || /\bnpm (run|start|test|ci)\b/.test(code),
    )
    .map((command) => ({ command, where: 'inline' }));
  return [...fromBlocks, ...fromProse];
}

describe('the README names only what the system has', () => {
  it('every `npm run X` is a script in package.json', () => {
    const scripts = readmeCommands().flatMap(({ command, where }) =>
      npmInvocations(command).map((n) => ({ ...n, where })),
    );
    expect(scripts.length).toBeGreaterThan(5);
    const builtIn = ['start', 'test', 'ci'];
    // `npm run start:<agency>` stands for each agency's script.
    const expanded = scripts.flatMap((s) =>
      s.script.includes('<agency>')
        ? SUBGRAPHS.map((g) => ({ ...s, script: s.script.replace('<agency>', g.name) }))
        : [s],
    );
    const unknown = expanded.filter(
      (s) => !builtIn.includes(s.script) && !(s.script in PACKAGE.scripts),
    );
    // npm start and npm test are scripts too: they must be defined, not npm's defaults.
    const undefinedBuiltIns = scripts.filter(
      (s) => ['start', 'test'].includes(s.script) && !(s.script in PACKAGE.scripts),
    );
    expect([...unknown, ...undefinedBuiltIns].map((s) => `${s.text} (${s.where})`)).toEqual([]);
  });

  it('every --flag given to a command is declared by it and shown in its usage text', () => {
    const problems: string[] = [];
    for (const { command } of readmeCommands()) {
      for (const { script, args, text } of npmInvocations(command)) {
        if (['test', 'ci', 'lint', 'typecheck', 'format'].includes(script)) continue;
        const flags = flagsOf(args);
        if (flags.length === 0) continue;
        const { declared, usage } = commandInterface(script);
        for (const flag of flags) {
          if (!declared.has(flag))
            problems.push(`${text}: npm run ${script} has no option ${flag}`);
          else if (!usage.includes(flag))
            problems.push(
              `${text}: ${flag} is missing from npm run ${script}'s usage text (${usage.trim()})`,
            );
        }
      }
    }
    expect(problems).toEqual([]);
  });

  it('every --flag anywhere in the README is an option of some command', () => {
    const everywhere = new Set<string>();
    for (const script of Object.keys(PACKAGE.scripts)) {
      try {
        for (const f of commandInterface(script).declared) everywhere.add(f);
      } catch {
        // A script that runs no file of ours (tsc, eslint, jest) declares nothing here.
      }
    }
    const shown = [
      ...new Set([...prose(README).matchAll(/`[^`]*?(--[a-z][\w-]*)/g)].map((m) => m[1])),
    ];
    // Flags of other tools the README quotes (node's, npm's, jest's).
    const others = ['--experimental-vm-modules', '--testPathIgnorePatterns'];
    expect(shown.filter((f) => !everywhere.has(f) && !others.includes(f))).toEqual([]);
  });

  it('every code-shaped word in inline code is an error code the system emits, an enum value or a setting', () => {
    const codes = emittedCodes();
    const enums = enumValues();
    const env = settings();
    const words = new Set(
      inlineCode(README).flatMap((code) =>
        [...code.matchAll(/\b[A-Z][A-Z0-9]*(?:_[A-Z0-9]+)+\b/g)].map((m) => m[0]),
      ),
    );
    for (const block of BLOCKS.filter((b) => b.lang !== 'graphql' && b.lang !== 'sh')) {
      for (const m of block.body.matchAll(/\b[A-Z][A-Z0-9]*(?:_[A-Z0-9]+)+\b/g)) words.add(m[0]);
    }
    // Node's own settings the README mentions.
    const node = ['NODE_OPTIONS', 'NODE_EXTRA_CA_CERTS'];
    const unknown = [...words].filter(
      (w) =>
        CODE_SHAPE.test(w) && !codes.has(w) && !enums.has(w) && !env.has(w) && !node.includes(w),
    );
    expect(unknown).toEqual([]);
  });

  it('every operation named with its arguments, `field(a, b)`, is a root field with those arguments', () => {
    const roots = { ...api.getQueryType()!.getFields(), ...api.getMutationType()!.getFields() };
    const calls = inlineCode(README)
      .map((code) => /^(\w+)\(([^)]*)\)$/.exec(code))
      .filter(
        (m): m is RegExpExecArray =>
          m !== null && /^[a-z]/.test(m[1]) && !['import'].includes(m[1]),
      );
    expect(calls.length).toBeGreaterThan(5);
    const problems = calls.flatMap(([text, name, args]) => {
      const field = roots[name];
      if (!field) return [`${text}: no query or mutation ${name}`];
      const known = field.args.map((a) => a.name);
      return args
        .split(',')
        .map((a) => a.split(':')[0].trim())
        .filter((a) => a && !known.includes(a))
        .map((a) => `${text}: ${name} has no argument ${a} (it has ${known.join(', ')})`);
    });
    expect(problems).toEqual([]);
  });

  it('every field named in inline code exists somewhere in the API, or in the code base', () => {
    const names = new Set<string>();
    for (const type of Object.values(api.getTypeMap())) {
      if (isObjectType(type) || isInterfaceType(type) || isInputObjectType(type)) {
        for (const [name, field] of Object.entries(type.getFields())) {
          names.add(name);
          if ('args' in field) for (const a of field.args) names.add(a.name);
        }
      }
    }
    const code = `${allSource()}${fs.readFileSync(path.join(REPO, 'tsconfig.json'), 'utf8')}`;
    // Programs the README names (PostgreSQL's initdb).
    const programs = ['initdb'];
    const identifiers = inlineCode(README).filter((c) => /^[a-z][a-zA-Z]+$/.test(c));
    expect(
      identifiers.filter(
        (id) => !names.has(id) && !programs.includes(id) && !new RegExp(`\\b${id}\\b`).test(code),
      ),
    ).toEqual([]);
  });

  it('inline GraphQL selections are valid against the API', () => {
    const selections = inlineCode(README).filter(
      (c) => /^\{.*\}$/.test(c) || /^\w+ \{.*\}$/.test(c),
    );
    expect(selections.length).toBeGreaterThan(0);
    const problems = selections.flatMap((selection) => {
      // A bare `police { … }` is a selection on a case's subject.
      const document = selection.startsWith('{')
        ? selection
        : `{ caseByReference(reference: "x") { subjects { ${selection} } } }`;
      return validate(api, parse(document)).map((e) => `${selection}: ${e.message}`);
    });
    expect(problems).toEqual([]);
  });

  it('every block is code that runs, an output compared with a run, or marked abridged', () => {
    const unjudged = BLOCKS.filter(
      (b) => !['graphql', 'sh'].includes(b.lang) && !sampleCheck(b),
    ).map((b) => `line ${b.line}: ${b.body.split('\n')[0]}`);
    expect(unjudged).toEqual([]);
  });

  it('every GraphQL block says as whom it runs and validates against the API', () => {
    const graphql = BLOCKS.filter((b) => b.lang === 'graphql');
    expect(graphql.length).toBeGreaterThan(1);
    const problems = graphql.flatMap((b) => {
      try {
        return operations(b).flatMap((op) =>
          validate(api, parse(fillPlaceholders(op.document, 'MASH-2026-000001', 'x'))).map(
            (e) => `line ${op.line}: ${e.message}`,
          ),
        );
      } catch (error) {
        return [(error as Error).message];
      }
    });
    expect(problems).toEqual([]);
  });
});

// ---------------------------------------------------------------------------------------------
// Sample outputs: which ones a run checks, and how.

type SampleKind = 'abridged' | 'answer' | 'policy-matrix' | 'banner' | 'diagram';
function sampleCheck(block: Block): SampleKind | null {
  const first = block.body.split('\n')[0].trim();
  if (/^…\s*abridged\b/i.test(first) || /^#\s*…\s*abridged\b/i.test(first)) return 'abridged';
  if (block.lang === 'json' && /"roleInHousehold"/.test(first)) return 'answer';
  if (/^role\s+purpose\b/.test(first)) return 'policy-matrix';
  if (/^mash-gateway is running/.test(first)) return 'banner';
  if (/──▶/.test(first)) return 'diagram';
  return null;
}

function fillPlaceholders(document: string, caseReference: string, subjectId: string): string {
  return document.replaceAll('<case>', caseReference).replaceAll('<subject id>', subjectId);
}

/** `shown` (the README's abbreviated value) is part of `real`: every key it shows, with its value. */
function differencesFrom(shown: unknown, real: unknown, at = ''): string[] {
  if (Array.isArray(shown)) {
    if (!Array.isArray(real))
      return [`${at}: README shows a list, the answer has ${JSON.stringify(real)}`];
    return shown.flatMap((item, i) =>
      real.some((r) => differencesFrom(item, r).length === 0)
        ? []
        : [
            `${at}[${i}]: README shows ${JSON.stringify(item)}; the answer has ${JSON.stringify(real)}`,
          ],
    );
  }
  if (shown && typeof shown === 'object') {
    if (!real || typeof real !== 'object')
      return [`${at}: README shows an object, the answer has ${JSON.stringify(real)}`];
    return Object.entries(shown).flatMap(([key, value]) =>
      key in real
        ? differencesFrom(value, (real as Record<string, unknown>)[key], `${at}.${key}`)
        : [`${at}.${key}: no such field in the answer`],
    );
  }
  return shown === real
    ? []
    : [`${at}: README shows ${JSON.stringify(shown)}, the answer has ${JSON.stringify(real)}`];
}

/** The README's abbreviated JSON (with `...`) as JSON: the elisions removed. */
function abbreviatedJson(text: string): unknown {
  const cleaned = text
    .replace(/,\s*(\.\.\.|…)\s*/g, ' ')
    .replace(/(\.\.\.|…)\s*,?/g, '')
    .replace(/,(\s*[}\]])/g, '$1');
  return JSON.parse(cleaned);
}

// ---------------------------------------------------------------------------------------------
// Against the running system.

suite('the README, run against the embedded system', () => {
  let system: EmbeddedSystem;
  let subjectId: string;
  /** The same person each time the README says "the manager". */
  const people = new Map<Role, DevelopmentIdentity>();

  beforeAll(async () => {
    // The README's references (MASH-2026-000003, the new case's number) are the default demo's.
    system = await startTestSystem({
      port: 0,
      seed: DEFAULT_POPULATION.seed,
      families: DEFAULT_POPULATION.families,
      subgraphTimeoutMs: 5000,
      auditDataDir: null,
    });
    const headers = await requestHeaders(
      { userId: 'readme.setup', role: Role.MASH_MANAGER, team: system.exampleTeam },
      'AGENCY_CHECK' as never,
      system.exampleCaseReference,
    );
    const { body } = await postGraphQL(
      system.gateway.url,
      `{ caseByReference(reference: "${system.exampleCaseReference}") { subjects { id } } }`,
      undefined,
      headers,
    );
    subjectId = body.data.caseByReference.subjects[0].id;
  }, 120_000);
  afterAll(() => system?.stop());

  async function teamOf(caseReference: string | null): Promise<string> {
    if (!caseReference) return MASH_TEAMS[0];
    const hub = system.subgraphs.find((s) => s.name === 'mash')!.database.dataSource;
    const found = await hub.getRepository(Case).findOneBy({ reference: caseReference });
    return found?.teams[0] ?? MASH_TEAMS[0];
  }

  async function identityOf(
    caller: Caller,
    caseReference: string | null,
  ): Promise<DevelopmentIdentity> {
    const previous = people.get(caller.role);
    if (caller.same && previous && caller.role !== Role.AGENCY_RESEARCHER) return previous;
    const team =
      caller.team && caller.team !== '<team>' ? caller.team : await teamOf(caseReference);
    const who: DevelopmentIdentity = {
      userId:
        caller.userId ??
        `readme.${caller.role.toLowerCase()}${caller.agency ? `.${caller.agency}` : ''}`,
      role: caller.role,
      agency: caller.agency,
      team,
    };
    people.set(caller.role, who);
    return who;
  }

  async function run(op: Operation): Promise<string[]> {
    const problems: string[] = [];
    for (const caller of op.callers) {
      const caseReference =
        caller.caseReference === '<case>' ? system.exampleCaseReference : caller.caseReference;
      const who = await identityOf(caller, caseReference);
      const headers = await requestHeaders(who, caller.purpose, caseReference);
      const document = fillPlaceholders(op.document, system.exampleCaseReference, subjectId);
      const { status, body } = await postGraphQL(system.gateway.url, document, undefined, headers);
      const label = `line ${op.line} (${op.as}${op.callers.length > 1 ? `: ${who.agency}` : ''})`;
      if (status !== 200) problems.push(`${label}: HTTP ${status} ${JSON.stringify(body.errors)}`);
      const codes = (body.errors ?? []).map((e) => String(e.extensions?.code));
      for (const e of body.errors ?? []) {
        if (!op.shows.includes(String(e.extensions?.code))) {
          problems.push(`${label}: ${e.extensions?.code} at ${e.path?.join('.')}: ${e.message}`);
        }
      }
      for (const code of op.shows) {
        if (!codes.includes(code))
          problems.push(`${label}: the README says it shows ${code}; it did not`);
      }
      if (!body.data || Object.values(body.data).every((v) => v === null)) {
        problems.push(`${label}: no data`);
      }
      answers.set(op, body);
    }
    return problems;
  }
  const answers = new Map<Operation, GraphQLBody>();

  it('the example case and team the README names are the default demo’s', () => {
    expect(README).toContain(system.exampleCaseReference);
    expect(README).toContain(`--team ${system.exampleTeam}`);
    expect(README).toContain(`http://localhost:${loadConfig({}, []).port}/graphql`);
  });

  it('every GraphQL block runs, in order, with no error but those it says it shows', async () => {
    const problems: string[] = [];
    for (const block of BLOCKS.filter((b) => b.lang === 'graphql')) {
      for (const op of operations(block)) problems.push(...(await run(op)));
    }
    expect(problems).toEqual([]);
  }, 120_000);

  it('the walk-through’s new case is the one the README names', () => {
    const submitted = [...answers.entries()].find(([op]) =>
      /submitReferral/.test(op.document),
    )?.[1];
    const named = /the new case is `(MASH-\d{4}-\d{6})`/.exec(README)?.[1];
    expect(named).toBeDefined();
    expect(submitted?.data?.submitReferral?.caseReference).toBe(named);
  });

  it('the example answer shown is the answer the example query gets', async () => {
    const sample = BLOCKS.find((b) => sampleCheck(b) === 'answer');
    expect(sample).toBeDefined();
    const shown = abbreviatedJson(sample!.body) as { givenName: string; familyName: string };
    const query = BLOCKS.find((b) => b.lang === 'graphql' && /caseByReference/.test(b.body))!;
    const op = operations(query)[0];
    const caller = op.callers[0];
    const headers = await requestHeaders(
      {
        userId: 'readme.answer',
        role: caller.role,
        agency: caller.agency,
        team: system.exampleTeam,
      },
      caller.purpose,
      system.exampleCaseReference,
    );
    const { body } = await postGraphQL(system.gateway.url, op.document, undefined, headers);
    const subjects = body.data.caseByReference.subjects as Record<string, unknown>[];
    const real = subjects.find(
      (s) => s.givenName === shown.givenName && s.familyName === shown.familyName,
    );
    expect(real).toBeDefined();
    expect(differencesFrom(shown, real)).toEqual([]);
  });

  async function npm(command: string, cwd: string, env: Record<string, string>) {
    return exec('bash', ['-o', 'pipefail', '-c', command], {
      cwd,
      env: { ...process.env, ...env, NODE_OPTIONS: '' },
      maxBuffer: 64 * 1024 * 1024,
    }).then(
      ({ stdout, stderr }) => ({ code: 0, stdout, stderr }),
      (error: { code?: number; stdout?: string; stderr?: string }) => ({
        code: error.code ?? 1,
        stdout: error.stdout ?? '',
        stderr: error.stderr ?? '',
      }),
    );
  }

  it('every shell block runs against the system (PORT set), each command exiting 0 with output', async () => {
    // Commands write files (`> trail.csv`): run them in a folder of their own inside the package.
    const folder = fs.mkdtempSync(path.join(REPO, '.mash-dev', 'readme-'));
    const env: Record<string, string> = { PORT: String(system.gateway.port) };
    const base = new URL(system.gateway.url).origin;
    const problems: string[] = [];
    try {
      for (const block of BLOCKS.filter((b) => b.lang === 'sh')) {
        for (const original of shellCommands(block.body)) {
          const skipped = npmInvocations(original).find(
            (n) => n.script in NOT_RUN && !RUN.includes(n.script),
          );
          if (skipped) continue;
          // The README's address is the default port; the test's system listens on its own.
          const command = original.replaceAll('http://localhost:4000', base);
          const assignment = /^(\w+)=\$\((.*)\)$/.exec(command);
          const { code, stdout, stderr } = await npm(
            assignment ? assignment[2] : command,
            folder,
            env,
          );
          if (assignment) env[assignment[1]] = stdout.trim();
          const written = /> (\S+)\s*$/.exec(command)?.[1];
          const output = written ? fs.readFileSync(path.join(folder, written), 'utf8') : stdout;
          if (code !== 0)
            problems.push(`${original}: exit ${code}: ${stderr.trim().slice(0, 300)}`);
          else if (!output.trim()) problems.push(`${original}: printed nothing`);
          else problems.push(...judgeOutput(original, output));
        }
      }
    } finally {
      fs.rmSync(folder, { recursive: true, force: true });
    }
    expect(problems).toEqual([]);
  }, 180_000);

  it('the inline commands a person is told to run work: token, policy-matrix, generate', async () => {
    const problems: string[] = [];
    const tried = new Set<string>();
    for (const { command } of readmeCommands().filter((c) => c.where === 'inline')) {
      for (const n of npmInvocations(command)) {
        if (!['token', 'policy-matrix', 'generate'].includes(n.script)) continue;
        // A usage line's placeholders filled in: <role> a manager, N three families, [x] given.
        const args = n.args
          .join(' ')
          .replace(/<role>/g, 'MASH_MANAGER')
          .replace(/\[agency\]/g, '')
          .replace(/\bN\b/g, '3')
          .replace(/\[([^\]]*)\]/g, '$1')
          .replace(/(\S+)\|\S+/g, '$1')
          .trim();
        // A bare mention (`npm run token`) is the name of a command the README shows in full elsewhere.
        if (!args && n.script === 'token') continue;
        const line = `npm run -s ${n.script}${args ? ` -- ${args}` : ''}`;
        if (tried.has(line)) continue;
        tried.add(line);
        const { code, stdout, stderr } = await npm(line, REPO, {});
        if (code !== 0) problems.push(`${line}: exit ${code}: ${stderr.trim().slice(0, 300)}`);
        else problems.push(...judgeOutput(line, stdout));
      }
    }
    expect([...tried].length).toBeGreaterThanOrEqual(3);
    expect(problems).toEqual([]);
  }, 180_000);

  /** The JSON a command printed, or null when it is not JSON. */
  function parsed(text: string): unknown {
    try {
      return JSON.parse(text);
    } catch {
      return null;
    }
  }

  /** What a command's output must hold to be the output the README describes. */
  function judgeOutput(command: string, output: string): string[] {
    const [n] = npmInvocations(command);
    const problems: string[] = [];
    const expectThat = (ok: boolean, what: string) => {
      if (!ok)
        problems.push(`${command}: ${what}; it printed ${JSON.stringify(output.slice(0, 200))}`);
    };
    if (/^curl /.test(command)) {
      const answer = JSON.parse(output) as GraphQLBody;
      expectThat(!answer.errors, 'the curl answers without errors');
      const subjects = answer.data?.caseByReference?.subjects ?? [];
      expectThat(subjects.length > 0, 'the curl answers with the case’s subjects');
      for (const s of subjects) {
        for (const agency of ['police', 'health']) {
          if (agency in s)
            expectThat(
              ['FOUND', 'NONE_FOUND'].includes(s[agency]?.status),
              `${agency} status for ${s.givenName}`,
            );
        }
      }
      return problems;
    }
    if (!n) return problems;
    switch (n.script) {
      case 'token':
        expectThat(/^eyJ[\w-]+\.[\w-]+\.[\w-]+$/.test(output.trim()), 'a token prints one JWT');
        break;
      case 'policy-matrix':
        if (n.args.includes('--fields')) break;
        expectThat(
          /^role\s+purpose/m.test(output) && /MASH_MANAGER/.test(output),
          'a table of roles and purposes',
        );
        break;
      case 'generate':
        if (n.args.includes('--json'))
          expectThat(Array.isArray(JSON.parse(output)), 'the population as a JSON list');
        else
          expectThat(
            /families\s+\d+/.test(output) && /people\s+\d+/.test(output),
            'a summary with families and people',
          );
        break;
      case 'audit':
        if (n.args[0] === 'verify')
          expectThat(/whole: \d+ records checked/.test(output), 'a whole chain');
        if (n.args[0] === 'export') {
          const format = n.args.includes('--format')
            ? n.args[n.args.indexOf('--format') + 1]
            : 'csv';
          const rows = output.trim().split('\n');
          if (format === 'fhir') {
            const bundle = parsed(output) as { resourceType?: string; entry?: unknown[] } | null;
            expectThat(
              bundle?.resourceType === 'Bundle' && (bundle.entry?.length ?? 0) > 0,
              'a FHIR Bundle with the records',
            );
          } else if (format === 'jsonl') {
            const records = rows.map(parsed) as ({ hash?: string } | null)[];
            expectThat(
              records.every((r) => /^[0-9a-f]{64}$/.test(r?.hash ?? '')),
              'JSON lines, each record with its hash',
            );
          } else {
            expectThat(rows[0].startsWith('sequence,recorded'), 'a CSV header');
            expectThat(
              rows.length > 1,
              'records after the header (the README’s examples made some)',
            );
          }
        }
        if (n.args[0] === 'summary')
          expectThat(/Accesses .*: [1-9]\d*/.test(output), 'a count of accesses');
        break;
      case 'example:case-system': {
        // The example client's run: the case, its chronology pulled to the end, one poll.
        const pulled = /^Chronology, oldest first \((\d+) events, (\d+) pages? of (\d+)\):$/m.exec(
          output,
        );
        expectThat(/^Case MASH-2026-000003 \(CSC-000003 in this system\)/.test(output), 'the case');
        expectThat(
          pulled !== null &&
            Number(pulled[1]) > 0 &&
            Number(pulled[2]) === Math.ceil(Number(pulled[1]) / Number(pulled[3])),
          'the chronology, every page of it',
        );
        expectThat(
          /^ {2}\d{4}-\d\d-\d\d {2}police +[A-Z_]+ \(/m.test(output),
          'the police events, dated',
        );
        expectThat(/^Changes, poll 1 at \S+: \d+$/m.test(output), 'one poll of the change feed');
        break;
      }
      case 'verify-audit-export':
        expectThat(/^The export is whole: [1-9]\d* records/.test(output), 'a whole chain');
        break;
    }
    return problems;
  }

  it('the policy-matrix sample is what npm run policy-matrix prints', async () => {
    const sample = BLOCKS.find((b) => sampleCheck(b) === 'policy-matrix');
    expect(sample).toBeDefined();
    const { code, stdout } = await npm('npm run -s policy-matrix', REPO, {});
    expect(code).toBe(0);
    const cells = (line: string) => line.trim().split(/\s{2,}/);
    const realRows = stdout
      .split('\n')
      .filter((l) => /^[A-Z_]+/.test(l))
      .map(cells);
    const lines = sample!.body.split('\n').filter((l) => l.trim() && !/^-+\s/.test(l));
    // Footnotes (`[3] CONSENT_REQUIRED … — what would release it`): as printed, up to any `…`.
    const footnotes = lines.filter((l) => /^\[\d+\]/.test(l));
    const printedLines = stdout.split('\n');
    const missing = footnotes.filter(
      (f) => !printedLines.some((p) => p.startsWith(f.split('…')[0].trimEnd())),
    );
    const [header, ...rows] = lines.filter((l) => !footnotes.includes(l)).map(cells);
    const realHeader = stdout.split('\n').find((l) => /^role\s+purpose/.test(l))!;
    const realColumns = cells(realHeader);
    const problems: string[] = missing.map((f) => `footnote not printed: ${f}`);
    for (const row of rows) {
      const real = realRows.find((r) => r[0] === row[0] && r[1] === row[1]);
      if (!real) {
        problems.push(`no row ${row[0]} / ${row[1]}`);
        continue;
      }
      header.forEach((column, i) => {
        if (column === '…' || i < 2) return;
        const j = realColumns.indexOf(column);
        if (j < 0) problems.push(`no column ${column}`);
        else if (real[j] !== row[i])
          problems.push(
            `${row[0]} / ${row[1]} / ${column}: README "${row[i]}", printed "${real[j]}"`,
          );
      });
    }
    expect(problems).toEqual([]);
  }, 60_000);
});

describe('the README’s other samples', () => {
  it('the start banner’s lines are lines gateway/start.ts prints', () => {
    const sample = BLOCKS.find((b) => sampleCheck(b) === 'banner');
    expect(sample).toBeDefined();
    const template = fs.readFileSync(path.join(REPO, 'gateway', 'start.ts'), 'utf8');
    const patterns = templateLines(template);
    const unmatched = sample!.body
      .split('\n')
      .filter((line) => line.trim() && !/^\s*(\.\.\.|…)\s*$/.test(line))
      .filter((line) => !patterns.some((p) => p.test(line.replace(/\s+/g, ' ').trim())))
      // A development token's line: the person, their role, the token's start.
      .filter((line) => {
        const token = /^\s*\S.*?\s{2,}([A-Z_]+)\s+eyJ[\w-]*…$/.exec(line);
        return !(token && Object.values(Role).includes(token[1] as Role));
      });
    expect(unmatched).toEqual([]);
  });

  it('the architecture picture names folders and files that exist', () => {
    const picture = BLOCKS.find((b) => sampleCheck(b) === 'diagram');
    expect(picture).toBeDefined();
    const paths = [...picture!.body.matchAll(/\b([a-z-]+\/(?:[\w.-]+(?:\/|\.ts))?)/g)].map(
      (m) => m[1],
    );
    expect(paths.length).toBeGreaterThan(5);
    expect(paths.filter((p) => !fs.existsSync(path.join(REPO, p)))).toEqual([]);
  });
});

/** Each line of a TypeScript template's text as a pattern: `${…}` stands for anything. */
function templateLines(source: string): RegExp[] {
  // Replace every ${…} (braces balanced, nested templates included) with a marker.
  let text = '';
  for (let i = 0; i < source.length; i++) {
    if (source[i] === '$' && source[i + 1] === '{') {
      let depth = 0;
      let j = i + 1;
      for (; j < source.length; j++) {
        if (source[j] === '{') depth++;
        if (source[j] === '}' && --depth === 0) break;
      }
      text += '\uE000';
      i = j;
    } else text += source[i];
  }
  // Lines printed by a nested template (`people.map((p) => `  ${…}`)`) are lines of the banner too.
  const nested = [...source.matchAll(/=>\s*`([^`]*)`/g)].map((m) => templateLines(m[1]));
  // A line that is only `${…}` would match anything: the lines it stands for are checked apart.
  const lines = text.split('\n').filter((line) => line.replace(/[\uE000\s]/g, '') !== '');
  return [
    ...nested.flat(),
    ...lines.map((line) => {
      const collapsed = line.replace(/\\\\/g, '\\').replace(/\s+/g, ' ').trim();
      const escaped = collapsed.replace(/[.*+?^${}()|[\]\\]/g, '\\$&').replace(/\uE000/g, '.*');
      return new RegExp(`^${escaped.replace(/ /g, ' ?')}$`);
    }),
  ];
}
