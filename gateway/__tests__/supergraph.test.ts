import { composeSupergraph } from '../supergraph';

describe('composeSupergraph', () => {
  const link =
    'extend schema @link(url: "https://specs.apollo.dev/federation/v2.3", import: ["@key", "@external", "@requires"])';
  const mash = `${link}\ntype Query { subject(id: ID!): Subject }\ntype Subject @key(fields: "id") { id: ID! givenName: String! }`;

  it('composes subgraphs that keep the contract', () => {
    const agency = `${link}\ntype Subject @key(fields: "id") { id: ID! givenName: String! @external police: String @requires(fields: "givenName") }`;
    const sdl = composeSupergraph([
      { name: 'mash', url: 'http://mash', sdl: mash },
      { name: 'police', url: 'http://police', sdl: agency },
    ]);
    expect(sdl).toContain('police: String');
  });

  it('fails start-up with every composition error when an agency breaks the contract', () => {
    // The agency redefines a hub field instead of marking it external.
    const broken = `${link}\ntype Subject @key(fields: "id") { id: ID! givenName: Int police: String }`;
    expect(() =>
      composeSupergraph([
        { name: 'mash', url: 'http://mash', sdl: mash },
        { name: 'police', url: 'http://police', sdl: broken },
      ]),
    ).toThrow(/do not compose into a supergraph:\n {2}- .*givenName/);
  });
});
