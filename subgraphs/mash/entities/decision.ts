import { Field, ObjectType, registerEnumType } from 'type-graphql';
import { Column, Entity, PrimaryColumn } from 'typeorm';
import { MashOutcome } from '../../../workflow/continuumOfNeed';
import { RagRating } from './triage';

registerEnumType(MashOutcome, { name: 'MashOutcome', description: "The MASH manager's decision." });

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
}
