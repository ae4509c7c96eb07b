import { Field, ID, ObjectType, registerEnumType } from 'type-graphql';
import { MashOutcome } from '../../../workflow/continuumOfNeed';

export enum ReferralStage {
  RECEIVED = 'RECEIVED',
  CHECKS_UNDER_WAY = 'CHECKS_UNDER_WAY',
  DECIDED = 'DECIDED',
}
registerEnumType(ReferralStage, { name: 'ReferralStage' });

@ObjectType({
  description:
    "What a referrer may know of their own referral: where it is and, once decided, the outcome. Nothing of the agencies' checks.",
})
export class ReferralStatus {
  @Field(() => ID)
  referralId: string;

  @Field({ description: 'The hub reference to quote when calling the MASH.' })
  caseReference: string;

  @Field()
  receivedAt: Date;

  @Field(() => ReferralStage)
  stage: ReferralStage;

  @Field()
  decisionDueAt: Date;

  @Field(() => MashOutcome, { nullable: true })
  outcome: MashOutcome | null;

  @Field(() => Date, { nullable: true })
  decidedAt: Date | null;
}
