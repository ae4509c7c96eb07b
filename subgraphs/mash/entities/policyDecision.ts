import { Field, ObjectType, registerEnumType } from 'type-graphql';
import { Purpose, Role } from '../../../policies/roles';

registerEnumType(Role, { name: 'Role' });

registerEnumType(Purpose, { name: 'Purpose' });

@ObjectType({
  description:
    'One cell of the policy matrix: may this role, for this purpose, under this basis, see this field?',
})
export class PolicyDecision {
  @Field({ description: 'The GraphQL type and field, e.g. IncidentRecord.summary.' })
  field: string;

  @Field(() => String, {
    nullable: true,
    description: 'The agency that is custodian of the field.',
  })
  custodian: string | null;

  @Field()
  tier: string;

  @Field()
  role: string;

  @Field(() => String, {
    nullable: true,
    description: "For a researcher: OWN or OTHER agency's records.",
  })
  researcherOf: string | null;

  @Field()
  purpose: string;

  @Field({ description: 'CONSENT, a recorded ground, or NONE.' })
  basis: string;

  @Field()
  allowed: boolean;

  @Field(() => String, { nullable: true })
  code: string | null;

  @Field(() => String, { nullable: true, description: 'The rule that denies.' })
  rule: string | null;

  @Field(() => String, {
    nullable: true,
    description: 'What would lawfully release a denied cell, and who can do it; null when allowed.',
  })
  release: string | null;
}
