import { Field, ID, ObjectType, registerEnumType } from 'type-graphql';
import { Column, Entity, Index, PrimaryGeneratedColumn, UpdateDateColumn } from 'typeorm';
import { AgencyCheck, DETAIL_MAY_BE_WITHHELD } from '../../schema/agencyCheck';
import { AgencyPerson } from '../../schema/agencyPerson';
import { AWAITING_RELEASE_DESCRIPTION, RECORD_ID_DESCRIPTION } from '../../schema/custodianRelease';
import { externalSubjectType } from '../../schema/externalSubject';

/** The MASH's Subject, extended here with this agency's check. */
export const Subject = externalSubjectType();
export type Subject = InstanceType<typeof Subject>;

export enum ProbationOrderType {
  COMMUNITY_ORDER = 'COMMUNITY_ORDER',
  SUSPENDED_SENTENCE_ORDER = 'SUSPENDED_SENTENCE_ORDER',
  LICENCE = 'LICENCE',
  POST_SENTENCE_SUPERVISION = 'POST_SENTENCE_SUPERVISION',
}
registerEnumType(ProbationOrderType, {
  name: 'ProbationOrderType',
  description:
    'What the person is supervised under: a community sentence, or a licence after release.',
});

export enum ProbationOffenceCategory {
  VIOLENCE_AGAINST_THE_PERSON = 'VIOLENCE_AGAINST_THE_PERSON',
  DOMESTIC_ABUSE_RELATED = 'DOMESTIC_ABUSE_RELATED',
  SEXUAL_OFFENCE = 'SEXUAL_OFFENCE',
  DRUG_OFFENCE = 'DRUG_OFFENCE',
  ACQUISITIVE = 'ACQUISITIVE',
  PUBLIC_ORDER = 'PUBLIC_ORDER',
}
registerEnumType(ProbationOffenceCategory, {
  name: 'ProbationOffenceCategory',
  description: 'The category of the index offence (the offence the supervision is for).',
});

export enum RiskOfSeriousHarm {
  LOW = 'LOW',
  MEDIUM = 'MEDIUM',
  HIGH = 'HIGH',
  VERY_HIGH = 'VERY_HIGH',
}
registerEnumType(RiskOfSeriousHarm, {
  name: 'RiskOfSeriousHarm',
  description: 'Risk of serious harm (RoSH), as the probation assessment grades it.',
});

export enum MappaLevel {
  LEVEL_1 = 'LEVEL_1',
  LEVEL_2 = 'LEVEL_2',
  LEVEL_3 = 'LEVEL_3',
}
registerEnumType(MappaLevel, {
  name: 'MappaLevel',
  description:
    'Multi-agency public protection arrangements: 1 ordinary agency management, 2 and 3 multi-agency.',
});

export enum MappaCategory {
  CATEGORY_1 = 'CATEGORY_1',
  CATEGORY_2 = 'CATEGORY_2',
  CATEGORY_3 = 'CATEGORY_3',
}
registerEnumType(MappaCategory, {
  name: 'MappaCategory',
  description: '1 registered sexual offender, 2 violent offender, 3 other dangerous offender.',
});

export enum LicenceConditionKind {
  NO_UNSUPERVISED_CONTACT_WITH_CHILDREN = 'NO_UNSUPERVISED_CONTACT_WITH_CHILDREN',
  NO_CONTACT_WITH_NAMED_VICTIM = 'NO_CONTACT_WITH_NAMED_VICTIM',
  EXCLUSION_ZONE = 'EXCLUSION_ZONE',
  DISCLOSE_RELATIONSHIPS = 'DISCLOSE_RELATIONSHIPS',
  ATTEND_PROGRAMME = 'ATTEND_PROGRAMME',
}
registerEnumType(LicenceConditionKind, {
  name: 'LicenceConditionKind',
  description: 'Licence or order conditions relevant to children and to the people they live with.',
});

