import { Directive, Field, ID, InputType, Int, ObjectType, registerEnumType } from 'type-graphql';
import { Column, Entity, Index, PrimaryColumn, PrimaryGeneratedColumn, Unique } from 'typeorm';
import { ConsentState, SharingGround } from '../../policies/consent';
import { Purpose, Role } from '../../policies/roles';
import { MatchDecisionKind, Sex, SubjectDemographics } from '../../schema/subject';
import { MashOutcome, ThresholdOfNeed } from '../../workflow/continuumOfNeed';

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
registerEnumType(ThresholdOfNeed, {
  name: 'ThresholdOfNeed',
  description:
    'The level on the continuum of need (London Continuum: 1 universal to 4 child protection).',
});
registerEnumType(MashOutcome, { name: 'MashOutcome', description: "The MASH manager's decision." });
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

  /** Indexed: the performance measures select a period's referrals by it. */
  @Field()
  @Index()
  @Column({ type: 'timestamptz' })
  receivedAt: Date;

  @Field(() => ReferrerType)
  @Column({ type: 'varchar' })
  referrerType: ReferrerType;

  @Field(() => String, { nullable: true })
  @Column({ type: 'varchar', nullable: true })
  referrerName: string | null;

  @Field(() => String, { nullable: true })
  @Column({ type: 'varchar', nullable: true })
  referrerOrganisation: string | null;

  @Field(() => String, { nullable: true, description: 'Phone or email; null when anonymous.' })
  @Column({ type: 'varchar', nullable: true })
  referrerContact: string | null;

  /** The referrer's user id when they submitted it themselves: they may follow its outcome. */
  @Index()
  @Column({ type: 'varchar', nullable: true })
  submittedBy: string | null;

  @Field()
  @Column({ type: 'text' })
  concerns: string;

  @Field({ description: 'The referrer believes the child is at immediate risk.' })
  @Column({ default: false })
  immediateRisk: boolean;

  @Field({ description: "Whether the referrer sought the family's consent to the referral." })
  @Column({ default: false })
  consentSought: boolean;

  @Field(() => Boolean, { nullable: true, description: 'The answer, when consent was sought.' })
  @Column({ type: 'boolean', nullable: true })
  consentGiven: boolean | null;

  @Field(() => RagRating, { nullable: true, description: 'Set at triage; null until then.' })
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

@ObjectType({
  description: "A MASH manager's triage of a referral: how urgent, and at what level of need.",
})
export class Triage {
  @Field(() => RagRating)
  rag: RagRating;

  @Field(() => ThresholdOfNeed)
  threshold: ThresholdOfNeed;

  @Field(() => Int, { description: 'The level on the continuum of need, 1 to 4.' })
  level: number;

  @Field()
  reason: string;

  @Field()
  triagedBy: string;

  @Field()
  triagedAt: Date;

  @Field({ description: 'When every agency check is due, by the RAG rating.' })
  checksDueAt: Date;
}

@ObjectType({
  description:
    "One agency's check for a case: requested at triage, due by the RAG deadline, and what the agency shared.",
})
@Entity()
@Unique(['caseId', 'agency'])
@Index(['agency', 'dueAt'], { where: '"completedAt" IS NULL' })
export class AgencyCheckTask {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Index()
  @Column('uuid')
  caseId: string;

  @Field({ description: 'The agency asked to check, e.g. police.' })
  @Column()
  agency: string;

  @Field()
  @Column({ type: 'timestamptz' })
  requestedAt: Date;

  @Field()
  @Column({ type: 'timestamptz' })
  dueAt: Date;

  @Field(() => Date, { nullable: true, description: 'Null while the check is outstanding.' })
  @Column({ type: 'timestamptz', nullable: true })
  completedAt: Date | null;

  @Field(() => String, { nullable: true })
  @Column({ type: 'varchar', nullable: true })
  completedBy: string | null;

  @Field(() => String, {
    nullable: true,
    description: 'What the agency shares with the hub: proportionate to the worry.',
  })
  @Column({ type: 'text', nullable: true })
  summary: string | null;

  @Field(() => String, {
    nullable: true,
    description: 'Signs of Safety: what are we worried about?',
  })
  @Column({ type: 'text', nullable: true })
  worries: string | null;

  @Field(() => String, { nullable: true, description: 'Signs of Safety: what is working well?' })
  @Column({ type: 'text', nullable: true })
  workingWell: string | null;

  @Field(() => String, { nullable: true, description: 'Signs of Safety: what needs to happen?' })
  @Column({ type: 'text', nullable: true })
  needsToHappen: string | null;

  @Field(() => RagRating, { nullable: true, description: "The agency's own view of the risk." })
  @Column({ type: 'varchar', nullable: true })
  riskView: RagRating | null;
}

@ObjectType({ description: "The MASH manager's decision on a referral, after the agency checks." })
@Entity()
export class Decision {
  @PrimaryColumn('uuid')
  caseId: string;

