import DataLoader from 'dataloader';
import { Repository } from 'typeorm';
import { preparedSelect } from '../database/preparedSelect';
import { BLOCKING_RULES, blockingQuery } from '../identity/blocking';
import { normaliseNhsNumber } from '../identity/normaliseName';
import { bestMatch, IdentityMatchResult, MatchModel } from '../identity/matchIdentity';
import { agencyMatchModel } from './agencyMatchModel';
import {
  sharesRecords,
  UNVERIFIED_MATCH_POLICY,
  unverifiedMatchDenial,
} from '../policies/unverifiedMatch';
import { AgencyCheckIdentity, AgencyCheckResult, CheckStatus, MatchBasis } from './agencyCheck';
import { AgencyPerson } from './agencyPerson';
import { WithheldField } from './denialError';
import {
  MatchDecisionKind,
  RequiredDemographics,
  SubjectDemographics,
  SubjectMatchDecision,
} from './subject';

/** A subject as an agency's check receives it (`@requires`), or its demographics as the hub holds them. */
export type AgencySubject = RequiredDemographics | SubjectDemographics;

export interface AgencyCheckSource<P extends AgencyPerson, R> {
  agency: string;
  people: Repository<P>;
  /** The agency's records for the matched people, by person id: one query per kind of record. */
  loadRecords(people: P[]): Promise<Map<string, R>>;
  /**
   * What a matched person with no records of a kind has: empty lists, never null (null = withheld).
   * Its keys are the check's record fields: the ones an unverified match withholds.
   */
  noRecords: R;
  /**
   * The agency's match model (m/u probabilities and name frequencies from its own records); by
   * default estimated once per process from `people` (schema/agencyMatchModel.ts).
   */
  matchModel?: () => Promise<MatchModel>;
}

/**
 * One loader per request: every subject the gateway sends in one `_entities` batch is matched with
 * one query on the person index and one query per kind of record, whatever the household's size.
 * A match a person has not verified shares identity only (policies/unverifiedMatch.ts): its records
 * are not loaded, and each record field is answered null with a MATCH_NOT_VERIFIED error.
 */
export function createAgencyCheckLoader<P extends AgencyPerson, R>(
  source: AgencyCheckSource<P, R>,
): DataLoader<AgencySubject, AgencyCheckResult<R>, string> {
  return new DataLoader(
    async (requested) => {
      const checkedAt = new Date();
      const subjects = requested.map(asDemographics);
      const [candidates, model] = await Promise.all([
        findCandidates(source.people, subjects),
        source.matchModel ? source.matchModel() : agencyMatchModel(source.people),
      ]);
      const matches = requested.map((subject, i) =>
        matchWithDecisions(subjects[i], candidates, decisionsOf(subject, source.agency), model),
      );
      // Only a verified match's records are read: an unverified one's never leave the database.
      const matchedPeople = [
        ...new Map(
          matches.flatMap((m) => (m && sharesRecords(m.match) ? [[m.record.id, m.record]] : [])),
        ).values(),
      ];
      const records = matchedPeople.length ? await source.loadRecords(matchedPeople) : new Map();

      return matches.map((found): AgencyCheckResult<R> => {
        if (!found) {
          const none = { status: CheckStatus.NONE_FOUND, match: null, checkedAt, reason: null };
          return { agency: source.agency, ...none, ...source.noRecords };
        }
        const identity = {
          agency: source.agency,
          status: CheckStatus.FOUND,
          match: {
            ...found.match,
            recordReference: found.record.id,
            otherCandidates: found.otherCandidates,
          },
          checkedAt,
        };
        if (!sharesRecords(found.match)) {
          return withheldUntilVerified(
            { ...identity, reason: UNVERIFIED_MATCH_POLICY.reason },
            source,
          );
        }
        return {
          ...identity,
          reason: null,
          ...(records.get(found.record.id) ?? source.noRecords),
        };
      });
    },
    { cacheKeyFn: (subject) => subject.id },
  );
}

/**
 * The candidates for a batch of subjects: every person sharing a blocking key with one of them
 * (identity/blocking.ts), in one statement of one indexed `= ANY(...)` per rule, OR'd. Each rule is
 * narrow, so the candidates per subject stay about the same however large the agency is. Each
 * rule's keys go as one array parameter (none: an empty array, which matches nothing), so the
 * statement is the same for every batch and is built once (`database/preparedSelect.ts`).
 */
