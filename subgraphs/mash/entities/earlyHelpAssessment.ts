import { Field, InputType, ObjectType } from 'type-graphql';

@ObjectType({
  description:
    "A child's Early Help Assessment as the referral carries it: its summary or the early-help system's reference, and when it was supplied.",
})
export class EarlyHelpAssessment {
  @Field(() => String, { nullable: true, description: "The early-help system's reference." })
  reference: string | null;

  @Field(() => String, { nullable: true })
  summary: string | null;

  @Field(() => Date, { nullable: true, description: 'Null while it has not been supplied.' })
  suppliedAt: Date | null;

  @Field(() => Date, {
    nullable: true,
    description:
      'For a child-protection referral that came without it: 48 hours after receipt on the MASH clock.',
  })
  dueAt: Date | null;

  @Field({ description: 'Due and not supplied by its deadline.' })
  overdue: boolean;
}

@InputType({
  description:
    "A child's Early Help Assessment: its summary, or the early-help system's reference.",
})
export class EarlyHelpAssessmentInput {
  @Field(() => String, { nullable: true })
  reference?: string | null;

  @Field(() => String, { nullable: true })
  summary?: string | null;
}
