import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { decodeJwt } from 'jose';
import { developmentUserId } from '../gateway/authentication';
import { loadConfig } from '../gateway/config';
import type { EmbeddedSystem } from '../gateway/embeddedSystem';
import { operationHeaders } from '../gateway/exampleQuery';
import type { GraphiqlTab } from '../gateway/graphiql';
import { Role } from '../policies/roles';
import { postGraphQL } from './graphqlClient';
import { startTestSystem } from './testSystem';
import { issueDevelopmentToken } from '../gateway/authentication';
import { AGENCIES } from '../subgraphs/agencies';

/**
 * What a person sees first: GraphiQL's tab for each role, pressed Run. Each must read as an
 * answer — no field withheld, no error — on the demo's own population (npm start's defaults), so
 * these run on exactly the data `npm start` serves.
 */
let system: EmbeddedSystem;

beforeAll(async () => {
  const demo = loadConfig({}, []);
  system = await startTestSystem({
    port: 0,
    seed: demo.seed,
    families: demo.families,
    subgraphTimeoutMs: 5000,
  });
});

afterAll(() => system?.stop());

async function graphiqlTabs(): Promise<GraphiqlTab[]> {
  const response = await fetch(system.gateway.url, { headers: { accept: 'text/html' } });
  const html = await response.text();
  const saved = html.match(/const saved = (.*);\n/)?.[1];
  if (!saved) throw new Error('The GraphiQL page carries no saved tabs.');
  return JSON.parse(saved.replace(/\\u003c/g, '<'));
}

describe("GraphiQL's saved operations", () => {
  it('offers one tab per role of the demo, the manager first', async () => {
    const tabs = await graphiqlTabs();
    expect(tabs.map((t) => t.key)).toEqual([
      'manager',
      ...AGENCIES.map((a) => `${a.name}-researcher`),
      'case-system',
      'ig-officer',
      'referrer',
      'manager-adult-at-risk',
      'manager-consultation',
    ]);
    expect(tabs.map((t) => t.key)).toEqual(system.savedOperations.map((o) => o.key));
  });

  it.each([...Array(AGENCIES.length + 6).keys()])(
    'tab %i, run with the headers the page gives it, answers whole',
    async (index) => {
      const tab = (await graphiqlTabs())[index];
      const variables = tab.variables ? JSON.parse(tab.variables) : {};
      const { status, body } = await postGraphQL(
        system.gateway.url,
        tab.query,
        variables,
        tab.headers,
      );
      expect(body.errors).toBeUndefined();
      expect(status).toBe(200);
      expect(Object.values(body.data).every((value) => value !== null)).toBe(true);
      if (body.data.caseByReference) {
        const { subjects } = body.data.caseByReference;
        expect(subjects.length).toBeGreaterThan(0);
        for (const subject of subjects)
          for (const agency of AGENCIES.map((a) => a.policy.checkField))
            expect(['FOUND', 'NONE_FOUND']).toContain(subject[agency].status);
      }
    },
  );

  it('opens a case about an adult at risk in the manager’s team, and records a consultation', async () => {
    const tabs = await graphiqlTabs();
    const adult = tabs.find((t) => t.key === 'manager-adult-at-risk')!;
    const { body } = await postGraphQL(system.gateway.url, adult.query, {}, adult.headers);
    const reference = body.data.submitReferral.caseReference;
    const read = await postGraphQL(
      system.gateway.url,
      '{ caseByReference(reference: "' +
        reference +
        '") { referral { about } familyInformed { told needsAttention } } }',
      {},
      { ...adult.headers, 'x-mash-case': reference },
    );
    expect(read.body.data.caseByReference).toEqual({
      referral: { about: 'ADULT_AT_RISK' },
      familyInformed: { told: false, needsAttention: false },
    });
    const advice = tabs.find((t) => t.key === 'manager-consultation')!;
    const recorded = await postGraphQL(system.gateway.url, advice.query, {}, advice.headers);
    expect(recorded.body.data.recordConsultation).toMatchObject({
      advisedBy: 'manager.demo',
      becameReferral: null,
    });
  });

  it('issues the tokens when the page loads, not when the system started', async () => {
    await new Promise((r) => setTimeout(r, 1100)); // a later second than any token issued at start
    const loadedAt = Math.floor(Date.now() / 1000);
    const first = await graphiqlTabs();
    const second = await graphiqlTabs();
    for (const tab of first) {
      const token = tab.headers.Authorization?.replace(/^Bearer /, '');
      expect(decodeJwt(token).iat).toBeGreaterThanOrEqual(loadedAt);
    }
    expect(second[0].headers.Authorization).not.toBe(first[0].headers.Authorization);
  });

  it('states the purpose and case each role must, and none for the referrer', async () => {
    const byKey = new Map((await graphiqlTabs()).map((t) => [t.key, t.headers]));
    expect(byKey.get('manager')).toMatchObject({
      'x-mash-purpose': 'AGENCY_CHECK',
      'x-mash-case': system.exampleCaseReference,
    });
    expect(byKey.get('case-system')!['x-mash-case']).toMatch(/^CSC-/);
    expect(byKey.get('ig-officer')).not.toHaveProperty('x-mash-case');
    expect(Object.keys(byKey.get('referrer')!)).toEqual(['Authorization']);
  });

  it('withholds nothing even for a subject at a refuge or a possible match: it asks no address and no records', () => {
    const manager = system.savedOperations[0];
    const selections = manager.query.replace(/^#.*$/gm, '');
    expect(selections).not.toMatch(/\b(postcode|addressLine|incidents|contacts|episodes)\b/);
  });
});

describe('development user ids', () => {
  it('are the same in npm start, GraphiQL and npm run token', async () => {
    const tabs = await graphiqlTabs();
    const sub = (tab: GraphiqlTab) =>
      decodeJwt(tab.headers.Authorization.replace(/^Bearer /, '')).sub;
    expect(sub(tabs[0])).toBe('manager.demo');
    expect(sub(tabs.find((t) => t.key === 'police-researcher')!)).toBe('researcher.police.demo');
    const fromCommand = execFileSync(
      process.execPath,
      ['-r', '@swc-node/register', 'gateway/tokenCommand.ts', 'AGENCY_RESEARCHER', 'police'],
      { cwd: path.resolve(__dirname, '..'), encoding: 'utf8' },
    ).trim();
    expect(decodeJwt(fromCommand).sub).toBe(developmentUserId(Role.AGENCY_RESEARCHER, 'police'));
    expect(decodeJwt(fromCommand).sub).toBe('researcher.police.demo');
  });

  it('a saved operation sent with any token of its role answers whole too', async () => {
    const ig = system.savedOperations.find((o) => o.key === 'ig-officer')!;
    const headers = operationHeaders(ig, await issueDevelopmentToken(ig.identity));
    const { body } = await postGraphQL(system.gateway.url, ig.query, {}, headers);
    expect(body.errors).toBeUndefined();
    expect(body.data.verifyAuditChain.valid).toBe(true);
  });
});
