import { Field, ID, ObjectType, registerEnumType } from 'type-graphql';
import { Column, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';
import { ConsentState, SharingGround } from '../../../policies/consent';

registerEnumType(ConsentState, { name: 'ConsentState' });

registerEnumType(SharingGround, {
  name: 'SharingGround',
  description: 'A lawful ground for sharing without consent.',
});

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

/**
 * An assessment of an adult at risk's mental capacity to decide about sharing (Mental Capacity Act
 * 2005): their own consent counts only when they have that capacity.
 */
@ObjectType({
  description:
    "An adult's mental capacity to consent to sharing: who assessed it, when, and the outcome.",
})
@Entity()
export class CapacityAssessment {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Index()
  @Column('uuid')
  caseId: string;

  @Field(() => ID, { description: 'The adult assessed (a subject of the case).' })
  @Column('uuid')
  subjectId: string;

  @Field({ description: 'The adult has capacity to decide about sharing their information.' })
  @Column()
  hasCapacity: boolean;

  @Field({ description: 'Who assessed it (name and role).' })
  @Column()
  assessedBy: string;

  @Field()
  @Column({ type: 'timestamptz' })
  assessedAt: Date;

  @Field()
  @Column({ type: 'text' })
  notes: string;

  @Field()
  @Column()
  recordedBy: string;

  @Field()
  @Column({ type: 'timestamptz' })
  recordedAt: Date;
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

  @Field(() => [CapacityAssessment], {
    description: 'For an adult at risk: their mental capacity to consent, newest first.',
  })
  capacityAssessments: CapacityAssessment[];
}
