import type { GraphQLResolveInfo } from 'graphql';
import {
  Arg,
  Directive,
  Field,
  FieldResolver,
  ID,
  Int,
  ObjectType,
  Resolver,
  Root,
} from 'type-graphql';
import { PolicyDenial } from '../../policies/policyDenial';
import {
  AGENCY_EVENTS_SELECTION,
  AgencyEventDenial,
  AgencyEvents,
  eventsField,
  eventTypesFor,
} from '../../schema/agencyEvents';
import { denialError } from '../../schema/denialError';
import { AGENCIES } from '../agencies';
import {
  applyFilter,
  changesSince,
  checkFilter,
  countEvents,
  mergeSources,
  Merged,
  MergedEvent,
  page,
  SubjectSources,
} from './chronology';
import { Case } from './entities/case';
import { PageInfo } from './entities/caseSummary';
import { Subject } from './entities/subject';

/**
 * The chronology, the change feed and the cumulative picture, on a subject and on a case's whole
 * household. The hub `@requires` every agency's hidden events field (`schema/agencyEvents.ts`), so
 * the gateway fetches them in parallel under the caller's own signed access context, each agency
 * deciding its own events; the hub merges, filters and pages what they shared. The agencies are
 * those of the registry that declare events: adding one needs no edit here.
 */
const EVENT_AGENCIES = AGENCIES.filter((a) => a.policy.events?.length);
const AGENCY_NAMES = EVENT_AGENCIES.map((a) => a.name);
const REQUIRED_EVENTS = EVENT_AGENCIES.map(
  (a) => `${eventsField(a.policy.checkField)} { ${AGENCY_EVENTS_SELECTION} }`,
).join(' ');

/** Where the hub keeps the `@requires` data of an entity it resolved (`keepingRepresentation`). */
const REPRESENTATION = Symbol('representation');

type WithRepresentation = { [REPRESENTATION]?: Record<string, unknown> };

@ObjectType({
  description: 'Why something was withheld: its code, rule and what would release it.',
})
export class ChronologyDenial {
  @Field()
  code: string;

  @Field()
  rule: string;

  @Field(() => String, { nullable: true })
  release: string | null;
}

@ObjectType({ description: "One dated event from one agency's records." })
export class ChronologyEvent {
  @Field({ description: 'The agency that holds the record (the custodian).' })
  agency: string;

  @Field()
  occurredAt: Date;

  @Field({ description: "The kind of event, in the agency's words (DOMESTIC_ABUSE, ARREST, …)." })
  kind: string;

  @Field(() => String, {
    nullable: true,
    description:
      'A short summary at the richest tier the caller may see; null, with an error at its path, when none.',
  })
  summary: string | null;

  @Field(() => String, { nullable: true, description: 'The tier of the summary given.' })
  summaryTier: string | null;

  @Field(() => ChronologyDenial, {
    nullable: true,
    description: 'Set when a richer summary exists that the caller may not see: the rule.',
  })
  summaryWithheld: AgencyEventDenial | null;

  @Field({ description: "The agency's own reference for the record, to cite or ask about." })
  recordReference: string;

  @Field({ description: 'When the agency last wrote the record (the change feed follows it).' })
  updatedAt: Date;

  @Field(() => [ID], { description: 'The subjects of the case the record concerns.' })
  subjectIds: string[];
}

@ObjectType()
export class ChronologyEdge {
  @Field()
  cursor: string;

  @Field(() => ChronologyEvent)
  node: MergedEvent;
}

@ObjectType({ description: "How an agency's events for a subject came: never just absent." })
export class ChronologyAgency {
  @Field()
  agency: string;

  @Field(() => ID)
  subjectId: string;

  @Field({ description: 'FOUND, NONE_FOUND, WITHHELD or UNAVAILABLE, as the agency check says.' })
  status: string;

  @Field(() => String, { nullable: true })
  reason: string | null;
}

@ObjectType({
  description:
    'Events an agency withheld from the caller, by rule: counted, never dropped silently (policies/chronology.ts).',
})
export class WithheldEvents {
  @Field()
  agency: string;

  @Field(() => ID)
  subjectId: string;

  @Field()
  code: string;

  @Field()
  rule: string;

  @Field(() => String, { nullable: true })
  release: string | null;

  @Field(() => Int, {
    nullable: true,
    description:
      'How many; null when even a count would say more than the caller may know (the whole agency withheld, or an unverified match whose records are not read).',
  })
  count: number | null;
}

@ObjectType({ description: 'A page of a chronology, oldest first; pass endCursor as `after`.' })
export class ChronologyConnection {
  @Field(() => [ChronologyEdge])
  edges: ChronologyEdge[];

  @Field(() => PageInfo)
  pageInfo: PageInfo;

  @Field(() => Int, { description: 'The events the caller may see that match the filters.' })
  totalCount: number;

  @Field(() => [ChronologyAgency])
  agencies: ChronologyAgency[];

