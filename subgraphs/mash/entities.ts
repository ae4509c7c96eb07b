import { Directive, Field, ID, Int, ObjectType, registerEnumType } from 'type-graphql';
import { Column, Entity, Index, PrimaryColumn } from 'typeorm';
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
}

@ObjectType()
export class CaseEdge {
  @Field()
  cursor: string;

  @Field(() => Case)
  node: Case;
}

@ObjectType()
export class PageInfo {
  @Field()
  hasNextPage: boolean;

  @Field(() => String, { nullable: true })
  endCursor: string | null;
}

@ObjectType({ description: 'A page of cases, newest reference last; pass endCursor as `after`.' })
export class CaseConnection {
  @Field(() => [CaseEdge])
  edges: CaseEdge[];

  @Field(() => PageInfo)
  pageInfo: PageInfo;

  @Field(() => Int)
  totalCount: number;
}
