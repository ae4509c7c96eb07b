import fs from 'node:fs';
import path from 'node:path';
import { Purpose, Role } from '../policies/roles';
import { AGENCIES } from '../subgraphs/agencies';

/**
 * The README read as a test reads it, so the file and its test cannot disagree: its fenced blocks,
 * the callers its GraphQL examples name, its commands. `test/readme.test.ts` runs them.
 *
 * The convention the README's GraphQL blocks follow (documented in the README beside the first
 * example): every operation is preceded by a comment line saying as whom it runs,
 *
 *   # As <who>[ (--user <id>)][, team <team>][, x-mash-purpose: <PURPOSE>][, x-mash-case: <case>][; shows <CODE>…]
 *
 * <who> is a MASH manager, a referrer, an IG officer, a case system, a <agency> researcher or each
 * agency's researcher (the operation runs once per agency); "the …" is the same person as before.
 * No x-mash-purpose or x-mash-case: the request sends none. `<case>` is the example case
 * `npm start` prints, `<team>` the team of the declared case, `<subject id>` a subject of the
 * example case. "shows CODE" lists the errors the README says the answer carries; any other error
 * fails the test.
 */

export const REPO = path.join(__dirname, '..');
export const README_PATH = path.join(REPO, 'README.md');

export interface Block {
  /** The fence's info string: graphql, sh, json, text or ''. */
  lang: string;
  body: string;
  /** 1-based line of the opening fence, for messages. */
  line: number;
}

export function readmeText(): string {
  return fs.readFileSync(README_PATH, 'utf8');
}

export function fencedBlocks(markdown: string): Block[] {
  const blocks: Block[] = [];
  const lines = markdown.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const open = /^```(\w*)\s*$/.exec(lines[i]);
    if (!open) continue;
    const start = i;
    const body: string[] = [];
    for (i++; i < lines.length && !/^```\s*$/.test(lines[i]); i++) body.push(lines[i]);
    blocks.push({ lang: open[1], body: body.join('\n'), line: start + 1 });
  }
  return blocks;
}

/** The markdown outside fenced blocks: prose, tables and inline code. */
export function prose(markdown: string): string {
  return markdown.replace(/^```\w*\s*\n[\s\S]*?^```\s*$/gm, '');
}

/** Every `inline code` span of the prose. */
export function inlineCode(markdown: string): string[] {
  return [...prose(markdown).matchAll(/`([^`\n]+)`/g)].map((m) => m[1]);
}

/** Every agency's name, longest first (so `mental-health researcher` is not read as health's). */
export const AGENCY_NAMES = AGENCIES.map((a) => a.name).sort((a, b) => b.length - a.length);

export interface Caller {
  role: Role;
  agency: string | null;
  /** null: a default id for the role. */
  userId: string | null;
  /** null or `<team>`: the team of the declared case. */
  team: string | null;
  purpose: Purpose | null;
  caseReference: string | null;
  /** "the manager": the same person as the block's earlier manager. */
  same: boolean;
}

export interface Operation {
  /** The `# As …` line as written. */
  as: string;
  callers: Caller[];
  /** Error codes the README says this answer shows. */
  shows: string[];
  /** The operation's text, comment lines included. */
  document: string;
  line: number;
}

/** Splits a GraphQL block at its `# As` lines; a block without one is an error for the test. */
export function operations(block: Block): Operation[] {
  const lines = block.body.split('\n');
  const ops: Operation[] = [];
  let current: Operation | null = null;
  const orphan: string[] = [];
  for (const [i, line] of lines.entries()) {
    const as = /^#\s*As\s+(.*)$/.exec(line.trim());
    if (as) {
      current = { as: line.trim(), ...parseCaller(as[1]), document: '', line: block.line + 1 + i };
      ops.push(current);
      continue;
    }
    if (current) current.document += `${line}\n`;
    else if (line.trim() && !line.trim().startsWith('#')) orphan.push(line);
  }
  if (orphan.length > 0) {
    throw new Error(
      `README line ${block.line}: a GraphQL block must say as whom it runs ("# As a MASH manager, x-mash-purpose: …") before its operation.`,
    );
  }
  return ops;
}

