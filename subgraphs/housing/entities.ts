import { Field, Float, ID, Int, ObjectType, registerEnumType } from 'type-graphql';
import { Column, Entity, Index, PrimaryGeneratedColumn, UpdateDateColumn } from 'typeorm';
import { AgencyCheck, DETAIL_MAY_BE_WITHHELD } from '../../schema/agencyCheck';
import { AgencyPerson } from '../../schema/agencyPerson';
import { AWAITING_RELEASE_DESCRIPTION, RECORD_ID_DESCRIPTION } from '../../schema/custodianRelease';
import { externalSubjectType } from '../../schema/externalSubject';

/** The MASH's Subject, extended here with this agency's check. */
export const Subject = externalSubjectType();
export type Subject = InstanceType<typeof Subject>;

export enum Tenure {
  COUNCIL = 'COUNCIL',
  HOUSING_ASSOCIATION = 'HOUSING_ASSOCIATION',
  PRIVATE_RENTED = 'PRIVATE_RENTED',
}
registerEnumType(Tenure, { name: 'Tenure' });

export enum PossessionStage {
  NONE = 'NONE',
  NOTICE_SERVED = 'NOTICE_SERVED',
  CLAIM_ISSUED = 'CLAIM_ISSUED',
  ORDER_GRANTED = 'ORDER_GRANTED',
  EVICTION_SCHEDULED = 'EVICTION_SCHEDULED',
  EVICTED = 'EVICTED',
}
registerEnumType(PossessionStage, {
  name: 'PossessionStage',
  description: 'How far possession (eviction) proceedings on the tenancy have gone.',
});

export enum HomelessnessDecision {
  PENDING = 'PENDING',
  PREVENTION_DUTY = 'PREVENTION_DUTY',
  RELIEF_DUTY = 'RELIEF_DUTY',
  MAIN_DUTY_ACCEPTED = 'MAIN_DUTY_ACCEPTED',
  INTENTIONALLY_HOMELESS = 'INTENTIONALLY_HOMELESS',
  NOT_HOMELESS = 'NOT_HOMELESS',
}
registerEnumType(HomelessnessDecision, {
  name: 'HomelessnessDecision',
  description: 'The council’s decision on a homelessness application (Housing Act 1996, Part 7).',
});

export enum TemporaryAccommodationKind {
  BED_AND_BREAKFAST = 'BED_AND_BREAKFAST',
  HOSTEL = 'HOSTEL',
  SELF_CONTAINED = 'SELF_CONTAINED',
}
registerEnumType(TemporaryAccommodationKind, { name: 'TemporaryAccommodationKind' });

export enum AntisocialBehaviourStage {
  WARNING = 'WARNING',
  ACCEPTABLE_BEHAVIOUR_CONTRACT = 'ACCEPTABLE_BEHAVIOUR_CONTRACT',
  INJUNCTION = 'INJUNCTION',
  CLOSURE_ORDER = 'CLOSURE_ORDER',
}
registerEnumType(AntisocialBehaviourStage, { name: 'AntisocialBehaviourStage' });

/**
 * The housing service's index of the people in the households it houses or has assessed. Its
 * records are the household's, shared with every member; no address leaves: a tenancy is a period
 * and a tenure, a placement whether it is out of the area — where a family lives may be a refuge.
 */
@Entity()
export class HousingPerson extends AgencyPerson {
  @Index()
  @Column('uuid')
  householdId: string;
}

/** A tenancy the household held: its address history, without the addresses. */
@ObjectType()
@Entity()
export class HousingTenancy {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Index()
  @Column('uuid')
  householdId: string;

  @Field(() => Tenure)
  @Column({ type: 'varchar' })
  tenure: Tenure;

  @Field()
  @Column({ type: 'date' })
  startedOn: string;

  @Field(() => String, { nullable: true, description: 'Null while the tenancy runs.' })
  @Column({ type: 'date', nullable: true })
  endedOn: string | null;

  @Field(() => Int)
  @Column({ type: 'int' })
  bedrooms: number;

  @Field({ description: 'Overcrowded by the bedroom standard.' })
  @Column()
  overcrowded: boolean;

  @Field(() => Float, { nullable: true, description: DETAIL_MAY_BE_WITHHELD })
  @Column({ type: 'real' })
  rentArrears: number;

