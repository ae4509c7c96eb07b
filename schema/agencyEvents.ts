import type DataLoader from 'dataloader';
import {
  ClassType,
  Ctx,
  Directive,
  Field,
  FieldResolver,
  ID,
  Int,
  ObjectType,
  Resolver,
  Root,
} from 'type-graphql';
import { COUNT_TIER } from '../policies/chronology';
import { custodianReleaseDenial } from '../policies/custodianRelease';
import { decideByRule, fieldRule } from '../policies/fieldRule';
import { PolicyDenial } from '../policies/policyDenial';
import { Tier, TIER_NAMES } from '../policies/tier';
import { AgencyCheckResult, CheckStatus } from './agencyCheck';
import type { AgencySubject } from './agencyCheckLoader';
import { WithheldField } from './denialError';
import type { ForwardedAccess } from './forwardedAccess';
import { SUBJECT_DEMOGRAPHICS_FIELDS } from './subject';
import type { AgencyPolicy } from './subgraphDefinition';

/**
 * The chronology contract. Design: every agency answers one field on Subject, `<checkField>Events`
 * (`policeEvents`), with all its dated events for the subject, each already decided under the
 * request's signed access context by the same rules the gateway decides the agency check's fields
 * by (`policies/fieldRule.ts`): the agency itself decides, so an event or summary the caller may
 * not see never leaves it — only a count of it, with its rule (`policies/chronology.ts`). The field
 * is hidden from clients (`@inaccessible`); the hub `@requires` it of every agency that declares
 * events and merges, filters and pages them (`subgraphs/mash/chronologyResolver.ts`), so the merge
 * happens where Federation lets it: the gateway plans it, fetching the agencies in parallel, under
 * the caller's own access context. An agency declares its events in its `policy.ts` (`events`);
 * this file is generic, so adding an agency needs no chronology edit outside its folder.
 *
 * Not page-limited at the agency: `@requires` cannot pass the page's arguments on, so each agency
 * returns every event of the subject (tens for a subject; the hub pages them).
 */

/** One dated record an agency declares an event: which fields of its record say what. */
export interface AgencyEventSource {
  /** The check's record list (`incidents`); its tier in `fieldTiers` counts toward the event's. */
  records: string;
  /** The GraphQL type of those records (`IncidentRecord`), whose fields `fieldTiers` tiers. */
  type: string;
  /** The field holding the agency's own reference for the record. */
  reference: string;
  /**
   * When one record gives several events (a domestic abuse case's DASH assessment, its MARAC
   * referral and its meeting), what each but one appends to the reference (`#marac-meeting`): the
   * hub keeps one event per agency and reference, so each event needs its own.
   */
  referenceSuffix?: string;
  /**
   * The date field (a date or a timestamp); its tier counts toward the event's. A record whose
   * date is empty has not had this event (a case never heard at MARAC): it is no event, not a
   * withheld one.
   */
  date: string;
  /** The kind: a field of the record (its tier counts), with an optional prefix; or a fixed kind. */
  kind: { field: string; prefix?: string } | { fixed: string };
  /**
   * The fields a summary may be taken from, richest first: the event carries the first one the
   * caller may see (`service` when a health contact's clinical `summary` is beyond them).
   */
  summary: string[];
}

/** The rule that withheld something, as the agency reports it to the hub. */
export interface AgencyEventDenial {
  code: string;
  rule: string;
  release: string | null;
}

/** One event, as the caller may see it. */
export interface AgencyEvent {
  recordReference: string;
  occurredAt: Date;
  kind: string;
  summary: string | null;
  summaryTier: string | null;
  summaryWithheld: AgencyEventDenial | null;
  updatedAt: Date;
}

export interface AgencyEventsWithheld extends AgencyEventDenial {
  count: number | null;
}

/** An agency's events for a subject. */
export interface AgencyEvents {
  agency: string;
  subjectId: string;
  status: string;
  reason: string | null;
  events: AgencyEvent[];
  withheld: AgencyEventsWithheld[];
}

