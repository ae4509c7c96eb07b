import { Directive, Field, ID, Int, ObjectType, registerEnumType } from 'type-graphql';
import { Column, Entity, Index, PrimaryColumn, PrimaryGeneratedColumn } from 'typeorm';
import { ConsentState, SharingGround } from '../../policies/consent';
import { Purpose, Role } from '../../policies/roles';
import { Sex, SubjectDemographics } from '../../schema/subject';

export enum ReferrerType {
  POLICE = 'POLICE',
  SCHOOL = 'SCHOOL',
  HEALTH = 'HEALTH',
  GP = 'GP',
  SELF = 'SELF',
  FAMILY = 'FAMILY',
  ANONYMOUS = 'ANONYMOUS',
  OTHER = 'OTHER',
}
registerEnumType(ReferrerType, { name: 'ReferrerType' });

export enum RagRating {
  RED = 'RED',
  AMBER = 'AMBER',
  GREEN = 'GREEN',
}
registerEnumType(RagRating, { name: 'RagRating', description: 'Urgency set at triage.' });

export enum CaseStatus {
  OPEN = 'OPEN',
  DECIDED = 'DECIDED',
  CLOSED = 'CLOSED',
}
registerEnumType(CaseStatus, { name: 'CaseStatus' });

export enum HouseholdRole {
  CHILD = 'CHILD',
  SIBLING = 'SIBLING',
  PARENT = 'PARENT',
  CARER = 'CARER',
  PARTNER = 'PARTNER',
  OTHER_ADULT = 'OTHER_ADULT',
}
registerEnumType(HouseholdRole, { name: 'HouseholdRole' });
registerEnumType(ConsentState, { name: 'ConsentState' });
registerEnumType(Role, { name: 'Role' });
registerEnumType(Purpose, { name: 'Purpose' });
registerEnumType(SharingGround, {
  name: 'SharingGround',
  description: 'A lawful ground for sharing without consent.',
});

@ObjectType({
  description: 'A referral to the MASH: the worry about a child, as the referrer gave it.',
})
@Entity()
export class Referral {
  @Field(() => ID)
  @PrimaryColumn('uuid')
  id: string;

  @Field()
  @Column({ type: 'timestamptz' })
  receivedAt: Date;

  @Field(() => ReferrerType)
  @Column({ type: 'varchar' })
  referrerType: ReferrerType;

  @Field()
  @Column({ type: 'text' })
  concerns: string;

  @Field(() => RagRating, { nullable: true, description: 'Null until triaged.' })
  @Column({ type: 'varchar', nullable: true })
  rag: RagRating | null;
}

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
}

/** A ground for sharing without consent, recorded for a case by a MASH manager. */
@ObjectType({
  description: 'A ground for sharing without consent: who authorised it, when and why.',
})
@Entity()
export class RecordedGround {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Index()
  @Column('uuid')
  caseId: string;

  @Field(() => SharingGround)
  @Column({ type: 'varchar' })
  ground: SharingGround;

  @Field()
  @Column()
  authorisedBy: string;

  @Field()
  @Column({ type: 'timestamptz' })
  authorisedAt: Date;

  @Field()
  @Column({ type: 'text' })
  reason: string;
}

/** What the gateway's policies need to know about a case (never shown to clients). */
@Directive('@inaccessible')
@ObjectType()
export class CaseAccessFacts {
  @Field(() => ID)
  id: string;

  @Field()
  reference: string;

  @Field(() => String, { nullable: true })
  externalReference: string | null;

  @Field(() => CaseStatus)
  status: CaseStatus;

  @Field(() => [String])
  teams: string[];

  @Field(() => ConsentState)
  consent: ConsentState;

  @Field(() => [RecordedGround])
  grounds: RecordedGround[];
}

@ObjectType({
  description: 'The consent state of a case and the grounds recorded for sharing without it.',
})
export class ConsentRecord {
  @Field(() => ConsentState)
  state: ConsentState;

  @Field(() => String, { nullable: true })
  notes: string | null;

  @Field(() => String, { nullable: true })
  recordedBy: string | null;

  @Field(() => Date, { nullable: true })
  recordedAt: Date | null;

  @Field(() => [RecordedGround])
  grounds: RecordedGround[];
}

@Directive('@key(fields: "id")')
@ObjectType({ description: 'A person named in a case, with the demographics the referral gave.' })
@Entity()
export class Subject implements SubjectDemographics {
  @Field(() => ID)
  @PrimaryColumn('uuid')
  id: string;

  @Index()
  @Column('uuid')
  caseId: string;

  @Field(() => HouseholdRole)
  @Column({ type: 'varchar' })
  roleInHousehold: HouseholdRole;

  @Field()
  @Column()
  givenName: string;

  @Field()
  @Column()
  familyName: string;

  @Field(() => String, {
    nullable: true,
    description: 'ISO date; null when the referrer did not know it.',
  })
  @Column({ type: 'date', nullable: true })
  dateOfBirth: string | null;

  @Field(() => Sex, { nullable: true })
  @Column({ type: 'varchar', nullable: true })
  sex: Sex | null;

  @Field(() => String, { nullable: true })
  @Column({ type: 'varchar', nullable: true })
  addressLine: string | null;

  @Field(() => String, { nullable: true })
  @Column({ type: 'varchar', nullable: true })
  postcode: string | null;

  @Field(() => String, { nullable: true })
  @Column({ type: 'varchar', nullable: true })
  nhsNumber: string | null;

  /** A person at risk (e.g. in a refuge): their address never leaves the hub. */
  @Column({ default: false })
  addressConfidential: boolean;
}

@ObjectType({
  description: "A case's header, for lists: reaching a case's people needs the case itself.",
})
export class CaseSummary {
  @Field(() => ID)
  id: string;

  @Field()
  reference: string;

  @Field(() => CaseStatus)
  status: CaseStatus;

  @Field()
  openedAt: Date;
}

@ObjectType()
export class CaseSummaryEdge {
  @Field()
  cursor: string;

  @Field(() => CaseSummary)
  node: CaseSummary;
}

@ObjectType()
export class PageInfo {
  @Field()
  hasNextPage: boolean;

  @Field(() => String, { nullable: true })
  endCursor: string | null;
}

@ObjectType({ description: 'A page of cases, in reference order; pass endCursor as `after`.' })
export class CaseSummaryConnection {
  @Field(() => [CaseSummaryEdge])
  edges: CaseSummaryEdge[];

  @Field(() => PageInfo)
  pageInfo: PageInfo;

  @Field(() => Int)
  totalCount: number;
}

@ObjectType({
  description:
    'One cell of the policy matrix: may this role, for this purpose, under this basis, see this field?',
})
export class PolicyDecision {
  @Field({ description: 'The GraphQL type and field, e.g. IncidentRecord.summary.' })
  field: string;

  @Field(() => String, {
    nullable: true,
    description: 'The agency that is custodian of the field.',
  })
  custodian: string | null;

  @Field()
  tier: string;

  @Field()
  role: string;

  @Field(() => String, {
    nullable: true,
    description: "For a researcher: OWN or OTHER agency's records.",
  })
  researcherOf: string | null;

  @Field()
  purpose: string;

  @Field({ description: 'CONSENT, a recorded ground, or NONE.' })
  basis: string;

  @Field()
  allowed: boolean;

  @Field(() => String, { nullable: true })
  code: string | null;

  @Field(() => String, { nullable: true, description: 'The rule that denies.' })
  rule: string | null;
}
