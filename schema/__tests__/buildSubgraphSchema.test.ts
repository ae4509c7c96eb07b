import { graphql, GraphQLError } from 'graphql';
import * as locating from 'graphql/error/locatedError';
import { Field, ObjectType, Query, Resolver } from 'type-graphql';
import { PolicyDenial } from '../../policies/policyDenial';
import { buildFederatedSchema } from '../buildSubgraphSchema';
import { WithheldField } from '../denialError';

@ObjectType()
class Referral {
  @Field(() => String)
  reference!: string;

  @Field(() => String, { nullable: true })
  concern!: string | null;
}

const denial = new PolicyDenial('MATCH_NOT_VERIFIED', 'unverified-match', 'Withheld.', 'Verify');

@Resolver()
class ReferralResolver {
  @Query(() => [Referral])
  referrals(): Referral[] {
    const withheld = { reference: 'R-2' } as Referral;
    Object.defineProperty(withheld, 'concern', {
      get: () => {
        throw new WithheldField(denial, { custodian: 'police' });
      },
    });
    return [{ reference: 'R-1', concern: 'shared' }, withheld];
  }
}

describe('buildFederatedSchema', () => {
  it("places an agency's withheld field itself, so graphql-js builds no error (and no stack) for it", async () => {
    const { schema } = await buildFederatedSchema({ resolvers: [ReferralResolver] });
    const spy = jest.spyOn(locating, 'locatedError');
    try {
      const result = await graphql({ schema, source: '{ referrals { reference concern } }' });
      expect(result.data).toEqual({
        referrals: [
          { reference: 'R-1', concern: 'shared' },
          { reference: 'R-2', concern: null },
        ],
      });
      expect(result.errors?.map((e) => [e.path, e.extensions.code])).toEqual([
        [['referrals', 1, 'concern'], 'MATCH_NOT_VERIFIED'],
      ]);
      expect(spy).toHaveBeenCalledTimes(1);
      expect(spy.mock.calls[0][0]).toBeInstanceOf(GraphQLError);
      expect((spy.mock.calls[0][0] as GraphQLError).path).toEqual(['referrals', 1, 'concern']);
    } finally {
      spy.mockRestore();
    }
  });
});
