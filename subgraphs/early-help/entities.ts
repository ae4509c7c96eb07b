import { Field, ID, ObjectType, registerEnumType } from 'type-graphql';
import { Column, Entity, Index, PrimaryGeneratedColumn, UpdateDateColumn } from 'typeorm';
import { AgencyCheck, DETAIL_MAY_BE_WITHHELD } from '../../schema/agencyCheck';
import { AgencyPerson } from '../../schema/agencyPerson';
import { AWAITING_RELEASE_DESCRIPTION, RECORD_ID_DESCRIPTION } from '../../schema/custodianRelease';
import { externalSubjectType } from '../../schema/externalSubject';

/** The MASH's Subject, extended here with this agency's check. */
export const Subject = externalSubjectType();
export type Subject = InstanceType<typeof Subject>;

export enum EarlyHelpOutcome {
  OPEN = 'OPEN',
  STEPPED_UP = 'STEPPED_UP',
  STEPPED_DOWN = 'STEPPED_DOWN',
  CLOSED_NEEDS_MET = 'CLOSED_NEEDS_MET',
  CLOSED_FAMILY_DECLINED = 'CLOSED_FAMILY_DECLINED',
}
registerEnumType(EarlyHelpOutcome, {
  name: 'EarlyHelpOutcome',
  description:
    'How an early help episode ended: stepped up to children’s social care, stepped down to universal services, or closed.',
});

/** The early help service's index of the family members its episodes name. */
@Entity()
export class EarlyHelpPerson extends AgencyPerson {
  @Index()
  @Column('uuid')
  familyId: string;
}

/**
 * An early help episode for a family: its assessment, its family support plan with a lead
 * professional, and how it ended.
 */
@ObjectType()
@Entity()
export class EarlyHelpEpisode {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  /**
   * Flagged by early-help: the needs a family disclosed in confidence about domestic abuse.
   * Released case by case by its own MASH member.
   */
  @Column({ default: false })
  requiresCustodianRelease: boolean;

  @Field(() => ID, { description: RECORD_ID_DESCRIPTION })
  recordId: string;

  @Field({ description: AWAITING_RELEASE_DESCRIPTION })
  awaitingRelease: boolean;

  @Index()
  @Column('uuid')
  familyId: string;

  @Field()
  @Column({ type: 'date' })
  openedOn: string;

  @Field(() => String, { nullable: true, description: 'The early help assessment.' })
  @Column({ type: 'date', nullable: true })
  assessedOn: string | null;

  @Field(() => String, { nullable: true, description: DETAIL_MAY_BE_WITHHELD })
  @Column({ type: 'text', nullable: true })
  needsIdentified: string | null;

  @Field(() => String, { nullable: true, description: 'The family support plan agreed.' })
  @Column({ type: 'date', nullable: true })
  planAgreedOn: string | null;

  @Field(() => String, { nullable: true })
  @Column({ type: 'date', nullable: true })
  planReviewedOn: string | null;

  @Field(() => String, {
    nullable: true,
    description: 'The lead professional’s role and service (never a named person).',
  })
  @Column({ type: 'varchar', nullable: true })
  leadProfessional: string | null;

  @Field(() => String, { nullable: true })
  @Column({ type: 'date', nullable: true })
  closedOn: string | null;

  @Field(() => EarlyHelpOutcome)
  @Column({ type: 'varchar' })
  outcome: EarlyHelpOutcome;

  /** When the agency last wrote the record: the chronology's change feed follows it. */
  @UpdateDateColumn({ type: 'timestamptz' })
  updatedAt: Date;
}

export interface EarlyHelpRecords {
  episodes: EarlyHelpEpisode[];
}

@ObjectType({
  implements: AgencyCheck,
  description: "The early help service's check on a subject.",
})
export class EarlyHelpCheck extends AgencyCheck implements EarlyHelpRecords {
  @Field(() => [EarlyHelpEpisode], { nullable: true })
  episodes: EarlyHelpEpisode[];
}