  @Field(() => PossessionStage)
  @Column({ type: 'varchar' })
  possessionStage: PossessionStage;

  @Field(() => String, { nullable: true, description: 'When proceedings reached that stage.' })
  @Column({ type: 'date', nullable: true })
  possessionStageOn: string | null;

  /** When the agency last wrote the record: the chronology's change feed follows it. */
  @UpdateDateColumn({ type: 'timestamptz' })
  updatedAt: Date;
}

@ObjectType()
@Entity()
export class HomelessnessApplication {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  /**
   * Flagged by housing: the application of a household fleeing violence (its reason says from whom
   * and why). Released case by case by its own MASH member.
   */
  @Column({ default: false })
  requiresCustodianRelease: boolean;

  @Field(() => ID, { description: RECORD_ID_DESCRIPTION })
  recordId: string;

  @Field({ description: AWAITING_RELEASE_DESCRIPTION })
  awaitingRelease: boolean;

  @Index()
  @Column('uuid')
  householdId: string;

  @Field()
  @Column({ type: 'date' })
  appliedOn: string;

  @Field(() => HomelessnessDecision)
  @Column({ type: 'varchar' })
  decision: HomelessnessDecision;

  @Field(() => String, { nullable: true })
  @Column({ type: 'date', nullable: true })
  decidedOn: string | null;

  @Field(() => String, { nullable: true, description: DETAIL_MAY_BE_WITHHELD })
  @Column({ type: 'text' })
  reason: string;

  /** When the agency last wrote the record: the chronology's change feed follows it. */
  @UpdateDateColumn({ type: 'timestamptz' })
  updatedAt: Date;
}

@ObjectType()
@Entity()
export class TemporaryAccommodationPlacement {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Index()
  @Column('uuid')
  householdId: string;

  @Field(() => TemporaryAccommodationKind)
  @Column({ type: 'varchar' })
  kind: TemporaryAccommodationKind;

  @Field()
  @Column({ type: 'date' })
  placedOn: string;

  @Field(() => String, { nullable: true, description: 'Null while the placement lasts.' })
  @Column({ type: 'date', nullable: true })
  endedOn: string | null;

  @Field({ description: 'Placed outside the council’s own area (away from school, GP, family).' })
  @Column()
  outOfArea: boolean;

  /** When the agency last wrote the record: the chronology's change feed follows it. */
  @UpdateDateColumn({ type: 'timestamptz' })
  updatedAt: Date;
}

@ObjectType()
@Entity()
export class AntisocialBehaviourCase {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Index()
  @Column('uuid')
  householdId: string;

  @Field()
  @Column({ type: 'date' })
  openedOn: string;

  @Field(() => String, { nullable: true })
  @Column({ type: 'date', nullable: true })
  closedOn: string | null;

  @Field(() => AntisocialBehaviourStage)
  @Column({ type: 'varchar' })
  stage: AntisocialBehaviourStage;

  @Field(() => String, { nullable: true, description: DETAIL_MAY_BE_WITHHELD })
  @Column({ type: 'text' })
  complaint: string;

  /** When the agency last wrote the record: the chronology's change feed follows it. */
  @UpdateDateColumn({ type: 'timestamptz' })
  updatedAt: Date;
}

export interface HousingRecords {
  tenancies: HousingTenancy[];
  homelessnessApplications: HomelessnessApplication[];
  temporaryAccommodation: TemporaryAccommodationPlacement[];
  antisocialBehaviour: AntisocialBehaviourCase[];
}

@ObjectType({ implements: AgencyCheck, description: "The housing service's check on a subject." })
export class HousingCheck extends AgencyCheck implements HousingRecords {
  @Field(() => [HousingTenancy], { nullable: true })
  tenancies: HousingTenancy[];

  @Field(() => [HomelessnessApplication], { nullable: true })
  homelessnessApplications: HomelessnessApplication[];

  @Field(() => [TemporaryAccommodationPlacement], { nullable: true })
  temporaryAccommodation: TemporaryAccommodationPlacement[];

  @Field(() => [AntisocialBehaviourCase], { nullable: true })
  antisocialBehaviour: AntisocialBehaviourCase[];
}
