import { Field, ID, ObjectType, registerEnumType } from 'type-graphql';
import { Column, Entity, Index, PrimaryGeneratedColumn, UpdateDateColumn } from 'typeorm';
import { AgencyCheck, DETAIL_MAY_BE_WITHHELD } from '../../schema/agencyCheck';
import { AgencyPerson } from '../../schema/agencyPerson';
import { AWAITING_RELEASE_DESCRIPTION, RECORD_ID_DESCRIPTION } from '../../schema/custodianRelease';
import { externalSubjectType } from '../../schema/externalSubject';

/** The MASH's Subject, extended here with this agency's check. */
export const Subject = externalSubjectType();
export type Subject = InstanceType<typeof Subject>;

export enum HealthContactKind {
  AE_ATTENDANCE = 'AE_ATTENDANCE',
  HEALTH_VISITOR_CONTACT = 'HEALTH_VISITOR_CONTACT',
  SCHOOL_NURSE_CONTACT = 'SCHOOL_NURSE_CONTACT',
  MATERNITY = 'MATERNITY',
  CAMHS = 'CAMHS',
  MISSED_APPOINTMENT = 'MISSED_APPOINTMENT',
}
registerEnumType(HealthContactKind, {
  name: 'HealthContactKind',
  description:
    'A&E attendance, health visiting, school nursing, maternity, CAMHS, or a missed appointment.',
});

export enum HealthReferralSource {
  GP = 'GP',
  SCHOOL_NURSE = 'SCHOOL_NURSE',
  SCHOOL = 'SCHOOL',
  SELF_OR_PARENT = 'SELF_OR_PARENT',
  EMERGENCY_DEPARTMENT = 'EMERGENCY_DEPARTMENT',
  HEALTH_VISITOR = 'HEALTH_VISITOR',
  SOCIAL_CARE = 'SOCIAL_CARE',
}
registerEnumType(HealthReferralSource, {
  name: 'HealthReferralSource',
  description:
    'Who referred the patient to the service: the GP, a school nurse, the school, the family itself, A&E, a health visitor, social care.',
});

/** A patient registered with a GP practice in the area. */
@Entity()
export class HealthPatient extends AgencyPerson {
  @Column()
  gpPractice: string;

  @Column({ type: 'date' })
  registeredSince: string;
}

@ObjectType()
@Entity()
export class HealthContact {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  /**
   * Flagged by health: a safeguarding note (an injury that may be domestic abuse, seen before the
   * hospital safeguarding team has spoken to the patient alone). Released case by case by its own
   * MASH member.
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

  @Field(() => HealthContactKind)
  @Column({ type: 'varchar' })
  kind: HealthContactKind;

  @Field()
  @Column({ type: 'timestamptz' })
  occurredAt: Date;

  @Field()
  @Column()
  service: string;

  @Field(() => String, { nullable: true, description: DETAIL_MAY_BE_WITHHELD })
  @Column({ type: 'text' })
  summary: string;

  /** When the agency last wrote the record: the chronology's change feed follows it. */
  @UpdateDateColumn({ type: 'timestamptz' })
  updatedAt: Date;
}

/** A referral into a health service (CAMHS, community paediatrics …): who made it, and why. */
@ObjectType()
@Entity()
export class HealthReferral {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Index()
  @Column('uuid')
  patientId: string;

  @Field({ description: 'The service referred to, e.g. CAMHS.' })
  @Column()
  service: string;

  @Field({ description: 'The day the service received the referral.' })
  @Column({ type: 'date' })
  referredOn: string;

  @Field(() => HealthReferralSource)
  @Column({ type: 'varchar' })
  source: HealthReferralSource;

  @Field(() => String, {
    nullable: true,
    description: `Why the patient was referred. ${DETAIL_MAY_BE_WITHHELD}`,
  })
  @Column({ type: 'text' })
  reason: string;

  /** When the agency last wrote the record: the chronology's change feed follows it. */
  @UpdateDateColumn({ type: 'timestamptz' })
  updatedAt: Date;
}

export interface HealthRecords {
  gpPractice: string | null;
  registeredSince: string | null;
  contacts: HealthContact[];
  referrals: HealthReferral[];
}

@ObjectType({
  implements: AgencyCheck,
  description: 'The health check on a subject (GP, community, acute).',
})
export class HealthCheck extends AgencyCheck implements HealthRecords {
  @Field(() => String, {
    nullable: true,
    description: 'The GP practice the subject is registered with.',
  })
  gpPractice: string | null;

  @Field(() => String, { nullable: true })
  registeredSince: string | null;

  @Field(() => [HealthContact], { nullable: true })
  contacts: HealthContact[];

  @Field(() => [HealthReferral], {
    nullable: true,
    description: 'Referrals into health services, with who referred.',
  })
  referrals: HealthReferral[];
}
