import { Field, InputType } from 'type-graphql';
import { Column, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';
import { Sex } from '../../../schema/subject';

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