  @Field(() => [WithheldEvents])
  withheld: WithheldEvents[];
}

@ObjectType({ description: 'What changed since a cursor; poll again with `cursor`.' })
export class ChronologyChanges {
  @Field(() => [ChronologyEvent], { description: 'Added or changed since, oldest change first.' })
  events: MergedEvent[];

  @Field({ description: 'Pass as `since` next time.' })
  cursor: string;

  @Field(() => [ChronologyAgency])
  agencies: ChronologyAgency[];

  @Field(() => [WithheldEvents], { description: 'What is withheld now (not only since).' })
  withheld: WithheldEvents[];
}

@ObjectType()
export class WindowCount {
  @Field(() => Int, { description: 'The window: the last 3, 12 or 36 months.' })
  months: number;

  @Field(() => Int)
  count: number;

  @Field(() => Int, { description: 'In the window of the same length before it.' })
  previous: number;

  @Field({ description: 'RISING, FALLING or STEADY: count against previous.' })
  trend: string;
}

@ObjectType()
export class EventCount {
  @Field()
  agency: string;

  @Field()
  kind: string;

  @Field(() => Int)
  total: number;

  @Field()
  first: Date;

  @Field()
  last: Date;

  @Field(() => [WindowCount])
  windows: WindowCount[];
}

@ObjectType({ description: 'Repetition at a glance: the events by agency and kind, over time.' })
export class CumulativePicture {
  @Field({ description: "The hub's clock: the windows end here." })
  asOf: Date;

  @Field(() => [EventCount])
  counts: EventCount[];

  @Field(() => [WithheldEvents], { description: 'Withheld events: by agency and rule only.' })
  withheld: WithheldEvents[];

  @Field(() => [ChronologyAgency])
  agencies: ChronologyAgency[];
}

/** An agency's events field as the hub sees it: another subgraph's, required, never resolved here. */
function externalEventsField(checkField: string) {
  const { Events } = eventTypesFor(checkField);
  @Resolver(() => Subject)
  class ExternalEventsField {
    @FieldResolver(() => Events, {
      name: eventsField(checkField),
      nullable: true,
    })
    @Directive('@external')
    events(): never {
      throw new Error('Resolved by the agency; the hub only receives it (@requires).');
    }
  }
  return ExternalEventsField;
}

export const EXTERNAL_EVENTS_FIELDS = EVENT_AGENCIES.map((a) =>
  externalEventsField(a.policy.checkField),
);

function sourcesOf(subjectId: string, representation: Record<string, unknown>): SubjectSources {
  return {
    subjectId,
    sources: new Map(
      EVENT_AGENCIES.map((a) => [
        a.name,
        (representation[eventsField(a.policy.checkField)] as AgencyEvents | null) ?? null,
      ]),
    ),
  };
}

/** The subject's id, as the agencies that answered echo it (the hub owns it, so cannot require it). */
function subjectIdOf(representation: Record<string, unknown>): string {
  for (const a of EVENT_AGENCIES) {
    const answer = representation[eventsField(a.policy.checkField)] as AgencyEvents | null;
    if (answer?.subjectId) return answer.subjectId;
  }
  return 'unknown';
}

function subjectMerged(subject: Subject & WithRepresentation): Merged {
  return mergeSources([sourcesOf(subject.id, subject[REPRESENTATION] ?? {})]);
}

function householdMerged(theCase: Case & WithRepresentation): Merged {
  const subjects = (theCase[REPRESENTATION]?.subjects ?? []) as Record<string, unknown>[];
  return mergeSources(subjects.map((s) => sourcesOf(subjectIdOf(s), s)));
}

function connection(
  merged: Merged,
  first: number,
  after: string | null | undefined,
  filter: Parameters<typeof applyFilter>[1],
): ChronologyConnection {
  checkFilter(filter, AGENCY_NAMES);
  const filtered = applyFilter(merged, filter);
  const { edges, hasNextPage } = page(filtered.events, first, after);
  return {
    edges,
    pageInfo: { hasNextPage, endCursor: edges.at(-1)?.cursor ?? null },
    totalCount: filtered.events.length,
    agencies: filtered.agencies,
    withheld: filtered.withheld,
  };
}

function picture(merged: Merged): CumulativePicture {
  const asOf = new Date();
  return {
    asOf,
    counts: countEvents(merged.events, asOf),
    withheld: merged.withheld,
    agencies: merged.agencies,
  };
}

const FIRST = { nullable: true, defaultValue: 20, description: 'At most 100.' } as const;

