import { Field, ID, ObjectType, registerEnumType } from 'type-graphql';
import { Column, Entity, Index, PrimaryGeneratedColumn, UpdateDateColumn } from 'typeorm';
import { AgencyCheck, DETAIL_MAY_BE_WITHHELD } from '../../schema/agencyCheck';
import { AgencyPerson } from '../../schema/agencyPerson';
import { AWAITING_RELEASE_DESCRIPTION, RECORD_ID_DESCRIPTION } from '../../schema/custodianRelease';
import { externalSubjectType } from '../../schema/externalSubject';

/** The MASH's Subject, extended here with this agency's check. */
export const Subject = externalSubjectType();
export type Subject = InstanceType<typeof Subject>;

export enum EpisodeKind {
  REFERRAL = 'REFERRAL',
  CHILD_AND_FAMILY_ASSESSMENT = 'CHILD_AND_FAMILY_ASSESSMENT',
  CHILD_IN_NEED_PLAN = 'CHILD_IN_NEED_PLAN',
  CHILD_PROTECTION_PLAN = 'CHILD_PROTECTION_PLAN',
  LOOKED_AFTER = 'LOOKED_AFTER',
}
registerEnumType(EpisodeKind, {
  name: 'EpisodeKind',
  description: "A stage of a child's social care history.",
});

/** A child on children's social care's case management system. */
@Entity()
export class SocialCarePerson extends AgencyPerson {}

@ObjectType()
@Entity()
export class SocialCareEpisode {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  /**
   * Flagged by social-care: a child protection plan or a looked-after episode (its category and
   * outcome can identify a child's disclosure, or arrangements kept from a parent). Released case
   * by case by its own MASH member.
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

  @Field(() => EpisodeKind)
  @Column({ type: 'varchar' })
  kind: EpisodeKind;

  @Field()
  @Column({ type: 'date' })
  startDate: string;

  @Field(() => String, { nullable: true, description: 'Null while the episode is open.' })
  @Column({ type: 'date', nullable: true })
  endDate: string | null;

  @Field(() => String, {
    nullable: true,
    description: 'e.g. the category of a child protection plan.',
  })
  @Column({ type: 'varchar', nullable: true })
  category: string | null;

  @Field(() => String, { nullable: true, description: DETAIL_MAY_BE_WITHHELD })
  @Column({ type: 'text' })
  outcome: string;

  /** When the agency last wrote the record: the chronology's change feed follows it. */
  @UpdateDateColumn({ type: 'timestamptz' })
  updatedAt: Date;
}

export interface SocialCareRecords {
  episodes: SocialCareEpisode[];
}

@ObjectType({
  implements: AgencyCheck,
  description: "Children's social care history of a subject.",
})
export class SocialCareCheck extends AgencyCheck implements SocialCareRecords {
  @Field(() => [SocialCareEpisode], { nullable: true })
  episodes: SocialCareEpisode[];
}
