import { Field, ID, ObjectType, registerEnumType } from 'type-graphql';
import { Column, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';
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
}

export interface HealthRecords {
  gpPractice: string | null;
  registeredSince: string | null;
  contacts: HealthContact[];
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
}
