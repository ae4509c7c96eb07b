import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { BrowserContext, chromium, Page } from 'playwright-core';
import type { EmbeddedSystem } from '../gateway/embeddedSystem';
import { startTestSystem, testDatabase } from './testSystem';
import { AGENCIES } from '../subgraphs/agencies';

/**
 * GraphiQL as a person uses it, in a real browser (Debian's Chromium, `bash scripts/chromium.sh`):
 * open the address `npm start` prints, press Run on each role's saved operation and read the
 * result pane; open a `?query=` link and find that query loaded. Locally, without Chromium, it is
 * skipped saying so; in CI it must run.
 */
const CHROMIUM = '/usr/bin/chromium';
const hasChromium = fs.existsSync(CHROMIUM);
if (!hasChromium && process.env.CI) {
  throw new Error(
    `CI runs the GraphiQL browser test: ${CHROMIUM} is missing (bash scripts/chromium.sh).`,
  );
}
if (!hasChromium) {
  console.log(
    `GraphiQL browser test: SKIPPED, ${CHROMIUM} is missing. To run it: bash scripts/chromium.sh`,
  );
}
// The page is the embedded demo's; on PostgreSQL the same page is served, so it runs once.
const runs = hasChromium && testDatabase() === 'embedded';
const suite = runs ? describe : describe.skip;

/** The flags for a closed network and a throwaway profile: nothing phones home, nothing persists. */
const FLAGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

