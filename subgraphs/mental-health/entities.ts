import { Field, ID, ObjectType, registerEnumType } from 'type-graphql';
import { Column, Entity, Index, PrimaryGeneratedColumn, UpdateDateColumn } from 'typeorm';
import { AgencyCheck, DETAIL_MAY_BE_WITHHELD } from '../../schema/agencyCheck';
import { AgencyPerson } from '../../schema/agencyPerson';
import { AWAITING_RELEASE_DESCRIPTION, RECORD_ID_DESCRIPTION } from '../../schema/custodianRelease';
import { externalSubjectType } from '../../schema/externalSubject';

/** The MASH's Subject, extended here with this agency's check. */
export const Subject = externalSubjectType();
export type Subject = InstanceType<typeof Subject>;

export enum MentalHealthTeam {
  CAMHS = 'CAMHS',
  ADULT_COMMUNITY = 'ADULT_COMMUNITY',
  CRISIS_AND_HOME_TREATMENT = 'CRISIS_AND_HOME_TREATMENT',
  PERINATAL = 'PERINATAL',
  EARLY_INTERVENTION_IN_PSYCHOSIS = 'EARLY_INTERVENTION_IN_PSYCHOSIS',
}
registerEnumType(MentalHealthTeam, {
  name: 'MentalHealthTeam',
  description: 'The mental health trust’s team the person is (or was) open to.',
});

export enum CrisisContactKind {
  CRISIS_ASSESSMENT = 'CRISIS_ASSESSMENT',
  HOME_TREATMENT = 'HOME_TREATMENT',
  LIAISON_IN_EMERGENCY_DEPARTMENT = 'LIAISON_IN_EMERGENCY_DEPARTMENT',
  CRISIS_LINE_CALL = 'CRISIS_LINE_CALL',
}
registerEnumType(CrisisContactKind, { name: 'CrisisContactKind' });

export enum AdmissionLegalStatus {
  INFORMAL = 'INFORMAL',
  MHA_SECTION_2 = 'MHA_SECTION_2',
  MHA_SECTION_3 = 'MHA_SECTION_3',
  MHA_SECTION_136 = 'MHA_SECTION_136',
}
registerEnumType(AdmissionLegalStatus, {
  name: 'AdmissionLegalStatus',
  description: 'Informal, or detained under the Mental Health Act 1983 (section 2, 3 or 136).',
});

/** The NHS mental health trust's patient index (distinct from physical health's). */
@Entity()
export class MentalHealthPatient extends AgencyPerson {}

/** A period the person is open to one of the trust's teams. */
@ObjectType()
@Entity()
export class MentalHealthEpisode {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Index()
  @Column('uuid')
  patientId: string;

  @Field(() => MentalHealthTeam, { nullable: true })
  @Column({ type: 'varchar' })
  team: MentalHealthTeam;

  @Field(() => String, { nullable: true })
  @Column({ type: 'date' })
  openedOn: string;

  @Field(() => String, {
    nullable: true,
    description: 'Null while the person is open to the team.',
  })
  @Column({ type: 'date', nullable: true })
  closedOn: string | null;

  @Field(() => String, {
    nullable: true,
    description: 'The team of the care coordinator (never a named clinician).',
  })
  @Column()
  careCoordinatorTeam: string;

  /** When the agency last wrote the record: the chronology's change feed follows it. */
  @UpdateDateColumn({ type: 'timestamptz' })
  updatedAt: Date;
}

@ObjectType()
@Entity()
export class MentalHealthCrisisContact {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  /**
   * Flagged by mental-health: a crisis assessment of self-harm risk. Released case by case by its
   * own MASH member.
   */
  @Column({ default: false })
  requiresCustodianRelease: boolean;

  @Field(() => ID, { description: RECORD_ID_DESCRIPTION })
  recordId: string;

  @Field({ description: AWAITING_RELEASE_DESCRIPTION })
  awaitingRelease: boolean;

  @Index()
  @Column('uuid')
  patientId: string;

  @Field(() => CrisisContactKind, { nullable: true })
  @Column({ type: 'varchar' })
  kind: CrisisContactKind;

  @Field(() => String, { nullable: true })
  @Column({ type: 'date' })
  occurredOn: string;

  @Field(() => String, { nullable: true, description: DETAIL_MAY_BE_WITHHELD })
  @Column({ type: 'text' })
  summary: string;

  /** When the agency last wrote the record: the chronology's change feed follows it. */
  @UpdateDateColumn({ type: 'timestamptz' })
  updatedAt: Date;
}

@ObjectType()
@Entity()
export class MentalHealthAdmission {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  /**
   * Flagged by mental-health: a detention under the Mental Health Act. Released case by case by its
   * own MASH member.
   */
  @Column({ default: false })
  requiresCustodianRelease: boolean;

  @Field(() => ID, { description: RECORD_ID_DESCRIPTION })
  recordId: string;

  @Field({ description: AWAITING_RELEASE_DESCRIPTION })
  awaitingRelease: boolean;

  @Index()
  @Column('uuid')
  patientId: string;

  @Field(() => String, { nullable: true })
  @Column({ type: 'date' })
  admittedOn: string;

  @Field(() => String, { nullable: true, description: 'Null while the person is in hospital.' })
  @Column({ type: 'date', nullable: true })
  dischargedOn: string | null;

  @Field(() => AdmissionLegalStatus, { nullable: true })
  @Column({ type: 'varchar' })
  legalStatus: AdmissionLegalStatus;

  /** When the agency last wrote the record: the chronology's change feed follows it. */
  @UpdateDateColumn({ type: 'timestamptz' })
  updatedAt: Date;
}

export interface MentalHealthRecords {
  episodes: MentalHealthEpisode[];
  crisisContacts: MentalHealthCrisisContact[];
  admissions: MentalHealthAdmission[];
}

@ObjectType({
  implements: AgencyCheck,
  description: "The NHS mental health trust's check on a subject.",
})
export class MentalHealthCheck extends AgencyCheck implements MentalHealthRecords {
  @Field(() => [MentalHealthEpisode], { nullable: true })
  episodes: MentalHealthEpisode[];

  @Field(() => [MentalHealthCrisisContact], { nullable: true })
  crisisContacts: MentalHealthCrisisContact[];

  @Field(() => [MentalHealthAdmission], { nullable: true })
  admissions: MentalHealthAdmission[];
}
