import { Field, ID, ObjectType, registerEnumType } from 'type-graphql';
import {
  Column,
  Entity,
  Index,
  ManyToOne,
  PrimaryGeneratedColumn,
  UpdateDateColumn,
} from 'typeorm';
import { AgencyCheck, DETAIL_MAY_BE_WITHHELD } from '../../schema/agencyCheck';
import { AgencyPerson } from '../../schema/agencyPerson';
import { AWAITING_RELEASE_DESCRIPTION, RECORD_ID_DESCRIPTION } from '../../schema/custodianRelease';
import { externalSubjectType } from '../../schema/externalSubject';

/** The MASH's Subject, extended here with this agency's check. */
export const Subject = externalSubjectType();
export type Subject = InstanceType<typeof Subject>;

export enum IncidentType {
  DOMESTIC_ABUSE = 'DOMESTIC_ABUSE',
  MISSING_EPISODE = 'MISSING_EPISODE',
  ASSAULT = 'ASSAULT',
  DRUGS = 'DRUGS',
  CONCERN_FOR_WELFARE = 'CONCERN_FOR_WELFARE',
  ANTISOCIAL_BEHAVIOUR = 'ANTISOCIAL_BEHAVIOUR',
}
registerEnumType(IncidentType, { name: 'IncidentType' });

export enum InvolvementRole {
  VICTIM = 'VICTIM',
  SUSPECT = 'SUSPECT',
  WITNESS = 'WITNESS',
  PRESENT_CHILD = 'PRESENT_CHILD',
  MISSING_PERSON = 'MISSING_PERSON',
  SUBJECT_OF_CONCERN = 'SUBJECT_OF_CONCERN',
}
registerEnumType(InvolvementRole, { name: 'InvolvementRole' });

export enum DomesticAbuseRisk {
  STANDARD = 'STANDARD',
  MEDIUM = 'MEDIUM',
  HIGH = 'HIGH',
}
registerEnumType(DomesticAbuseRisk, {
  name: 'DomesticAbuseRisk',
  description: 'DASH risk grade of a domestic-abuse incident (HIGH goes to MARAC).',
});

/** The police's own index of people (nominals). */
@Entity()
export class PolicePerson extends AgencyPerson {}

@Entity()
export class PoliceIncident {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ type: 'timestamptz' })
  occurredAt: Date;

  @Column({ type: 'varchar' })
  type: IncidentType;

  @Column({ type: 'text' })
  summary: string;

  @Column({ type: 'varchar', nullable: true })
  domesticAbuseRisk: DomesticAbuseRisk | null;

  /** Flagged by the police (e.g. an active investigation): released case by case. */
  @Column({ default: false })
  requiresCustodianRelease: boolean;

  /** When the agency last wrote the record: the chronology's change feed follows it. */
  @UpdateDateColumn({ type: 'timestamptz' })
  updatedAt: Date;
}

/** Who was involved in an incident, and how. */
@Entity()
export class PoliceInvolvement {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Index()
  @Column('uuid')
  personId: string;

  @ManyToOne(() => PoliceIncident, { nullable: false })
  incident: PoliceIncident;

  @Column({ type: 'varchar' })
  role: InvolvementRole;
}

@ObjectType()
@Entity()
export class PoliceArrest {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Index()
  @Column('uuid')
  personId: string;

  @Field()
  @Column({ type: 'timestamptz' })
  arrestedAt: Date;

  @Field()
  @Column()
  offence: string;

  @Field(() => String, { nullable: true, description: DETAIL_MAY_BE_WITHHELD })
  @Column()
  outcome: string;

  /** When the agency last wrote the record: the chronology's change feed follows it. */
  @UpdateDateColumn({ type: 'timestamptz' })
  updatedAt: Date;
}

@ObjectType({ description: 'An incident the subject was involved in, and their role in it.' })
export class IncidentRecord {
  @Field(() => ID, { description: RECORD_ID_DESCRIPTION })
  recordId: string;

  @Field({ description: AWAITING_RELEASE_DESCRIPTION })
  awaitingRelease: boolean;

  @Field()
  occurredAt: Date;

  @Field(() => IncidentType)
  type: IncidentType;

  @Field(() => InvolvementRole)
  role: InvolvementRole;

  @Field(() => String, { nullable: true, description: DETAIL_MAY_BE_WITHHELD })
  summary: string;

  @Field(() => DomesticAbuseRisk, { nullable: true })
  domesticAbuseRisk: DomesticAbuseRisk | null;

  /** The incident's last change, for the chronology's change feed (not a GraphQL field). */
  updatedAt: Date;
}

export interface PoliceRecords {
  incidents: IncidentRecord[];
  arrests: PoliceArrest[];
}

@ObjectType({ implements: AgencyCheck, description: "The police's check on a subject." })
export class PoliceCheck extends AgencyCheck implements PoliceRecords {
  @Field(() => [IncidentRecord], { nullable: true })
  incidents: IncidentRecord[];

  @Field(() => [PoliceArrest], { nullable: true })
  arrests: PoliceArrest[];
}
