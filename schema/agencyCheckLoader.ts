import DataLoader from 'dataloader';
import { GraphQLError } from 'graphql';
import { In, Repository } from 'typeorm';
import { bestMatch, blockingKeys } from '../identity/matchIdentity';
import {
  sharesRecords,
  UNVERIFIED_MATCH_POLICY,
  unverifiedMatchDenial,
} from '../policies/unverifiedMatch';
import { AgencyCheckIdentity, AgencyCheckResult, CheckStatus } from './agencyCheck';
import { AgencyPerson } from './agencyPerson';
import { denialError } from './denialError';
import { RequiredDemographics, SubjectDemographics } from './subject';

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
      const keys = blockingKeys([...subjects]);
      const candidates = await source.people.find({
        where: [
          ...(keys.nhsNumbers.length ? [{ nhsNumber: In(keys.nhsNumbers) }] : []),
          ...(keys.datesOfBirth.length ? [{ dateOfBirth: In(keys.datesOfBirth) }] : []),
          ...(keys.postcodes.length ? [{ postcode: In(keys.postcodes) }] : []),
        ] as never, // TypeORM cannot type a where-array built over a generic entity
      });
      const matches = subjects.map((subject) => bestMatch(subject, candidates));
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
        const error = denialError(unverifiedMatchDenial(source.agency));
        // The custodian, as the gateway's own denials name it, for the audit's list of custodians.
        throw new GraphQLError(error.message, {
          extensions: { ...error.extensions, custodian: source.agency },
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
