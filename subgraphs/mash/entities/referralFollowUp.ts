import { Field, Int, ObjectType, registerEnumType } from 'type-graphql';

export enum FollowUpKind {
  /** A child-protection referral's Early Help Assessment, past its 48 hours. */
  EARLY_HELP_ASSESSMENT = 'EARLY_HELP_ASSESSMENT',
  /** The family has not been told of the referral and nobody has recorded why not. */
  FAMILY_NOT_TOLD = 'FAMILY_NOT_TOLD',
}
registerEnumType(FollowUpKind, { name: 'FollowUpKind' });

@ObjectType({
  description:
    'Something a referral still owes, for an open case: a late Early Help Assessment, or a family not told with no reason recorded.',
})
export class ReferralFollowUp {
  @Field()
  caseReference: string;

  @Field(() => FollowUpKind)
  kind: FollowUpKind;

  @Field()
  receivedAt: Date;

  @Field(() => Date, {
    nullable: true,
    description: 'The deadline it missed; null for a family not told (owed since receipt).',
  })
  dueAt: Date | null;

  @Field(() => Int, { description: 'Minutes past the deadline, or since receipt.' })
  minutesOverdue: number;
}
