import { Field, Float, ID, Int, ObjectType, registerEnumType } from 'type-graphql';
import { Column, Entity, Index, PrimaryGeneratedColumn, UpdateDateColumn } from 'typeorm';
import { AgencyCheck, DETAIL_MAY_BE_WITHHELD } from '../../schema/agencyCheck';
import { AgencyPerson } from '../../schema/agencyPerson';
import { AWAITING_RELEASE_DESCRIPTION, RECORD_ID_DESCRIPTION } from '../../schema/custodianRelease';
import { externalSubjectType } from '../../schema/externalSubject';

/** The MASH's Subject, extended here with this agency's check. */
export const Subject = externalSubjectType();
export type Subject = InstanceType<typeof Subject>;

export enum SenStatus {
  NONE = 'NONE',
  SEN_SUPPORT = 'SEN_SUPPORT',
  EHCP = 'EHCP',
}
registerEnumType(SenStatus, {
  name: 'SenStatus',
  description: 'Special educational needs: support, or an EHC plan.',
});

export enum ExclusionKind {
  SUSPENSION = 'SUSPENSION',
  PERMANENT_EXCLUSION = 'PERMANENT_EXCLUSION',
}
registerEnumType(ExclusionKind, { name: 'ExclusionKind' });

export enum SchoolConcernKind {
  INJURY_SEEN = 'INJURY_SEEN',
  BEHAVIOUR = 'BEHAVIOUR',
  DISCLOSURE = 'DISCLOSURE',
  NEGLECT_INDICATORS = 'NEGLECT_INDICATORS',
  ATTENDANCE = 'ATTENDANCE',
  EMOTIONAL_WELLBEING = 'EMOTIONAL_WELLBEING',
}
registerEnumType(SchoolConcernKind, {
  name: 'SchoolConcernKind',
  description:
    'What the school saw or heard: an injury, behaviour, a disclosure, signs of neglect, attendance, emotional wellbeing.',
});

export enum SchoolConcernLoggedBy {
  DESIGNATED_SAFEGUARDING_LEAD = 'DESIGNATED_SAFEGUARDING_LEAD',
  DEPUTY_DESIGNATED_SAFEGUARDING_LEAD = 'DEPUTY_DESIGNATED_SAFEGUARDING_LEAD',
}
registerEnumType(SchoolConcernLoggedBy, {
  name: 'SchoolConcernLoggedBy',
  description: 'The school role that logged the concern (the DSL or their deputy).',
});

export enum SchoolConcernAction {
  MONITORING = 'MONITORING',
  PARENTS_SPOKEN_TO = 'PARENTS_SPOKEN_TO',
  EARLY_HELP_OFFERED = 'EARLY_HELP_OFFERED',
  REFERRED_TO_MASH = 'REFERRED_TO_MASH',
}
registerEnumType(SchoolConcernAction, {
  name: 'SchoolConcernAction',
  description: 'What the school did about the concern.',
});

/** A child on the local authority's pupil database. */
@Entity()
export class Pupil extends AgencyPerson {
  @Column({ type: 'varchar', nullable: true })
  school: string | null;

  @Column({ type: 'varchar' })
  senStatus: SenStatus;

  @Column({ type: 'date', nullable: true })
  electiveHomeEducationSince: string | null;

  @Column({ type: 'date', nullable: true })
  missingEducationSince: string | null;
}

@ObjectType()
@Entity()
export class TermAttendance {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Index()
  @Column('uuid')
  pupilId: string;

  @Field({ description: 'e.g. 2025/26 Autumn' })
  @Column()
  term: string;

  @Field({ description: 'The last day of the term, for the chronology.' })
  @Column({ type: 'date' })
  termEnded: string;

  @Field(() => Float, { description: 'Percentage of sessions attended.' })
  @Column({ type: 'real' })
  attendancePercent: number;
}

@ObjectType()
@Entity()
export class Exclusion {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  /**
   * Flagged by education: an exclusion for an assault on another pupil (its reason is about a child
   * who is not the subject). Released case by case by its own MASH member.
   */
  @Column({ default: false })
  requiresCustodianRelease: boolean;

  @Field(() => ID, { description: RECORD_ID_DESCRIPTION })
  recordId: string;

  @Field({ description: AWAITING_RELEASE_DESCRIPTION })
  awaitingRelease: boolean;

  @Index()
  @Column('uuid')
  pupilId: string;

  @Field(() => ExclusionKind)
  @Column({ type: 'varchar' })
  kind: ExclusionKind;

  @Field()
  @Column({ type: 'date' })
  startDate: string;

  @Field(() => Int, { nullable: true, description: 'School days; null for a permanent exclusion.' })
  @Column({ type: 'int', nullable: true })
  days: number | null;

  @Field(() => String, { nullable: true, description: DETAIL_MAY_BE_WITHHELD })
  @Column()
  reason: string;

  /** When the agency last wrote the record: the chronology's change feed follows it. */
  @UpdateDateColumn({ type: 'timestamptz' })
  updatedAt: Date;
}

/** A safeguarding concern the school's designated safeguarding lead logged about a pupil. */
@ObjectType()
@Entity()
export class SchoolSafeguardingConcern {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Index()
  @Column('uuid')
  pupilId: string;

  @Field(() => SchoolConcernKind)
  @Column({ type: 'varchar' })
  kind: SchoolConcernKind;

  @Field({ description: 'The day the concern was logged.' })
  @Column({ type: 'date' })
  loggedOn: string;

  @Field(() => SchoolConcernLoggedBy)
  @Column({ type: 'varchar' })
  loggedBy: SchoolConcernLoggedBy;

  @Field(() => SchoolConcernAction)
  @Column({ type: 'varchar' })
  actionTaken: SchoolConcernAction;

  @Field(() => String, {
    nullable: true,
    description: `What was seen, said or done. ${DETAIL_MAY_BE_WITHHELD}`,
  })
  @Column({ type: 'text' })
  summary: string;

  /** When the agency last wrote the record: the chronology's change feed follows it. */
  @UpdateDateColumn({ type: 'timestamptz' })
  updatedAt: Date;
}

export interface EducationRecords {
  school: string | null;
  senStatus: SenStatus | null;
  electiveHomeEducationSince: string | null;
  missingEducationSince: string | null;
  attendance: TermAttendance[];
  exclusions: Exclusion[];
  safeguardingConcerns: SchoolSafeguardingConcern[];
}

@ObjectType({ implements: AgencyCheck, description: "Education's check on a subject." })
export class EducationCheck extends AgencyCheck implements EducationRecords {
  @Field(() => String, { nullable: true })
  school: string | null;

  @Field(() => SenStatus, { nullable: true })
  senStatus: SenStatus | null;

  @Field(() => String, {
    nullable: true,
    description: 'Set when the child is electively home educated.',
  })
  electiveHomeEducationSince: string | null;

  @Field(() => String, { nullable: true, description: 'Set when the child is missing education.' })
  missingEducationSince: string | null;

  @Field(() => [TermAttendance], { nullable: true })
  attendance: TermAttendance[];

  @Field(() => [Exclusion], { nullable: true })
  exclusions: Exclusion[];

  @Field(() => [SchoolSafeguardingConcern], {
    nullable: true,
    description: "Safeguarding concerns logged by the school's designated safeguarding lead.",
  })
  safeguardingConcerns: SchoolSafeguardingConcern[];
}