suite('GraphiQL in a browser', () => {
  let system: EmbeddedSystem;
  let browser: BrowserContext;
  let profile: string;

  beforeAll(async () => {
    system = await startTestSystem({ port: 0, seed: 3, families: 30, subgraphTimeoutMs: 5000 });
    profile = fs.mkdtempSync(path.join(os.tmpdir(), 'mash-chromium-'));
    // Playwright takes the profile folder itself (it refuses --user-data-dir among the args).
    browser = await chromium.launchPersistentContext(profile, {
      executablePath: CHROMIUM,
      headless: true,
      args: FLAGS,
    });
    // Reads an editor the way the page holds it (see editorText below).
    await browser.addInitScript(() => {
      type Editor = Element & { CodeMirror?: { getValue(): string } };
      const all = (selector: string) =>
        [...document.querySelectorAll(`${selector} .CodeMirror`)].map(
          (e) => (e as Editor).CodeMirror?.getValue() ?? '',
        );
      Object.assign(window, {
        editorTexts: all,
        editorText: (selector: string) => all(selector)[0] ?? '',
      });
    });
  }, 120_000);
  afterAll(async () => {
    await browser?.close();
    await system?.stop();
    if (profile) fs.rmSync(profile, { recursive: true, force: true });
  });

  /** Opens GraphiQL at this address and waits until its editors are up. */
  async function open(search = ''): Promise<Page> {
    const page = await browser.newPage();
    const problems: string[] = [];
    page.on('pageerror', (error) => problems.push(error.message));
    await page.goto(`${system.gateway.url}${search}`);
    await page.waitForSelector('.graphiql-execute-button', { timeout: 30_000 });
    await page.waitForFunction(() => editorText('.graphiql-query-editor') !== '', undefined, {
      timeout: 30_000,
    });
    expect(problems).toEqual([]);
    return page;
  }

  /** Presses Run and reads the answer a person sees in the result pane. */
  async function run(page: Page): Promise<{ text: string; answer: Answer }> {
    await page.click('.graphiql-execute-button');
    await page.waitForFunction(
      () => /[}\]]\s*$/.test(editorText('.graphiql-response')),
      undefined,
      {
        timeout: 30_000,
      },
    );
    const text = await page.evaluate(() => editorText('.graphiql-response'));
    return { text, answer: JSON.parse(text) as Answer };
  }

  it('opens the printed address with a tab per role', async () => {
    const page = await open();
    const tabs = await page.locator('.graphiql-tab').allInnerTexts();
    expect(tabs).toHaveLength(system.savedOperations.length);
    // The tabs the README's "Try it in five minutes" tells a person to click, by their names.
    for (const name of [
      'ManagerAgencyChecks',
      'PoliceResearcherCheck',
      'CaseSystemHistory',
      'AuditOverview',
      'MyReferrals',
    ]) {
      expect(tabs.join(' ')).toContain(name);
    }
    // Switching role is a click on its tab; Run then answers as that role.
    await page.locator('.graphiql-tab', { hasText: 'PoliceResearcherCheck' }).click();
    await page.waitForFunction(() =>
      /PoliceResearcherCheck/.test(editorText('.graphiql-query-editor')),
    );
    const { answer } = await run(page);
    expect(answer.errors ?? []).toEqual([]);
    expect(answer.data?.caseByReference?.subjects?.[0]?.police?.status).toMatch(/FOUND/);
    await page.close();
  }, 60_000);

  it('each role’s saved operation, Run: the case picture, every agency’s status, no error', async () => {
    const seen: string[] = [];
    const problems: string[] = [];
    for (const operation of system.savedOperations) {
      const page = await open(`?role=${operation.key}`);
      const query = await page.evaluate(() => editorText('.graphiql-query-editor'));
      expect(query).toBe(operation.query);
      // The role's headers are loaded beside it: its token, purpose and case.
      const tools = await page.evaluate(() => editorTexts('.graphiql-editor-tool'));
      const headers = tools.find((t) => /Authorization/i.test(t));
      expect(headers).toBeDefined();
      const sent = JSON.parse(headers!) as Record<string, string>;
      expect(sent.Authorization ?? sent.authorization).toMatch(/^Bearer eyJ/);
      if (operation.purpose) expect(sent['x-mash-purpose']).toBe(operation.purpose);
      if (operation.caseReference) expect(sent['x-mash-case']).toBe(operation.caseReference);
      const { text, answer } = await run(page);
      // No error at all: nothing about a field that was not asked, nothing withheld.
      const errors = (answer.errors ?? []).map(
        (e) => `${e.extensions?.code} at ${e.path?.join('.')}`,
      );
      if (errors.length > 0)
        problems.push(`${operation.key}: ${errors.length} errors: ${errors.join('; ')}`);
      const picture = answer.data?.caseByReference;
      if (operation.caseReference && picture) {
        expect(picture.reference).toBe(system.exampleCaseReference);
        expect(picture.subjects.length).toBeGreaterThan(0);
        for (const subject of picture.subjects) {
          for (const agency of AGENCIES.map((a) => a.policy.checkField)) {
            // What the person reads: each agency's status for each subject.
            expect(['FOUND', 'NONE_FOUND']).toContain(subject[agency]?.status);
          }
        }
        expect(text).toContain(picture.subjects[0].givenName);
      } else if (operation.key === 'ig-officer') {
        expect(answer.data?.verifyAuditChain?.valid).toBe(true);
        expect(answer.data?.auditSummary?.accesses).toBeGreaterThan(0);
      } else if (operation.key === 'referrer') {
        expect(Array.isArray(answer.data?.myReferrals)).toBe(true);
      } else if (operation.key === 'manager-adult-at-risk') {
        expect(answer.data?.submitReferral?.caseReference).toMatch(/^MASH-/);
      } else if (operation.key === 'manager-consultation') {
        expect(answer.data?.recordConsultation?.advisedBy).toBe('manager.demo');
      } else {
        throw new Error(`A saved operation the test does not know how to read: ${operation.key}`);
      }
      seen.push(operation.key);
      await page.close();
    }
    expect(problems).toEqual([]);
    expect(seen).toEqual(
      expect.arrayContaining(['manager', 'police-researcher', 'ig-officer', 'referrer']),
    );
  }, 240_000);

  it('a ?query= link opens that query, with its variables and operation name, and runs it', async () => {
    const query = `query First { verifyAuditChain { valid } }
query Lookup($reference: String!) { caseByReference(reference: $reference) { reference subjects { givenName } } }`;
    const variables = JSON.stringify({ reference: system.exampleCaseReference });
    const search = new URLSearchParams({
      query,
      variables,
      operationName: 'Lookup',
      role: 'manager',
    });
    const page = await open(`?${search}`);
    expect(await page.evaluate(() => editorText('.graphiql-query-editor'))).toBe(query);
    const { answer } = await run(page);
    expect(answer.errors ?? []).toEqual([]);
    // The operation named in the link ran, with the link's variables, as the manager.
    expect(answer.data?.caseByReference?.reference).toBe(system.exampleCaseReference);
    expect(answer.data?.verifyAuditChain).toBeUndefined();
    await page.close();
  }, 60_000);

  it('editing the query keeps the address a link to it', async () => {
    const page = await open('?role=manager');
    const edited = '{ caseByReference(reference: "MASH-0000-000000") { reference } }';
    await page.evaluate((text) => {
      const editor = document.querySelector('.graphiql-query-editor .CodeMirror') as unknown as {
        CodeMirror: { setValue(v: string): void };
      };
      editor.CodeMirror.setValue(text);
    }, edited);
    await page.waitForFunction(
      (text) => new URL(window.location.href).searchParams.get('query') === text,
      edited,
    );
    const link = page.url();
    await page.close();
    const reopened = await open(new URL(link).search);
    expect(await reopened.evaluate(() => editorText('.graphiql-query-editor'))).toBe(edited);
    await reopened.close();
  }, 60_000);
});

interface Answer {
  // The answer's shape depends on the role's operation; the test reads it as JSON.
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  data?: any;
  errors?: { message: string; path?: (string | number)[]; extensions?: { code?: string } }[];
}

/**
 * The whole text of one of GraphiQL's editors (CodeMirror 5 renders only the lines in view; its
 * instance holds all of them). Runs in the page: declared here for the type checker.
 */
declare function editorText(selector: string): string;
/** Every editor's text under the selector (variables and headers share a panel). */
declare function editorTexts(selector: string): string[];
