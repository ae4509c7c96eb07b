import { Directive, Field, ID, ObjectType } from 'type-graphql';
import { ConsentState } from '../../../policies/consent';
import { MashOutcome, ThresholdOfNeed } from '../../../workflow/continuumOfNeed';
import { ReceivingService } from '../../../policies/handOver';
import { CaseStatus } from './case';
import { RecordedGround } from './consent';

/** What the gateway's policies need to know about a case (never shown to clients). */
@Directive('@inaccessible')
@ObjectType()
export class CaseAccessFacts {
  @Field(() => ID)
  id: string;

  @Field()
  reference: string;

  @Field(() => String, { nullable: true })
  externalReference: string | null;

  @Field(() => String, { nullable: true })
  externalSystem: string | null;

  @Field(() => CaseStatus)
  status: CaseStatus;

  @Field(() => [String])
  teams: string[];

  @Field(() => ConsentState)
  consent: ConsentState;

  @Field(() => [RecordedGround])
  grounds: RecordedGround[];

  @Field(() => ThresholdOfNeed, { nullable: true, description: 'Null until triaged.' })
  threshold: ThresholdOfNeed | null;

  @Field(() => MashOutcome, {
    nullable: true,
    description: "The manager's decision; null until decided.",
  })
  decision: MashOutcome | null;

  @Field(() => ReceivingService, {
    nullable: true,
    description: 'The service the decision handed the case to: its case system keeps its access.',
  })
  receivingService: ReceivingService | null;
}
