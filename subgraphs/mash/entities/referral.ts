import { Field, ID, InputType, ObjectType, registerEnumType } from 'type-graphql';
import { Column, Entity, Index, PrimaryColumn } from 'typeorm';
import { ReferralAbout } from '../../../workflow/continuumOfNeed';
import { EarlyHelpAssessmentInput } from './earlyHelpAssessment';
import { FamilyInformedInput } from './familyInformed';
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

registerEnumType(ReferralAbout, {
  name: 'ReferralAbout',
  description: 'Whom a referral is about: a child, or an adult at risk (Care Act 2014).',
});

@ObjectType({
  description:
    'A referral to the MASH: the worry about a child or an adult at risk, as the referrer gave it.',
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

  @Field({ description: 'The referrer believes the child or adult is at immediate risk.' })
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

  @Field(() => ReferralAbout)
  @Column({ type: 'varchar', default: ReferralAbout.CHILD })
  about: ReferralAbout;

  // The child's Early Help Assessment (`earlyHelpAssessment` on the API, earlyHelpAssessment.ts).
  @Column({ type: 'varchar', nullable: true })
  earlyHelpAssessmentReference: string | null;

  @Column({ type: 'text', nullable: true })
  earlyHelpAssessmentSummary: string | null;

  @Column({ type: 'timestamptz', nullable: true })
  earlyHelpAssessmentSuppliedAt: Date | null;

  /** Set for a child-protection referral that came without its assessment. */
  @Index({ where: '"earlyHelpAssessmentSuppliedAt" IS NULL' })
  @Column({ type: 'timestamptz', nullable: true })
  earlyHelpAssessmentDueAt: Date | null;

  // Whether the family was told (`familyInformed` on the case, familyInformed.ts); null: not recorded.
  @Column({ type: 'boolean', nullable: true })
  familyTold: boolean | null;

  @Column({ type: 'varchar', nullable: true })
  familyToldBy: string | null;

  @Column({ type: 'timestamptz', nullable: true })
  familyToldAt: Date | null;

  @Column({ type: 'text', nullable: true })
  familyNotToldReason: string | null;

  @Column({ type: 'varchar', nullable: true })
  familyNotToldDecidedBy: string | null;

  @Column({ type: 'varchar', nullable: true })
  familyInformedRecordedBy: string | null;

  @Column({ type: 'timestamptz', nullable: true })
  familyInformedRecordedAt: Date | null;
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

  @Field({ description: 'What the worry about the child or the adult is.' })
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

  @Field(() => ReferralAbout, { defaultValue: ReferralAbout.CHILD })
  about: ReferralAbout;

  @Field(() => EarlyHelpAssessmentInput, {
    nullable: true,
    description:
      "The child's Early Help Assessment; a child-protection referral may follow with it within 48 hours.",
  })
  earlyHelpAssessment?: EarlyHelpAssessmentInput | null;

  @Field(() => FamilyInformedInput, {
    nullable: true,
    description: 'Whether the family was told of the referral, or why not.',
  })
  familyInformed?: FamilyInformedInput | null;
}