/** The probation service's own index of people it supervises. */
@Entity()
export class ProbationPerson extends AgencyPerson {}

/** A period of supervision under one sentence, with the assessment of risk it carries. */
@ObjectType()
@Entity()
export class ProbationSupervision {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Index()
  @Column('uuid')
  personId: string;

  @Field(() => ProbationOrderType)
  @Column({ type: 'varchar' })
  orderType: ProbationOrderType;

  @Field({ description: 'The day the sentence was passed.' })
  @Column({ type: 'date' })
  sentencedOn: string;

  @Field(() => String, {
    nullable: true,
    description: 'Released on licence (null: a community sentence).',
  })
  @Column({ type: 'date', nullable: true })
  licenceStartsOn: string | null;

  @Field({ description: 'The end of the order or licence (the sentence expiry date).' })
  @Column({ type: 'date' })
  supervisionEndsOn: string;

  @Field(() => ProbationOffenceCategory, { nullable: true, description: DETAIL_MAY_BE_WITHHELD })
  @Column({ type: 'varchar' })
  indexOffenceCategory: ProbationOffenceCategory;

  @Field(() => MappaLevel, { nullable: true, description: 'Null: not managed under MAPPA.' })
  @Column({ type: 'varchar', nullable: true })
  mappaLevel: MappaLevel | null;

  @Field(() => MappaCategory, { nullable: true })
  @Column({ type: 'varchar', nullable: true })
  mappaCategory: MappaCategory | null;

  @Field(() => RiskOfSeriousHarm, {
    nullable: true,
    description: 'Risk of serious harm to children.',
  })
  @Column({ type: 'varchar' })
  riskToChildren: RiskOfSeriousHarm;

  @Field(() => RiskOfSeriousHarm, {
    nullable: true,
    description: 'Risk of serious harm to a known adult (often a partner or ex-partner).',
  })
  @Column({ type: 'varchar' })
  riskToKnownAdult: RiskOfSeriousHarm;

  @Field(() => RiskOfSeriousHarm, {
    nullable: true,
    description: 'Risk of serious harm to the public.',
  })
  @Column({ type: 'varchar' })
  riskToPublic: RiskOfSeriousHarm;

  /** When the agency last wrote the record: the chronology's change feed follows it. */
  @UpdateDateColumn({ type: 'timestamptz' })
  updatedAt: Date;
}

/**
 * A condition of the order or licence that bears on children or a household. Never a place: an
 * exclusion zone is named as a condition, its map stays with probation (it can locate a victim).
 */
@ObjectType()
@Entity()
export class ProbationLicenceCondition {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  /**
   * Flagged by probation: a victim-related licence condition (no contact with a named victim, an
   * exclusion zone): the victim contact scheme's information. Released case by case by its own MASH
   * member.
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

  @Field(() => LicenceConditionKind)
  @Column({ type: 'varchar' })
  kind: LicenceConditionKind;

  @Field()
  @Column({ type: 'date' })
  imposedOn: string;

  @Field(() => String, { nullable: true, description: 'Null while the condition stands.' })
  @Column({ type: 'date', nullable: true })
  endsOn: string | null;

  @Field(() => String, { nullable: true, description: DETAIL_MAY_BE_WITHHELD })
  @Column({ type: 'text' })
  detail: string;

  /** When the agency last wrote the record: the chronology's change feed follows it. */
  @UpdateDateColumn({ type: 'timestamptz' })
  updatedAt: Date;
}

export interface ProbationRecords {
  supervisions: ProbationSupervision[];
  licenceConditions: ProbationLicenceCondition[];
}

@ObjectType({ implements: AgencyCheck, description: "The probation service's check on a subject." })
export class ProbationCheck extends AgencyCheck implements ProbationRecords {
  @Field(() => [ProbationSupervision], { nullable: true })
  supervisions: ProbationSupervision[];

  @Field(() => [ProbationLicenceCondition], { nullable: true })
  licenceConditions: ProbationLicenceCondition[];
}
