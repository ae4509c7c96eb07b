import { Field, ID, ObjectType } from 'type-graphql';
import { Column, Entity, Index, PrimaryGeneratedColumn, Unique } from 'typeorm';
import { MatchDecisionKind } from '../../../schema/subject';

/**
 * A person's decision on a possible match of a case's subject to one agency record: remembered for
 * (case, subject, agency, record) and handed to the agencies with the subject's demographics, so a
 * confirmed record is shared as certain and a rejected one is never proposed again for this case.
 */
@ObjectType({ description: 'A decision on a possible match: who decided, what and why.' })
@Entity()
@Unique(['caseId', 'subjectId', 'agency', 'recordReference'])
export class IdentityMatchDecision {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Index()
  @Column('uuid')
  caseId: string;

  @Index()
  @Field(() => ID)
  @Column('uuid')
  subjectId: string;

  @Field({ description: 'The agency whose record was decided on.' })
  @Column()
  agency: string;

  @Field({ description: "The agency's reference for the record (its check's recordReference)." })
  @Column()
  recordReference: string;

  @Field(() => String, { description: 'CONFIRMED or REJECTED.' })
  @Column({ type: 'varchar' })
  decision: MatchDecisionKind;

  @Field()
  @Column({ type: 'text' })
  reason: string;

  @Field()
  @Column()
  decidedBy: string;

  @Field()
  @Column({ type: 'timestamptz' })
  decidedAt: Date;
}
