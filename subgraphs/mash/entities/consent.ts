import { Field, ObjectType, registerEnumType } from 'type-graphql';
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
