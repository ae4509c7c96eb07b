import { Field, ID, InputType, ObjectType } from 'type-graphql';
import { Column, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';

/**
 * A professional's request for the MASH's advice without a referral (Birmingham's consultation
 * service). Only what the professional chose to say: no subject, no demographics.
 */
@ObjectType({
  description:
    'A consultation: a professional asked the MASH for advice without making a referral. It holds only what they chose to say.',
})
@Entity()
export class Consultation {
  @Field(() => ID)
  @PrimaryGeneratedColumn('uuid')
  id: string;

  /** Indexed: the measures count a period's consultations by it. */
  @Field()
  @Index()
  @Column({ type: 'timestamptz' })
  askedAt: Date;

  @Field({ description: "The professional's role, e.g. designated safeguarding lead." })
  @Column()
  askedByRole: string;

  @Field({ description: 'Their agency or organisation.' })
  @Column()
  askedByAgency: string;

  @Field({ description: 'What they asked about, in their own words.' })
  @Column({ type: 'text' })
  question: string;

  @Field({ description: 'The advice the MASH gave.' })
  @Column({ type: 'text' })
  advice: string;

  @Field()
  @Column()
  advisedBy: string;

  /** The case opened when the consultation became a referral. */
  @Column({ type: 'uuid', nullable: true })
  caseId: string | null;
}

@InputType({
  description:
    'A consultation as the MASH records it: who asked (role, agency), about what, and the advice.',
})
export class ConsultationInput {
  @Field()
  askedByRole: string;

  @Field()
  askedByAgency: string;

  @Field({ description: 'What they asked about; no names, dates of birth or addresses.' })
  question: string;

  @Field()
  advice: string;

  @Field(() => Date, { nullable: true, description: 'When they asked; now when not given.' })
  askedAt?: Date | null;
}
