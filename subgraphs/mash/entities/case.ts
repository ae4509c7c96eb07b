import { Directive, Field, ID, ObjectType, registerEnumType } from 'type-graphql';
import { Column, Entity, Index, PrimaryColumn } from 'typeorm';
import { ConsentState } from '../../../policies/consent';
import { ThresholdOfNeed } from '../../../workflow/continuumOfNeed';

export enum CaseStatus {
  OPEN = 'OPEN',
  DECIDED = 'DECIDED',
  CLOSED = 'CLOSED',
}
registerEnumType(CaseStatus, { name: 'CaseStatus' });

@Directive('@key(fields: "id")')
@ObjectType({ description: 'A MASH case, opened from a referral.' })
@Entity()
export class Case {
  @Field(() => ID)
  @PrimaryColumn('uuid')
  id: string;

  @Field({ description: "The hub's own case reference, e.g. MASH-2026-000123." })
  @Index({ unique: true })
  @Column()
  reference: string;

  @Field(() => CaseStatus)
  @Column({ type: 'varchar' })
  status: CaseStatus;

  @Field()
  @Column({ type: 'timestamptz' })
  openedAt: Date;

  @Index()
  @Column('uuid')
  referralId: string;

  /** The case system's own reference (e.g. the council's children's social care system). */
  @Index()
  @Column({ type: 'varchar', nullable: true })
  externalReference: string | null;

  /**
   * Whose system that reference is in (the agency, e.g. social-care): only that agency's case
   * system may name the case by it. Null while the case is linked to no case system.
   */
  @Column({ type: 'varchar', nullable: true })
  externalSystem: string | null;

  /** The MASH teams the case is assigned to: only their members have a relationship with it. */
  @Column({ type: 'varchar', array: true })
  teams: string[];

  @Column({ type: 'varchar' })
  consent: ConsentState;

  @Column({ type: 'text', nullable: true })
  consentNotes: string | null;

  @Column({ type: 'varchar', nullable: true })
  consentRecordedBy: string | null;

  @Column({ type: 'timestamptz', nullable: true })
  consentRecordedAt: Date | null;

  @Field({
    description:
      'When the MASH must have decided: one working day after receipt (Working Together 2023).',
  })
  @Column({ type: 'timestamptz' })
  decisionDueAt: Date;

  @Column({ type: 'varchar', nullable: true })
  threshold: ThresholdOfNeed | null;

  @Column({ type: 'text', nullable: true })
  triageReason: string | null;

  @Column({ type: 'varchar', nullable: true })
  triagedBy: string | null;

  @Column({ type: 'timestamptz', nullable: true })
  triagedAt: Date | null;

  @Column({ type: 'timestamptz', nullable: true })
  checksDueAt: Date | null;
}
