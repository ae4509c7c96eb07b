import { Field, ID, ObjectType, registerEnumType } from 'type-graphql';
import { Column, Entity, Index, PrimaryGeneratedColumn, UpdateDateColumn } from 'typeorm';
import { AgencyCheck, DETAIL_MAY_BE_WITHHELD } from '../../schema/agencyCheck';
import { AgencyPerson } from '../../schema/agencyPerson';
import { AWAITING_RELEASE_DESCRIPTION, RECORD_ID_DESCRIPTION } from '../../schema/custodianRelease';
import { externalSubjectType } from '../../schema/externalSubject';

/** The MASH's Subject, extended here with this agency's check. */
export const Subject = externalSubjectType();
export type Subject = InstanceType<typeof Subject>;

export enum PrimarySupportReason {
  PHYSICAL_SUPPORT = 'PHYSICAL_SUPPORT',
  LEARNING_DISABILITY_SUPPORT = 'LEARNING_DISABILITY_SUPPORT',
  MENTAL_HEALTH_SUPPORT = 'MENTAL_HEALTH_SUPPORT',
  SUBSTANCE_MISUSE_SUPPORT = 'SUBSTANCE_MISUSE_SUPPORT',
  MEMORY_AND_COGNITION = 'MEMORY_AND_COGNITION',
  SOCIAL_SUPPORT = 'SOCIAL_SUPPORT',
}
registerEnumType(PrimarySupportReason, {
  name: 'PrimarySupportReason',
  description: 'The main reason for an adult’s care and support needs (Care Act 2014).',
});

export enum SafeguardingAbuseType {
  PHYSICAL = 'PHYSICAL',
  DOMESTIC_ABUSE = 'DOMESTIC_ABUSE',
  PSYCHOLOGICAL = 'PSYCHOLOGICAL',
  FINANCIAL = 'FINANCIAL',
  NEGLECT_AND_ACTS_OF_OMISSION = 'NEGLECT_AND_ACTS_OF_OMISSION',
  SELF_NEGLECT = 'SELF_NEGLECT',
}
registerEnumType(SafeguardingAbuseType, { name: 'SafeguardingAbuseType' });

export enum SafeguardingOutcome {
  ONGOING = 'ONGOING',
  RISK_REMOVED = 'RISK_REMOVED',
  RISK_REDUCED = 'RISK_REDUCED',
  RISK_REMAINS = 'RISK_REMAINS',
  NO_FURTHER_ACTION = 'NO_FURTHER_ACTION',
}
registerEnumType(SafeguardingOutcome, {
  name: 'SafeguardingOutcome',
  description: 'The outcome of a safeguarding adults concern or its section 42 enquiry.',
});

/** Adult social care's index of the adults it supports, assesses or has safeguarded. */
@Entity()
export class AdultSocialCarePerson extends AgencyPerson {}

/** An adult's assessed care and support needs, and what is in place. */
@ObjectType()
@Entity()
export class CareAndSupportNeed {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Index()
  @Column('uuid')
  personId: string;

  @Field()
  @Column({ type: 'date' })
  assessedOn: string;

  @Field(() => PrimarySupportReason, { nullable: true, description: DETAIL_MAY_BE_WITHHELD })
  @Column({ type: 'varchar' })
  primarySupportReason: PrimarySupportReason;

  @Field(() => String, { nullable: true, description: DETAIL_MAY_BE_WITHHELD })
  @Column({ type: 'text' })
  supportInPlace: string;

  @Field(() => String, { nullable: true, description: 'Null: the support has ended.' })
  @Column({ type: 'date', nullable: true })
  reviewDueOn: string | null;

  /** When the agency last wrote the record: the chronology's change feed follows it. */
  @UpdateDateColumn({ type: 'timestamptz' })
  updatedAt: Date;
}

/** A safeguarding adults concern, and the section 42 enquiry (Care Act 2014) if one was made. */
@ObjectType()
@Entity()
export class SafeguardingAdultsConcern {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  /**
   * Flagged by adult-social-care: a concern under a section 42 enquiry (Care Act 2014). Released
   * case by case by its own MASH member.
   */
  @Column({ default: false })
  requiresCustodianRelease: boolean;

  @Field(() => ID, { description: RECORD_ID_DESCRIPTION })
  recordId: string;

  @Field({ description: AWAITING_RELEASE_DESCRIPTION })
  awaitingRelease: boolean;

  @Index()
  @Column('uuid')
  personId: string;

  @Field()
  @Column({ type: 'date' })
  raisedOn: string;

  @Field(() => SafeguardingAbuseType, { nullable: true, description: DETAIL_MAY_BE_WITHHELD })
  @Column({ type: 'varchar' })
  abuseType: SafeguardingAbuseType;

  @Field(() => String, { nullable: true, description: 'A section 42 enquiry opened (null: none).' })
  @Column({ type: 'date', nullable: true })
  section42EnquiryOn: string | null;

  @Field(() => String, { nullable: true })
  @Column({ type: 'date', nullable: true })
  concludedOn: string | null;

  @Field(() => SafeguardingOutcome, { nullable: true, description: DETAIL_MAY_BE_WITHHELD })
  @Column({ type: 'varchar' })
  outcome: SafeguardingOutcome;

  /** When the agency last wrote the record: the chronology's change feed follows it. */
  @UpdateDateColumn({ type: 'timestamptz' })
  updatedAt: Date;
}

/** A carer in the household: who they care for (by relationship), and the carer's assessment. */
@ObjectType()
@Entity()
export class CarerRecord {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Index()
  @Column('uuid')
  personId: string;

  @Field({ description: 'The carer’s assessment.' })
  @Column({ type: 'date' })
  assessedOn: string;

  @Field({ description: 'Whom they care for, by relationship (e.g. "their mother").' })
  @Column()
  caresFor: string;

  @Field({ description: 'A young carer (under 18) in transition to adult services.' })
  @Column()
  youngCarer: boolean;

  /** When the agency last wrote the record: the chronology's change feed follows it. */
  @UpdateDateColumn({ type: 'timestamptz' })
  updatedAt: Date;
}

export interface AdultSocialCareRecords {
  careAndSupportNeeds: CareAndSupportNeed[];
  safeguardingConcerns: SafeguardingAdultsConcern[];
  carerRecords: CarerRecord[];
}

@ObjectType({ implements: AgencyCheck, description: "Adult social care's check on a subject." })
export class AdultSocialCareCheck extends AgencyCheck implements AdultSocialCareRecords {
  @Field(() => [CareAndSupportNeed], { nullable: true })
  careAndSupportNeeds: CareAndSupportNeed[];

  @Field(() => [SafeguardingAdultsConcern], { nullable: true })
  safeguardingConcerns: SafeguardingAdultsConcern[];

  @Field(() => [CarerRecord], { nullable: true })
  carerRecords: CarerRecord[];
}
