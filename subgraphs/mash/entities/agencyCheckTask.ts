import { Field, InputType, Int, ObjectType } from 'type-graphql';
import { Column, Entity, Index, PrimaryGeneratedColumn, Unique } from 'typeorm';
import { RagRating } from './triage';

@ObjectType({
  description:
    "One agency's check for a case: requested at triage, due by the RAG deadline, and what the agency shared.",
})
@Entity()
@Unique(['caseId', 'agency'])
@Index(['agency', 'dueAt'], { where: '"completedAt" IS NULL' })
export class AgencyCheckTask {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Index()
  @Column('uuid')
  caseId: string;

  @Field({ description: 'The agency asked to check, e.g. police.' })
  @Column()
  agency: string;

  @Field()
  @Column({ type: 'timestamptz' })
  requestedAt: Date;

  @Field()
  @Column({ type: 'timestamptz' })
  dueAt: Date;

  @Field(() => Date, { nullable: true, description: 'Null while the check is outstanding.' })
  @Column({ type: 'timestamptz', nullable: true })
  completedAt: Date | null;

  @Field(() => String, { nullable: true })
  @Column({ type: 'varchar', nullable: true })
  completedBy: string | null;

  @Field(() => String, {
    nullable: true,
    description: 'What the agency shares with the hub: proportionate to the worry.',
  })
  @Column({ type: 'text', nullable: true })
  summary: string | null;

  @Field(() => String, {
    nullable: true,
    description: 'Signs of Safety: what are we worried about?',
  })
  @Column({ type: 'text', nullable: true })
  worries: string | null;

  @Field(() => String, { nullable: true, description: 'Signs of Safety: what is working well?' })
  @Column({ type: 'text', nullable: true })
  workingWell: string | null;

  @Field(() => String, { nullable: true, description: 'Signs of Safety: what needs to happen?' })
  @Column({ type: 'text', nullable: true })
  needsToHappen: string | null;

  @Field(() => RagRating, { nullable: true, description: "The agency's own view of the risk." })
  @Column({ type: 'varchar', nullable: true })
  riskView: RagRating | null;
}

@InputType({ description: "An agency's check, as its researcher records it." })
export class AgencyCheckFindingInput {
  @Field({ description: 'What the agency shares: proportionate to the worry.' })
  summary: string;

  @Field()
  worries: string;

  @Field()
  workingWell: string;

  @Field()
  needsToHappen: string;

  @Field(() => RagRating)
  riskView: RagRating;
}

@ObjectType({ description: 'An agency check past its deadline and not yet done.' })
export class OverdueAgencyCheck {
  @Field()
  caseReference: string;

  @Field()
  agency: string;

  @Field(() => RagRating)
  rag: RagRating;

  @Field()
  dueAt: Date;

  @Field(() => Int)
  minutesOverdue: number;
}