  @Field(() => MashOutcome)
  @Column({ type: 'varchar' })
  outcome: MashOutcome;

  @Field()
  @Column({ type: 'text' })
  rationale: string;

  @Field(() => RagRating, { description: 'The RAG rating once the agencies had shared.' })
  @Column({ type: 'varchar' })
  ragAfterChecks: RagRating;

  @Field()
  @Column()
  decidedBy: string;

  @Field()
  @Column({ type: 'timestamptz' })
  decidedAt: Date;

  @Field({ description: 'Decided within one working day of receipt.' })
  @Column()
  withinDeadline: boolean;

  @Field(() => [String], { description: 'Agencies whose checks were still outstanding.' })
  @Column({ type: 'varchar', array: true })
  checksOutstanding: string[];
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

  @Field(() => String, { nullable: true })
  externalSystem: string | null;

  @Field(() => CaseStatus)
  status: CaseStatus;

  @Field(() => [String])
  teams: string[];

  @Field(() => ConsentState)
  consent: ConsentState;

  @Field(() => [RecordedGround])
  grounds: RecordedGround[];

  @Field(() => ThresholdOfNeed, { nullable: true, description: 'Null until triaged.' })
  threshold: ThresholdOfNeed | null;

  @Field(() => MashOutcome, {
    nullable: true,
    description: "The manager's decision; null until decided.",
  })
  decision: MashOutcome | null;
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
// Every request looks up the protected addresses its subjects could be at: only the protected rows.
@Index('subject_protected_address', ['postcode', 'addressLine'], { where: '"addressConfidential"' })
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

  @Field(() => [String], { description: 'The MASH teams the case is allocated to.' })
  teams: string[];
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

  @Field(() => String, {
    nullable: true,
    description: 'What would lawfully release a denied cell, and who can do it; null when allowed.',
  })
  release: string | null;
}

export enum ReferralStage {
  RECEIVED = 'RECEIVED',
  CHECKS_UNDER_WAY = 'CHECKS_UNDER_WAY',
  DECIDED = 'DECIDED',
}
registerEnumType(ReferralStage, { name: 'ReferralStage' });

@ObjectType({
  description:
    "What a referrer may know of their own referral: where it is and, once decided, the outcome. Nothing of the agencies' checks.",
})
export class ReferralStatus {
  @Field(() => ID)
  referralId: string;

  @Field({ description: 'The hub reference to quote when calling the MASH.' })
  caseReference: string;

  @Field()
  receivedAt: Date;

  @Field(() => ReferralStage)
  stage: ReferralStage;

  @Field()
  decisionDueAt: Date;

  @Field(() => MashOutcome, { nullable: true })
  outcome: MashOutcome | null;

  @Field(() => Date, { nullable: true })
  decidedAt: Date | null;
}

@ObjectType({ description: 'An agency check past its deadline and not yet done.' })
export class OverdueAgencyCheck {
  @Field()
  caseReference: string;

  @Field()
  agency: string;

  @Field(() => RagRating)
  rag: RagRating;

  @Field()
  dueAt: Date;

  @Field(() => Int)
  minutesOverdue: number;
}

@ObjectType()
export class MeasureCount {
  @Field()
  key: string;

  @Field(() => Int)
  count: number;
}

@ObjectType()
export class DecisionTimeliness {
  @Field(() => Int)
  decided: number;

  @Field(() => Int)
  decidedOnTime: number;

  @Field(() => Int)
  decidedLate: number;

  @Field(() => Int)
  undecided: number;

  @Field(() => Int)
  undecidedOverdue: number;

  @Field(() => Number, { nullable: true })
  medianHoursToDecision: number | null;
}

@ObjectType()
export class AgencyCheckTimeliness {
  @Field()
  agency: string;

  @Field(() => Int)
  requested: number;

  @Field(() => Int)
  completedOnTime: number;

  @Field(() => Int)
  completedLate: number;

  @Field(() => Int)
  outstanding: number;

  @Field(() => Int)
  overdue: number;
}

@ObjectType()
export class OutcomeCount {
  @Field()
  source: string;

  @Field(() => MashOutcome)
  outcome: string;

  @Field(() => Int)
  count: number;
}

@ObjectType()
export class RagChange {
  @Field(() => RagRating)
  from: string;

  @Field(() => RagRating)
  to: string;

  @Field(() => Int)
  count: number;
}

@ObjectType({
  description:
    'How the hub performed for the referrals received in a period, measured as they stand now.',
})
export class MashPerformance {
  @Field()
  from: Date;

  @Field()
  to: Date;

  @Field()
  asOf: Date;

  @Field({ description: 'The timeliness scheme the deadlines follow.' })
  scheme: string;

  @Field(() => Int)
  referrals: number;

  @Field(() => [MeasureCount], { description: 'Referrals by source (referrer type).' })
  bySource: MeasureCount[];

  @Field(() => DecisionTimeliness)
  decisions: DecisionTimeliness;