const eventTypes = new Map<string, ReturnType<typeof defineEventTypes>>();

/**
 * The GraphQL types of one agency's events, named after it (`PoliceChronologyEvents`), defined
 * once per process and shared by the agency and the hub. One set per agency, not one shared set:
 * a type only `@requires`-computed fields return must be one subgraph's own for Hive Gateway's
 * query planner (the benchmark's peer), or it finds several canonical definitions.
 */
export function eventTypesFor(checkField: string) {
  if (!eventTypes.has(checkField)) eventTypes.set(checkField, defineEventTypes(checkField));
  return eventTypes.get(checkField)!;
}

function defineEventTypes(checkField: string) {
  const prefix = `${checkField[0].toUpperCase()}${checkField.slice(1)}Chronology`;

  @Directive('@inaccessible')
  @Directive('@shareable')
  @ObjectType(`${prefix}Denial`, {
    description: "For the hub's chronology only: the rule that withheld something.",
  })
  class Denial implements AgencyEventDenial {
    @Field()
    code: string;

    @Field()
    rule: string;

    @Field(() => String, { nullable: true })
    release: string | null;
  }

  @Directive('@inaccessible')
  @Directive('@shareable')
  @ObjectType(`${prefix}Event`, {
    description: "For the hub's chronology only: one event, as the caller may see it.",
  })
  class Event implements AgencyEvent {
    @Field()
    recordReference: string;

    @Field()
    occurredAt: Date;

    @Field()
    kind: string;

    @Field(() => String, { nullable: true })
    summary: string | null;

    @Field(() => String, { nullable: true })
    summaryTier: string | null;

    @Field(() => Denial, { nullable: true })
    summaryWithheld: Denial | null;

    @Field()
    updatedAt: Date;
  }

  @Directive('@inaccessible')
  @Directive('@shareable')
  @ObjectType(`${prefix}Withheld`, {
    description: "For the hub's chronology only: events withheld, by rule.",
  })
  class Withheld implements AgencyEventsWithheld {
    @Field()
    code: string;

    @Field()
    rule: string;

    @Field(() => String, { nullable: true })
    release: string | null;

    @Field(() => Int, { nullable: true })
    count: number | null;
  }

  @Directive('@inaccessible')
  @Directive('@shareable')
  @ObjectType(`${prefix}Events`, {
    description: "For the hub's chronology only: an agency's events for a subject.",
  })
  class Events implements AgencyEvents {
    @Field()
    agency: string;

    @Field(() => ID, {
      description: "The hub's subject id the gateway sent as the key, echoed: never a key here.",
    })
    subjectId: string;

    @Field({ description: 'FOUND, NONE_FOUND or WITHHELD (UNAVAILABLE is the hub finding null).' })
    status: string;

    @Field(() => String, { nullable: true })
    reason: string | null;

    @Field(() => [Event])
    events: Event[];

    @Field(() => [Withheld])
    withheld: Withheld[];
  }

  return { Events };
}

/** The hidden field by which an agency answers the chronology: `police` → `policeEvents`. */
export function eventsField(checkField: string): string {
  return `${checkField}Events`;
}

/** What the hub asks of each agency's events field (`@requires`). */
export const AGENCY_EVENTS_SELECTION =
  'agency subjectId status reason events { recordReference occurredAt kind summary summaryTier summaryWithheld { code rule release } updatedAt } withheld { code rule release count }';

/**
 * The resolver of an agency's events field, for its subgraph's own `Subject` class: the agency's
 * check loader finds the subject (the same match, the same unverified-match rule, the same
 * queries as the check, batched with it when both are asked), and its policy says what is an event.
 */
