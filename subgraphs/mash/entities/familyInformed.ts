import { Field, InputType, ObjectType } from 'type-graphql';

@ObjectType({
  description:
    'Whether the family was told of the referral, by whom and when; or why not (telling them would increase the risk) and who judged so.',
})
export class FamilyInformed {
  @Field(() => Boolean, { nullable: true, description: 'Null: nobody has recorded it yet.' })
  told: boolean | null;

  @Field(() => String, { nullable: true })
  toldBy: string | null;

  @Field(() => Date, { nullable: true })
  toldAt: Date | null;

  @Field(() => String, { nullable: true })
  notToldReason: string | null;

  @Field(() => String, { nullable: true })
  notToldDecidedBy: string | null;

  @Field(() => String, { nullable: true, description: 'Who recorded this on the case.' })
  recordedBy: string | null;

  @Field(() => Date, { nullable: true })
  recordedAt: Date | null;

  @Field({
    description:
      'The family has not been told and no reason is recorded: somebody must tell them or say why not.',
  })
  needsAttention: boolean;
}

@InputType({ description: 'Whether the family was told of the referral, or why not.' })
export class FamilyInformedInput {
  @Field()
  told: boolean;

  @Field(() => String, { nullable: true })
  toldBy?: string | null;

  @Field(() => Date, { nullable: true })
  toldAt?: Date | null;

  @Field(() => String, {
    nullable: true,
    description: 'Why not: telling them would increase the risk to the child or adult.',
  })
  notToldReason?: string | null;

  @Field(() => String, { nullable: true, description: 'Who judged so.' })
  notToldDecidedBy?: string | null;
}