  @Field(() => [AgencyCheckTimeliness])
  checksByAgency: AgencyCheckTimeliness[];

  @Field(() => [OutcomeCount])
  outcomesBySource: OutcomeCount[];

  @Field(() => [RagChange], { description: 'RAG at triage against RAG after the agency checks.' })
  ragChanges: RagChange[];

  @Field(() => Int, {
    description: 'Referrals naming a child already referred in the 12 months before.',
  })
  repeatReferrals: number;
}

@InputType({ description: 'A person named in a referral.' })
export class ReferralSubjectInput {
  @Field(() => HouseholdRole)
  roleInHousehold: HouseholdRole;

  @Field()
  givenName: string;

  @Field()
  familyName: string;

  @Field(() => String, { nullable: true, description: 'ISO date, YYYY-MM-DD.' })
  dateOfBirth?: string | null;

  @Field(() => Sex, { nullable: true })
  sex?: Sex | null;

  @Field(() => String, { nullable: true })
  addressLine?: string | null;

  @Field(() => String, { nullable: true })
  postcode?: string | null;

  @Field(() => String, { nullable: true })
  nhsNumber?: string | null;

  @Field({ defaultValue: false, description: 'The person is at risk (e.g. in a refuge).' })
  addressConfidential: boolean;
}

@InputType({ description: 'A referral at the single point of entry.' })
export class ReferralInput {
  @Field(() => ReferrerType)
  referrerType: ReferrerType;

  @Field(() => String, { nullable: true })
  referrerName?: string | null;

  @Field(() => String, { nullable: true })
  referrerOrganisation?: string | null;

  @Field(() => String, { nullable: true })
  referrerContact?: string | null;

  @Field({ description: 'What the worry about the child is.' })
  concerns: string;

  @Field()
  immediateRisk: boolean;

  @Field()
  consentSought: boolean;

  @Field(() => Boolean, { nullable: true })
  consentGiven?: boolean | null;

  @Field(() => String, {
    nullable: true,
    description: 'Who was asked and what they said, or why consent was not sought.',
  })
  consentNotes?: string | null;

  @Field(() => [ReferralSubjectInput])
  subjects: ReferralSubjectInput[];
}

@InputType({ description: "An agency's check, as its researcher records it." })
export class AgencyCheckFindingInput {
  @Field({ description: 'What the agency shares: proportionate to the worry.' })
  summary: string;

  @Field()
  worries: string;

  @Field()
  workingWell: string;

  @Field()
  needsToHappen: string;

  @Field(() => RagRating)
  riskView: RagRating;
}

/**
 * A person's decision on a possible match of a case's subject to one agency record: remembered for
 * (case, subject, agency, record) and handed to the agencies with the subject's demographics, so a
 * confirmed record is shared as certain and a rejected one is never proposed again for this case.
 */
@ObjectType({ description: 'A decision on a possible match: who decided, what and why.' })
@Entity()
@Unique(['caseId', 'subjectId', 'agency', 'recordReference'])
export class IdentityMatchDecision {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Index()
  @Column('uuid')
  caseId: string;

  @Index()
  @Field(() => ID)
  @Column('uuid')
  subjectId: string;

  @Field({ description: 'The agency whose record was decided on.' })
  @Column()
  agency: string;

  @Field({ description: "The agency's reference for the record (its check's recordReference)." })
  @Column()
  recordReference: string;

  @Field(() => String, { description: 'CONFIRMED or REJECTED.' })
  @Column({ type: 'varchar' })
  decision: MatchDecisionKind;

  @Field()
  @Column({ type: 'text' })
  reason: string;

  @Field()
  @Column()
  decidedBy: string;

  @Field()
  @Column({ type: 'timestamptz' })
  decidedAt: Date;
}

/**
 * A correction of a subject's demographics after intake: which fields changed, who, when and why.
 * Neither the old nor the new values are kept here: the subject itself holds the current ones.
 */
@Entity()
export class DemographicCorrection {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Index()
  @Column('uuid')
  subjectId: string;

  @Column({ type: 'varchar', array: true })
  fields: string[];

  @Column({ type: 'text' })
  reason: string;

  @Column()
  correctedBy: string;

  @Column({ type: 'timestamptz' })
  correctedAt: Date;
}

@InputType({
  description:
    'Corrected demographics for a subject: give only what changes (null clears a date of birth, sex or NHS number).',
})
export class SubjectCorrectionInput {
  @Field(() => String, { nullable: true })
  givenName?: string;

  @Field(() => String, { nullable: true })
  familyName?: string;

  @Field(() => String, { nullable: true, description: 'ISO date, YYYY-MM-DD.' })
  dateOfBirth?: string | null;

  @Field(() => Sex, { nullable: true })
  sex?: Sex | null;

  @Field(() => String, { nullable: true, description: 'Ten digits (spaces allowed).' })
  nhsNumber?: string | null;
}
