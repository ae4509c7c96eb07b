import { loadConfig } from '../config';

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
    });
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
