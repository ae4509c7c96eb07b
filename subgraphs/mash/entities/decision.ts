import { Field, InputType, ObjectType, registerEnumType } from 'type-graphql';
import { Column, Entity, PrimaryColumn } from 'typeorm';
import { ReceivingService } from '../../../policies/handOver';
import { MashOutcome } from '../../../workflow/continuumOfNeed';
import { RagRating } from './triage';

registerEnumType(MashOutcome, { name: 'MashOutcome', description: "The MASH manager's decision." });
registerEnumType(ReceivingService, {
  name: 'ReceivingService',
  description: 'The service a decided case is handed over to.',
});

@ObjectType({
  description: 'What the decision asks one agency to do, e.g. a health visitor follow-up.',
})
export class AgencyAction {
  @Field({ description: 'The agency (its name in the hub, e.g. health).' })
  agency: string;

  @Field()
  action: string;

  @Field(() => String, {
    nullable: true,
    description: 'ISO date, YYYY-MM-DD; null when none was set.',
  })
  dueDate: string | null;
}

@InputType({ description: 'An action for one agency, set with the decision.' })
export class AgencyActionInput {
  @Field({ description: 'The agency (its name in the hub, e.g. health).' })
  agency: string;

  @Field({ description: 'What the agency is to do, briefly (5 to 300 characters).' })
  action: string;

  @Field(() => String, { nullable: true, description: 'ISO date, YYYY-MM-DD.' })
  dueDate?: string | null;
}

@ObjectType({ description: "The MASH manager's decision on a referral, after the agency checks." })
@Entity()
export class Decision {
  @PrimaryColumn('uuid')
  caseId: string;

  @Field(() => MashOutcome)
  @Column({ type: 'varchar' })
  outcome: MashOutcome;

  @Field()
  @Column({ type: 'text' })
  rationale: string;

  @Field(() => RagRating, { description: 'The RAG rating once the agencies had shared.' })
  @Column({ type: 'varchar' })
  ragAfterChecks: RagRating;

  @Field()
  @Column()
  decidedBy: string;

  @Field()
  @Column({ type: 'timestamptz' })
  decidedAt: Date;

  @Field({ description: 'Decided within one working day of receipt.' })
  @Column()
  withinDeadline: boolean;

  @Field(() => [String], { description: 'Agencies whose checks were still outstanding.' })
  @Column({ type: 'varchar', array: true })
  checksOutstanding: string[];

  @Field(() => ReceivingService, {
    nullable: true,
    description: 'The service the case is handed over to; null when none receives it.',
  })
  @Column({ type: 'varchar', nullable: true })
  receivingService: ReceivingService | null;

  @Field(() => [AgencyAction], { description: 'What the decision asks each agency to do.' })
  @Column({ type: 'jsonb', default: [] })
  agencyActions: AgencyAction[];
}