export function parseCaller(text: string): { callers: Caller[]; shows: string[] } {
  const [described, showsPart] = text.split(/;\s*shows\b/i);
  const who = described.split(/[,(:]/)[0].trim().toLowerCase();
  const purpose = /x-mash-purpose:\s*([A-Z_]+)/.exec(described)?.[1] ?? null;
  if (purpose && !Object.values(Purpose).includes(purpose as Purpose)) {
    throw new Error(`"${text}": ${purpose} is not a purpose.`);
  }
  const base = {
    userId: /--user\s+([\w.-]+)/.exec(described)?.[1] ?? null,
    team: /(?:--team|\bteam)\s+(<team>|[\w-]+)/.exec(described)?.[1] ?? null,
    purpose: purpose as Purpose | null,
    caseReference: /x-mash-case:\s*(<case>|[\w-]+)/.exec(described)?.[1] ?? null,
    same: /^the\b/.test(who) || /\bagain\b/.test(described),
  };
  const agencyOf = AGENCY_NAMES.find((a) => who.includes(`${a} researcher`));
  let callers: Caller[];
  if (/each agency's researcher/.test(who)) {
    callers = AGENCY_NAMES.map((agency) => ({ ...base, role: Role.AGENCY_RESEARCHER, agency }));
  } else if (agencyOf) {
    callers = [{ ...base, role: Role.AGENCY_RESEARCHER, agency: agencyOf }];
  } else if (/referrer/.test(who)) {
    callers = [{ ...base, role: Role.REFERRER, agency: null }];
  } else if (/ig officer/.test(who)) {
    callers = [{ ...base, role: Role.IG_OFFICER, agency: null }];
  } else if (/case system/.test(who)) {
    callers = [{ ...base, role: Role.CASE_SYSTEM, agency: 'social-care' }];
  } else if (/manager/.test(who)) {
    callers = [{ ...base, role: Role.MASH_MANAGER, agency: null }];
  } else {
    throw new Error(`"# As ${text}": no role I know (a MASH manager, a referrer, …).`);
  }
  const shows = showsPart
    ? [...showsPart.matchAll(/\b[A-Z][A-Z]+(?:_[A-Z]+)+\b/g)].map((m) => m[0])
    : [];
  return { callers, shows };
}

/** A shell command with its continuation lines joined and its trailing comment removed. */
export function shellCommands(script: string): string[] {
  return script
    .replace(/\\\n\s*/g, ' ')
    .split('\n')
    .map((line) => line.replace(/\s+#\s.*$/, '').trim())
    .filter((line) => line && !line.startsWith('#'));
}

/** `npm run -s token -- X` → { script: 'token', args: ['X'] }; `npm start` → start. */
export function npmInvocations(
  command: string,
): { script: string; args: string[]; text: string }[] {
  return [
    ...command.matchAll(
      /npm\s+(?:run\s+(?:-s\s+)?([\w:<>-]+)|(start|test|ci))((?:\s+(?!&&|\||\)|>)[^\s)&|;]+)*)/g,
    ),
  ].map((m) => {
    const args = m[3].trim().split(/\s+/).filter(Boolean);
    return { script: m[1] ?? m[2], args: args[0] === '--' ? args.slice(1) : args, text: m[0] };
  });
}

/** The `--flags` of a command line, without their values. */
export function flagsOf(args: string[]): string[] {
  return args
    .map((a) => a.replace(/^\[/, '').replace(/[\]|=].*$/, ''))
    .filter((a) => /^--[a-z][\w-]*$/.test(a));
}

/** Error-code shaped words: ALL_CAPS_WITH_UNDERSCORES. */
export const CODE_SHAPE = /^[A-Z][A-Z0-9]*(?:_[A-Z0-9]+)+$/;
