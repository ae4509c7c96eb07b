import { Directive, Field, ID, InputType, ObjectType, registerEnumType } from 'type-graphql';
import { Column, Entity, Index, PrimaryColumn } from 'typeorm';
import { Sex, SubjectDemographics } from '../../../schema/subject';

export enum HouseholdRole {
  CHILD = 'CHILD',
  SIBLING = 'SIBLING',
  PARENT = 'PARENT',
  CARER = 'CARER',
  PARTNER = 'PARTNER',
  OTHER_ADULT = 'OTHER_ADULT',
  /** The adult a referral about an adult at risk is about (Care Act 2014). */
  ADULT_AT_RISK = 'ADULT_AT_RISK',
}
registerEnumType(HouseholdRole, { name: 'HouseholdRole' });

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
  // The earlier cases of a person without an NHS number are found by their date of birth.
  @Index()
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
  // A new referral looks up the person's earlier cases by it.
  @Index()
  @Column({ type: 'varchar', nullable: true })
  nhsNumber: string | null;

  /** A person at risk (e.g. in a refuge): their address never leaves the hub. */
  @Column({ default: false })
  addressConfidential: boolean;
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