@Resolver(() => Subject)
export class SubjectChronologyResolver {
  @FieldResolver(() => ChronologyConnection, {
    nullable: true,
    description:
      "Every agency's dated events for this subject, oldest first (ties: agency, then record reference), as the caller may see each.",
  })
  @Directive(`@requires(fields: "${REQUIRED_EVENTS}")`)
  chronology(
    @Root() subject: Subject & WithRepresentation,
    @Arg('first', () => Int, FIRST) first: number,
    @Arg('after', () => String, { nullable: true }) after: string | null,
    @Arg('agencies', () => [String], { nullable: true }) agencies: string[] | null,
    @Arg('kinds', () => [String], { nullable: true }) kinds: string[] | null,
    @Arg('from', () => Date, { nullable: true, description: 'Inclusive.' }) from: Date | null,
    @Arg('to', () => Date, { nullable: true, description: 'Inclusive.' }) to: Date | null,
  ): ChronologyConnection {
    return connection(subjectMerged(subject), first, after, { agencies, kinds, from, to });
  }

  @FieldResolver(() => ChronologyChanges, {
    nullable: true,
    description:
      "The subject's events added or changed since a cursor (none: everything), and the cursor to poll with next.",
  })
  @Directive(`@requires(fields: "${REQUIRED_EVENTS}")`)
  chronologyChanges(
    @Root() subject: Subject & WithRepresentation,
    @Arg('since', () => String, { nullable: true }) since: string | null,
  ): ChronologyChanges {
    const merged = subjectMerged(subject);
    const { events, cursor } = changesSince(merged.events, since);
    return { events, cursor, agencies: merged.agencies, withheld: merged.withheld };
  }

  @FieldResolver(() => CumulativePicture, {
    nullable: true,
    description: "Counts of the subject's events by agency and kind over 3, 12 and 36 months.",
  })
  @Directive(`@requires(fields: "${REQUIRED_EVENTS}")`)
  cumulativePicture(@Root() subject: Subject & WithRepresentation): CumulativePicture {
    return picture(subjectMerged(subject));
  }
}

@Resolver(() => Case)
export class CaseChronologyResolver {
  @FieldResolver(() => ChronologyConnection, {
    nullable: true,
    description:
      "The household's chronology: every subject's events merged, a record shared by several subjects once.",
  })
  @Directive(`@requires(fields: "subjects { ${REQUIRED_EVENTS} }")`)
  chronology(
    @Root() theCase: Case & WithRepresentation,
    @Arg('first', () => Int, FIRST) first: number,
    @Arg('after', () => String, { nullable: true }) after: string | null,
    @Arg('agencies', () => [String], { nullable: true }) agencies: string[] | null,
    @Arg('kinds', () => [String], { nullable: true }) kinds: string[] | null,
    @Arg('from', () => Date, { nullable: true, description: 'Inclusive.' }) from: Date | null,
    @Arg('to', () => Date, { nullable: true, description: 'Inclusive.' }) to: Date | null,
  ): ChronologyConnection {
    return connection(householdMerged(theCase), first, after, { agencies, kinds, from, to });
  }

  @FieldResolver(() => CumulativePicture, {
    nullable: true,
    description: "The household's events counted by agency and kind over 3, 12 and 36 months.",
  })
  @Directive(`@requires(fields: "subjects { ${REQUIRED_EVENTS} }")`)
  cumulativePicture(@Root() theCase: Case & WithRepresentation): CumulativePicture {
    return picture(householdMerged(theCase));
  }
}

/**
 * A summary the agency withheld is null with an error at its path (code, rule, custodian and what
 * would release it), as a withheld field of an agency check is.
 */
@Resolver(() => ChronologyEvent)
export class ChronologyEventResolver {
  @FieldResolver(() => String, { nullable: true })
  summary(@Root() event: MergedEvent): string | null {
    if (event.summary === null && event.summaryWithheld) {
      const { code, rule, release } = event.summaryWithheld;
      const error = denialError(
        new PolicyDenial(
          code as PolicyDenial['code'],
          rule,
          `${event.agency} withheld this event's summary.`,
          release,
        ),
      );
      error.extensions.custodian = event.agency;
      throw error;
    }
    return event.summary;
  }
}

type ReferenceResolver = (
  reference: { id: string },
  ctx: never,
  info: GraphQLResolveInfo,
) => Promise<object | null> | object | null;

/**
 * The hub's reference resolvers, keeping the representation the gateway sent (the agencies'
 * events the chronology `@requires`) beside the entity they load: @apollo/subgraph hands a field
 * resolver only what `__resolveReference` returned.
 */
export function keepingRepresentation<
  T extends Record<string, { __resolveReference: ReferenceResolver }>,
>(resolvers: T): T {
  return Object.fromEntries(
    Object.entries(resolvers).map(([type, { __resolveReference, ...rest }]) => [
      type,
      {
        ...rest,
        async __resolveReference(
          reference: { id: string },
          ctx: never,
          info: GraphQLResolveInfo,
        ): Promise<object | null> {
          const entity = await __resolveReference(reference, ctx, info);
          if (!entity) return entity;
          return Object.assign(Object.create(Object.getPrototypeOf(entity) as object), entity, {
            [REPRESENTATION]: reference,
          });
        },
      },
    ]),
  ) as T;
}
