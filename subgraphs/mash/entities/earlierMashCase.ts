import { Field, ObjectType, registerEnumType } from 'type-graphql';
import { ReceivingService } from '../../../policies/handOver';
import { MashOutcome } from '../../../workflow/continuumOfNeed';
import { CaseStatus } from './case';

/** How the hub recognised the same person on an earlier case (`childIdentityKey`, as repeat referrals count). */
export enum EarlierCaseMatch {
  /** The same NHS number: the same person. */
  NHS_NUMBER = 'NHS_NUMBER',
  /** Neither has an NHS number: the same given name, family name and date of birth, exactly. */
  NAME_AND_DATE_OF_BIRTH = 'NAME_AND_DATE_OF_BIRTH',
}
registerEnumType(EarlierCaseMatch, { name: 'EarlierCaseMatch' });

@ObjectType({
  description:
    "An earlier MASH case of the same person: its header and outcome, never its records (the MASH manager's view of history).",
})
export class EarlierMashCase {
  @Field()
  reference: string;

  @Field(() => CaseStatus)
  status: CaseStatus;

  @Field()
  openedAt: Date;

  @Field(() => Date, { nullable: true, description: 'Null while the earlier case is undecided.' })
  decidedAt: Date | null;

  @Field(() => MashOutcome, { nullable: true })
  outcome: MashOutcome | null;

  @Field(() => ReceivingService, { nullable: true })
  receivingService: ReceivingService | null;

  @Field(() => EarlierCaseMatch)
  matchedBy: EarlierCaseMatch;
}