export async function findCandidates<P extends AgencyPerson>(
  people: Repository<P>,
  subjects: SubjectDemographics[],
): Promise<P[]> {
  const query = blockingQuery(subjects);
  if (BLOCKING_RULES.every((rule) => query[rule].length === 0)) return [];
  const found = await preparedSelect(
    people,
    'people sharing a blocking key',
    (select) =>
      select.where(BLOCKING_RULES.map((rule) => `entity.${rule} = ANY(:${rule})`).join(' OR ')),
    query,
  );
  // Scored as fetched: an NHS number stored with spaces ("999 123 4578") is the same number.
  return found.map((person) => ({
    ...person,
    nhsNumber: normaliseNhsNumber(person.nhsNumber) ?? person.nhsNumber,
  }));
}

interface Decisions {
  confirmed: ReadonlySet<string>;
  rejected: ReadonlySet<string>;
}

/** This agency's share of the decisions people made on the subject's possible matches. */
function decisionsOf(subject: AgencySubject, agency: string): Decisions {
  const all: unknown = 'matchDecisions' in subject ? subject.matchDecisions : [];
  const mine = (Array.isArray(all) ? (all as SubjectMatchDecision[]) : []).filter(
    (d) => d?.agency === agency && typeof d.recordReference === 'string',
  );
  const references = (kind: MatchDecisionKind) =>
    new Set(mine.filter((d) => d.decision === kind).map((d) => d.recordReference));
  return {
    confirmed: references(MatchDecisionKind.CONFIRMED),
    rejected: references(MatchDecisionKind.REJECTED),
  };
}

/**
 * The best match once people's decisions are applied: a record rejected for this subject is never
 * proposed again (the next candidate, or none); a confirmed record is the match, certain, with
 * the basis saying a person confirmed it. A confirmation counts only for a record the agency's own
 * matching still proposes for the subject: a reference naming any other record shares nothing.
 */
function matchWithDecisions<P extends AgencyPerson>(
  subject: SubjectDemographics,
  candidates: P[],
  decisions: Decisions,
  model: MatchModel,
): { record: P; match: IdentityMatchResult; otherCandidates: number } | null {
  const open = candidates.filter((c) => !decisions.rejected.has(c.id));
  const best = bestMatch(subject, open, model);
  if (!best || decisions.confirmed.size === 0) return best;
  const confirmed = bestMatch(
    subject,
    open.filter((c) => decisions.confirmed.has(c.id)),
    model,
  );
  if (!confirmed) return best;
  return {
    record: confirmed.record,
    match: {
      ...confirmed.match,
      confidence: 1,
      basis: MatchBasis.CONFIRMED_BY_PERSON,
      needsVerification: false,
    },
    otherCandidates: best.otherCandidates,
  };
}

/**
 * The demographics as the agency matches on them: a value that is not a string is unknown. A
 * gateway may hand over the hub's refusal of a field (a protected postcode) in its place instead
 * of null (the Hive peer gateway in the benchmark does): it must neither crash the match nor be
 * matched on.
 */
function asDemographics(subject: AgencySubject): SubjectDemographics {
  const text = (value: unknown) => (typeof value === 'string' ? value : null);
  return {
    id: subject.id,
    givenName: text(subject.givenName) ?? '',
    familyName: text(subject.familyName) ?? '',
    dateOfBirth: text(subject.dateOfBirth),
    sex: text(subject.sex) as SubjectDemographics['sex'],
    postcode: text('matchingPostcode' in subject ? subject.matchingPostcode : subject.postcode),
    nhsNumber: text(subject.nhsNumber),
  };
}

/**
 * An unverified match's check: the identity fields, and every record field of the agency (the keys
 * of `noRecords`) as a getter that throws the denial. The field resolvers read `check[field]`, so
 * each record field the client asked for comes back null with the error at its own path, whichever
 * agency's it is, and no agency needs its own resolver for it. Non-enumerable, so nothing that
 * copies or logs the check trips over them.
 */
function withheldUntilVerified<P extends AgencyPerson, R>(
  identity: AgencyCheckIdentity,
  source: AgencyCheckSource<P, R>,
): AgencyCheckResult<R> {
  const check = { ...identity };
  for (const field of Object.keys(source.noRecords as object)) {
    Object.defineProperty(check, field, {
      enumerable: false,
      get() {
        // The custodian, as the gateway's own denials name it, for the audit's list of custodians.
        throw new WithheldField(unverifiedMatchDenial(source.agency), {
          custodian: source.agency,
        });
      },
    });
  }
  return check as AgencyCheckResult<R>;
}

/** Groups rows by person id, so `loadRecords` can answer with one query per kind of record. */
export function groupByPerson<T>(rows: T[], personId: (row: T) => string): Map<string, T[]> {
  const grouped = new Map<string, T[]>();
  for (const row of rows) {
    const key = personId(row);
    if (!grouped.has(key)) grouped.set(key, []);
    grouped.get(key)!.push(row);
  }
  return grouped;
}
