import { Field, ID, InputType, ObjectType, registerEnumType } from 'type-graphql';
import { Column, Entity, Index, PrimaryColumn } from 'typeorm';
import { ReferralSubjectInput } from './subject';
import { RagRating } from './triage';

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