export function agencyEventsResolver<C>(options: {
  agency: string;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- type-graphql's own class type
  Subject: ClassType<any>;
  policy: AgencyPolicy;
  check: (ctx: C) => DataLoader<AgencySubject, AgencyCheckResult<object>, string>;
  forwarded: (ctx: C) => ForwardedAccess;
}) {
  const { agency, policy } = options;
  // Defined now, at import: type-graphql must know the types before any schema is built.
  const { Events } = eventTypesFor(policy.checkField);
  @Resolver(() => options.Subject)
  class AgencyEventsResolver {
    @FieldResolver(() => Events, {
      name: eventsField(policy.checkField),
      nullable: true,
      description: `For the hub's chronology only: ${agency}'s dated events for this subject.`,
    })
    @Directive(`@requires(fields: "${SUBJECT_DEMOGRAPHICS_FIELDS}")`)
    @Directive('@inaccessible')
    events(@Root() subject: AgencySubject, @Ctx() ctx: C): Promise<AgencyEvents> {
      return agencyEvents(agency, subject.id, policy, options.forwarded(ctx), () =>
        options.check(ctx).load(subject),
      );
    }
  }
  return AgencyEventsResolver;
}

/** The agency's events for one subject, each decided for the caller; see the file's comment. */
export async function agencyEvents(
  agency: string,
  subjectId: string,
  policy: AgencyPolicy,
  forwarded: ForwardedAccess,
  loadCheck: () => Promise<AgencyCheckResult<object>>,
): Promise<AgencyEvents> {
  const decide = decider(agency, forwarded);
  // That the agency knows the person at all: without it, nothing — not even a count.
  const knows = await decide(COUNT_TIER);
  if (knows !== true)
    return {
      agency,
      subjectId,
      status: CheckStatus.WITHHELD,
      reason: describeDenial(knows),
      events: [],
      withheld: [{ ...denialOf(knows), count: null }],
    };
  const check = await loadCheck();
  const answer: AgencyEvents = {
    agency,
    subjectId,
    status: check.status,
    reason: check.reason,
    events: [],
    withheld: [],
  };
  if (check.status !== CheckStatus.FOUND) return answer;
  const withheld = new Map<string, AgencyEventsWithheld>();
  const count = (denial: AgencyEventDenial, n: number | null) => {
    const key = `${denial.code}|${denial.rule}`;
    const entry = withheld.get(key) ?? { ...denial, count: 0 };
    entry.count = entry.count === null || n === null ? null : entry.count + n;
    withheld.set(key, entry);
  };
  for (const source of policy.events ?? []) {
    let records: Record<string, unknown>[];
    try {
      records = (check as Record<string, unknown>)[source.records] as Record<string, unknown>[];
    } catch (error) {
      // An unverified match: its records were never read, so there is nothing to count.
      if (error instanceof WithheldField) {
        count(denialFromError(error), null);
        continue;
      }
      throw error;
    }
    if (!records?.length) continue;
    const existence = await decide(existenceTier(policy, source));
    if (existence !== true) {
      count(denialOf(existence), records.filter((r) => hasDate(r, source.date)).length);
      continue;
    }
    const summaries = await Promise.all(
      source.summary.map(async (field) => ({
        field,
        tier: tierOf(policy, source.type, field),
        decision: await decide(tierOf(policy, source.type, field)),
      })),
    );
    for (const record of records) {
      // Flagged and not released for this case (custodian release): its summaries stay with the agency.
      const custodian = record.awaitingRelease === true ? custodianReleaseDenial(agency) : null;
      let date: unknown;
      let kind: string;
      try {
        date = record[source.date];
        kind =
          'fixed' in source.kind
            ? source.kind.fixed
            : `${source.kind.prefix ?? ''}${String(record[source.kind.field])}`;
      } catch (error) {
        // Its custodian withholds even when or what it was (a date above SUMMARY, awaiting
        // release): counted with the custodian's rule, never listed.
        if (error instanceof WithheldField) {
          count(denialFromError(error), 1);
          continue;
        }
        throw error;
      }
      // No date, no such event (a case never heard at MARAC).
      if (date === null || date === undefined) continue;
      const occurredAt = asDate(date);
      const shown = custodian ? undefined : summaries.find((s) => s.decision === true);
      const richest = summaries[0];
      const richestDenial =
        custodian ?? (richest && richest.decision !== true ? richest.decision : null);
      answer.events.push({
        recordReference: `${String(record[source.reference])}${source.referenceSuffix ?? ''}`,
        occurredAt,
        kind,
        summary: shown ? nullableText(record[shown.field]) : null,
        summaryTier: shown ? TIER_NAMES[shown.tier] : null,
        summaryWithheld: richestDenial ? denialOf(richestDenial) : null,
        updatedAt: asDate(record.updatedAt),
      });
    }
  }
  answer.withheld = [...withheld.values()];
  return answer;
}

