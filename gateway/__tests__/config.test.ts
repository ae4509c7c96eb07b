import { loadConfig } from '../config';
import { loadServiceConfig } from '../../service/config';

describe('loadConfig', () => {
  it('defaults to the documented ports and demo population', () => {
    expect(loadConfig({}, [])).toEqual({
      port: 4000,
      subgraphTimeoutMs: 5000,
      seed: 20261123,
      families: 60,
      auditDataDir: '.mash-dev/audit-store',
      authentication: {
        jwksUrl: null,
        publicKeyPem: null,
        issuer: 'mash-gateway-development',
        audience: 'mash-gateway',
      },
      limits: {
        bodyBytes: 1_048_576,
        tokens: 5000,
        depth: 40,
        aliases: 300,
        directives: 50,
        cost: 50_000,
      },
      serviceAccountRateLimit: { requests: 120, windowSeconds: 60 },
    });
  });

  it("takes a service account's rate limit from its environment variables, each in its range", async () => {
    expect(
      loadConfig(
        { SERVICE_ACCOUNT_RATE_LIMIT: '30', SERVICE_ACCOUNT_RATE_WINDOW_SECONDS: '10' },
        [],
      ).serviceAccountRateLimit,
    ).toEqual({ requests: 30, windowSeconds: 10 });
    expect(() => loadConfig({ SERVICE_ACCOUNT_RATE_LIMIT: '0' }, [])).toThrow(
      'SERVICE_ACCOUNT_RATE_LIMIT must be a whole number from 1 to 100000 (got "0")',
    );
    expect(() => loadConfig({ SERVICE_ACCOUNT_RATE_WINDOW_SECONDS: 'a minute' }, [])).toThrow(
      'SERVICE_ACCOUNT_RATE_WINDOW_SECONDS must be a whole number from 1 to 3600',
    );
    await expect(
      loadServiceConfig('gateway', { SERVICE_ACCOUNT_RATE_LIMIT: 'many' }),
    ).rejects.toThrow(/SERVICE_ACCOUNT_RATE_LIMIT must be a whole number/);
  });

  it('takes every query limit from its environment variable', () => {
    expect(
      loadConfig(
        {
          MAX_REQUEST_BYTES: '2048',
          MAX_QUERY_TOKENS: '800',
          MAX_QUERY_DEPTH: '12',
          MAX_QUERY_ALIASES: '0',
          MAX_QUERY_DIRECTIVES: '3',
          MAX_QUERY_COST: '900',
        },
        [],
      ).limits,
    ).toEqual({ bodyBytes: 2048, tokens: 800, depth: 12, aliases: 0, directives: 3, cost: 900 });
  });

  it.each([
    [
      { MAX_REQUEST_BYTES: '1mb' },
      'MAX_REQUEST_BYTES must be a whole number from 1024 to 16777216',
    ],
    [{ MAX_QUERY_TOKENS: '1000000' }, 'MAX_QUERY_TOKENS must be a whole number from 100 to 20000'],
    [
      { MAX_QUERY_DEPTH: '500' },
      'MAX_QUERY_DEPTH must be a whole number from 5 to 100 (got "500")',
    ],
    [{ MAX_QUERY_ALIASES: '-1' }, 'MAX_QUERY_ALIASES must be a whole number from 0 to 10000'],
    [{ MAX_QUERY_DIRECTIVES: 'x' }, 'MAX_QUERY_DIRECTIVES must be a whole number'],
    [{ MAX_QUERY_COST: '1e9' }, 'MAX_QUERY_COST must be a whole number from 100 to 10000000'],
  ])('refuses the limit %p with a clear message', (env, message) => {
    expect(() => loadConfig(env, [])).toThrow(message);
  });

  it("lists a bad limit among the production gateway's configuration problems", async () => {
    await expect(
      loadServiceConfig('gateway', { MAX_QUERY_DEPTH: 'deep', MAX_QUERY_COST: '5' }),
    ).rejects.toThrow(
      /MAX_QUERY_DEPTH must be a whole number from 5 to 100 \(got "deep"\)[\s\S]*MAX_QUERY_COST must be a whole number from 100/,
    );
  });

  it('takes the environment, and flags over the environment', () => {
    expect(loadConfig({ PORT: '5000', FAMILIES: '10' }, ['--families', '500'])).toMatchObject({
      port: 5000,
      families: 500,
    });
  });

  it.each([
    [{ PORT: 'eighty' }, 'PORT must be a whole number from 0 to 65535 (got "eighty")'],
    [{ FAMILIES: '0' }, 'FAMILIES must be a whole number from 1 to 1000000 (got "0")'],
    [{ SUBGRAPH_TIMEOUT_MS: '1.5' }, 'SUBGRAPH_TIMEOUT_MS must be a whole number'],
  ])('refuses %p with a clear message', (env, message) => {
    expect(() => loadConfig(env, [])).toThrow(message);
  });

  it("takes the identity provider's keys, issuer and audience for production", () => {
    const { authentication } = loadConfig(
      {
        AUTH_JWKS_URL: 'https://idp.example.org/.well-known/jwks.json',
        AUTH_ISSUER: 'https://idp.example.org',
        AUTH_AUDIENCE: 'mash',
      },
      [],
    );
    expect(authentication).toEqual({
      jwksUrl: 'https://idp.example.org/.well-known/jwks.json',
      publicKeyPem: null,
      issuer: 'https://idp.example.org',
      audience: 'mash',
    });
    expect(() => loadConfig({ AUTH_JWKS_URL: 'not a url' }, [])).toThrow(
      'AUTH_JWKS_URL must be a URL',
    );
  });

  it('refuses an unknown flag', () => {
    expect(() => loadConfig({}, ['--famlies', '5'])).toThrow(/famlies/);
  });
});
