import { Field, ID, Int, ObjectType } from 'type-graphql';
import { CaseStatus } from './case';

@ObjectType({
  description: "A case's header, for lists: reaching a case's people needs the case itself.",
})
export class CaseSummary {
  @Field(() => ID)
  id: string;

  @Field()
  reference: string;

  @Field(() => CaseStatus)
  status: CaseStatus;

  @Field()
  openedAt: Date;

  @Field(() => [String], { description: 'The MASH teams the case is allocated to.' })
  teams: string[];
}

@ObjectType()
export class CaseSummaryEdge {
  @Field()
  cursor: string;

  @Field(() => CaseSummary)
  node: CaseSummary;
}

@ObjectType()
export class PageInfo {
  @Field()
  hasNextPage: boolean;

  @Field(() => String, { nullable: true })
  endCursor: string | null;
}

@ObjectType({ description: 'A page of cases, in reference order; pass endCursor as `after`.' })
export class CaseSummaryConnection {
  @Field(() => [CaseSummaryEdge])
  edges: CaseSummaryEdge[];

  @Field(() => PageInfo)
  pageInfo: PageInfo;

  @Field(() => Int)
  totalCount: number;
}