/** Decides a tier of this agency's records for the request, by the gateway's own rule. */
function decider(agency: string, forwarded: ForwardedAccess) {
  const decided = new Map<Tier, Promise<true | PolicyDenial>>();
  return (tier: Tier): Promise<true | PolicyDenial> => {
    if (forwarded.kind !== 'request') return Promise.resolve(gatewayOnly());
    if (!decided.has(tier))
      decided.set(
        tier,
        decideByRule(fieldRule(tier, agency), 'Subject', 'chronology', {}, forwarded.access),
      );
    return decided.get(tier)!;
  };
}

function gatewayOnly(): PolicyDenial {
  return new PolicyDenial(
    'NOT_PERMITTED',
    'deny-by-default',
    'A chronology is answered for a person, not for the gateway itself.',
  );
}

/** An event exists at the most sensitive of its record list, its date and its kind. */
export function existenceTier(policy: AgencyPolicy, source: AgencyEventSource): Tier {
  const checkType = Object.entries(policy.fieldTiers).find(
    ([, fields]) => 'status' in fields && source.records in fields,
  )?.[0];
  if (!checkType)
    throw new Error(`${policy.checkField}: no check type has the record list ${source.records}.`);
  return Math.max(
    tierOf(policy, checkType, source.records),
    tierOf(policy, source.type, source.date),
    'field' in source.kind ? tierOf(policy, source.type, source.kind.field) : Tier.IDENTITY,
  ) as Tier;
}

/** A field's tier; an untiered field is closed (SPECIAL_CATEGORY), as the permission tree's default is. */
function tierOf(policy: AgencyPolicy, type: string, field: string): Tier {
  return policy.fieldTiers[type]?.[field] ?? Tier.SPECIAL_CATEGORY;
}

function denialOf(denial: PolicyDenial | AgencyEventDenial): AgencyEventDenial {
  return { code: denial.code, rule: denial.rule, release: denial.release ?? null };
}

function denialFromError(error: WithheldField): AgencyEventDenial {
  const { code, rule, release } = error.extensions as Record<string, unknown>;
  return {
    code: String(code),
    rule: String(rule),
    release: typeof release === 'string' ? release : null,
  };
}

function describeDenial(denial: PolicyDenial): string {
  return `${denial.code} (rule ${denial.rule}): ${denial.message}${denial.release ? ` To release: ${denial.release}` : ''}`;
}

/** Whether the record had this event: its date is not empty (a date its custodian withholds is there). */
/** Whether a record has the date (a withheld date counts as present: it is there, not shown). */
function hasDate(record: Record<string, unknown>, field: string): boolean {
  try {
    return record[field] !== null && record[field] !== undefined;
  } catch {
    return true;
  }
}

/** A date column (`2025-03-01`) is the start of that day, UTC; a timestamp is itself. */
function asDate(value: unknown): Date {
  if (value instanceof Date) return value;
  const text = String(value);
  return new Date(/^\d{4}-\d{2}-\d{2}$/.test(text) ? `${text}T00:00:00.000Z` : text);
}

function nullableText(value: unknown): string | null {
  return value === null || value === undefined ? null : String(value);
}
