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

export enum DashRiskLevel {
  STANDARD = 'STANDARD',
  MEDIUM = 'MEDIUM',
  HIGH = 'HIGH',
}
registerEnumType(DashRiskLevel, {
  name: 'DashRiskLevel',
  description: 'The DASH risk assessment of the victim: HIGH is referred to MARAC.',
});

export enum DomesticAbuseRole {
  VICTIM = 'VICTIM',
  ALLEGED_PERPETRATOR = 'ALLEGED_PERPETRATOR',
  CHILD_IN_HOUSEHOLD = 'CHILD_IN_HOUSEHOLD',
}
registerEnumType(DomesticAbuseRole, {
  name: 'DomesticAbuseRole',
  description: 'How the person is named in the domestic abuse case (the MARAC lists all three).',
});

/**
 * The IDVA service's index of the people its cases name. No address is kept in the records it
 * shares: where a victim now lives is the refuge address the protected-address policy guards.
 */
@Entity()
export class DomesticAbuseClient extends AgencyPerson {}

/** One domestic abuse case: the DASH assessment, the MARAC, the safety plan. */
@Entity()
export class DomesticAbuseCase {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  /**
   * Flagged by domestic-abuse: a safety plan that moves the victim to a refuge or protects the home
   * (a sanctuary scheme). Released case by case by its own MASH member.
   */
  @Column({ default: false })
  requiresCustodianRelease: boolean;

  @Column({ type: 'date' })
  referredOn: string;

  @Column({ type: 'varchar' })
  dashRiskLevel: DashRiskLevel;

  @Column({ type: 'date' })
  dashAssessedOn: string;

  @Column({ type: 'date', nullable: true })
  maracReferredOn: string | null;

  @Column({ type: 'date', nullable: true })
  maracMeetingOn: string | null;

  @Column({ type: 'date', nullable: true })
  safetyPlanAgreedOn: string | null;

  @Column({ type: 'date', nullable: true })
  safetyPlanReviewedOn: string | null;

  /** What the safety plan puts in place; never a place. */
  @Column({ type: 'text', nullable: true })
  safetyMeasures: string | null;

  @Column({ type: 'date', nullable: true })
  closedOn: string | null;

  /** When the agency last wrote the record: the chronology's change feed follows it. */
  @UpdateDateColumn({ type: 'timestamptz' })
  updatedAt: Date;
}

/** A person named in a case, and as whom. */
@Entity()
export class DomesticAbuseInvolvement {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Index()
  @Column('uuid')
  personId: string;

  @ManyToOne(() => DomesticAbuseCase, { nullable: false })
  case: DomesticAbuseCase;

  @Column({ type: 'varchar' })
  role: DomesticAbuseRole;
}

/** A domestic abuse case as the check shares it, from the subject's place in it. */
@ObjectType()
export class DomesticAbuseCaseRecord {
  @Field(() => ID, { description: RECORD_ID_DESCRIPTION })
  recordId: string;

  @Field({ description: AWAITING_RELEASE_DESCRIPTION })
  awaitingRelease: boolean;

  @Field(() => DomesticAbuseRole)
  role: DomesticAbuseRole;

  @Field({ description: 'When the case was referred to the IDVA service.' })
  referredOn: string;

  @Field(() => DashRiskLevel, { nullable: true, description: DETAIL_MAY_BE_WITHHELD })
  dashRiskLevel: DashRiskLevel;

  @Field()
  dashAssessedOn: string;

  @Field(() => String, { nullable: true, description: 'Referred to MARAC (a HIGH risk).' })
  maracReferredOn: string | null;

  @Field(() => String, { nullable: true, description: 'The MARAC meeting that heard the case.' })
  maracMeetingOn: string | null;

  @Field(() => String, { nullable: true })
  safetyPlanAgreedOn: string | null;

  @Field(() => String, { nullable: true })
  safetyPlanReviewedOn: string | null;

  @Field(() => String, { nullable: true, description: DETAIL_MAY_BE_WITHHELD })
  safetyMeasures: string | null;

  @Field(() => String, { nullable: true, description: 'Null while the case is open.' })
  closedOn: string | null;

  /** The case's last change, for the chronology's change feed (not a GraphQL field). */
  updatedAt: Date;
}

export interface DomesticAbuseRecords {
  cases: DomesticAbuseCaseRecord[];
}

@ObjectType({
  implements: AgencyCheck,
  description: 'The domestic abuse service’s (IDVA and MARAC) check on a subject.',
})
export class DomesticAbuseCheck extends AgencyCheck implements DomesticAbuseRecords {
  @Field(() => [DomesticAbuseCaseRecord], { nullable: true })
  cases: DomesticAbuseCaseRecord[];
}
