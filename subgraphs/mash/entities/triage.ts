import { Field, Int, ObjectType, registerEnumType } from 'type-graphql';
import { ThresholdOfNeed } from '../../../workflow/continuumOfNeed';

export enum RagRating {
  RED = 'RED',
  AMBER = 'AMBER',
  GREEN = 'GREEN',
}
registerEnumType(RagRating, { name: 'RagRating', description: 'Urgency set at triage.' });

registerEnumType(ThresholdOfNeed, {
  name: 'ThresholdOfNeed',
  description:
    'The level on the continuum of need (London Continuum: 1 universal to 4 child protection).',
});

@ObjectType({
  description: "A MASH manager's triage of a referral: how urgent, and at what level of need.",
})
export class Triage {
  @Field(() => RagRating)
  rag: RagRating;

  @Field(() => ThresholdOfNeed, {
    nullable: true,
    description: "A child's threshold of need; null for an adult at risk.",
  })
  threshold: ThresholdOfNeed | null;

  @Field(() => Int, {
    nullable: true,
    description: 'The level on the continuum of need, 1 to 4; null for an adult at risk.',
  })
  level: number | null;

  @Field()
  reason: string;

  @Field()
  triagedBy: string;

  @Field()
  triagedAt: Date;

  @Field({ description: 'When every agency check is due, by the RAG rating.' })
  checksDueAt: Date;
}
