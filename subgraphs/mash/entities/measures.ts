import { Field, Int, ObjectType } from 'type-graphql';
import { MashOutcome } from '../../../workflow/continuumOfNeed';
import { RagRating } from './triage';

@ObjectType()
export class MeasureCount {
  @Field()
  key: string;

  @Field(() => Int)
  count: number;
}

@ObjectType()
export class DecisionTimeliness {
  @Field(() => Int)
  decided: number;

  @Field(() => Int)
  decidedOnTime: number;

  @Field(() => Int)
  decidedLate: number;

  @Field(() => Int)
  undecided: number;

  @Field(() => Int)
  undecidedOverdue: number;

  @Field(() => Number, { nullable: true })
  medianHoursToDecision: number | null;
}

@ObjectType()
export class AgencyCheckTimeliness {
  @Field()
  agency: string;

  @Field(() => Int)
  requested: number;

  @Field(() => Int)
  completedOnTime: number;

  @Field(() => Int)
  completedLate: number;

  @Field(() => Int)
  outstanding: number;

  @Field(() => Int)
  overdue: number;
}

@ObjectType()
export class OutcomeCount {
  @Field()
  source: string;

  @Field(() => MashOutcome)
  outcome: string;

  @Field(() => Int)
  count: number;
}

@ObjectType()
export class RagChange {
  @Field(() => RagRating)
  from: string;

  @Field(() => RagRating)
  to: string;

  @Field(() => Int)
  count: number;
}

@ObjectType({
  description:
    'Early Help Assessments that child-protection referrals came without: due 48 hours after receipt on the MASH clock.',
})
export class EarlyHelpAssessmentMeasures {
  @Field(() => Int, { description: 'Referrals that came without one and had a deadline.' })
  due: number;

  @Field(() => Int)
  suppliedOnTime: number;

  @Field(() => Int)
  suppliedLate: number;

  @Field(() => Int)
  outstanding: number;

  @Field(() => Int, { description: 'Outstanding and past the deadline.' })
  overdue: number;
}

@ObjectType({ description: 'Consultations (advice without a referral) asked for in a period.' })
export class ConsultationMeasures {
  @Field(() => Int)
  received: number;

  @Field(() => Int, { description: 'Those that became a referral.' })
  becameReferrals: number;

  @Field(() => [MeasureCount], { description: "By the asking professional's agency." })
  byAgency: MeasureCount[];
}

@ObjectType({
  description:
    'How the hub performed for the referrals received in a period, measured as they stand now.',
})
export class MashPerformance {
  @Field()
  from: Date;

  @Field()
  to: Date;

  @Field()
  asOf: Date;

  @Field({ description: 'The timeliness scheme the deadlines follow.' })
  scheme: string;

  @Field(() => Int)
  referrals: number;

  @Field(() => [MeasureCount], { description: 'Referrals by source (referrer type).' })
  bySource: MeasureCount[];

  @Field(() => DecisionTimeliness)
  decisions: DecisionTimeliness;

  @Field(() => [AgencyCheckTimeliness])
  checksByAgency: AgencyCheckTimeliness[];

  @Field(() => [OutcomeCount])
  outcomesBySource: OutcomeCount[];

  @Field(() => [RagChange], { description: 'RAG at triage against RAG after the agency checks.' })
  ragChanges: RagChange[];

  @Field(() => Int, {
    description: 'Referrals naming a child already referred in the 12 months before.',
  })
  repeatReferrals: number;

  @Field(() => [MeasureCount], {
    description: 'Referrals by whom they are about: CHILD or ADULT_AT_RISK.',
  })
  referralsAbout: MeasureCount[];

  @Field(() => [MeasureCount], {
    description: 'Decided referrals by whom they are about: CHILD or ADULT_AT_RISK.',
  })
  decidedAbout: MeasureCount[];

  @Field(() => EarlyHelpAssessmentMeasures)
  earlyHelpAssessments: EarlyHelpAssessmentMeasures;

  @Field(() => ConsultationMeasures, {
    description: 'Consultations asked for in the period, whatever became of them.',
  })
  consultations: ConsultationMeasures;
}
