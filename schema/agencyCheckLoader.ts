import DataLoader from 'dataloader';
import { In, Repository } from 'typeorm';
import { bestMatch, blockingKeys } from '../identity/matchIdentity';
import { AgencyCheckResult, CheckStatus } from './agencyCheck';
import { AgencyPerson } from './agencyPerson';
import { SubjectDemographics } from './subject';

export interface AgencyCheckSource<P extends AgencyPerson, R> {
  agency: string;
  people: Repository<P>;
  /** The agency's records for the matched people, by person id: one query per kind of record. */
  loadRecords(people: P[]): Promise<Map<string, R>>;
  /** What a matched person with no records of a kind has: empty lists, never null (null = withheld). */
  noRecords: R;
}

/**
 * One loader per request: every subject the gateway sends in one `_entities` batch is matched with
 * one query on the person index and one query per kind of record, whatever the household's size.
 */
export function createAgencyCheckLoader<P extends AgencyPerson, R>(
  source: AgencyCheckSource<P, R>,
): DataLoader<SubjectDemographics, AgencyCheckResult<R>, string> {
  return new DataLoader(
    async (subjects) => {
      const checkedAt = new Date();
      const keys = blockingKeys([...subjects]);
      const candidates = await source.people.find({
        where: [
          ...(keys.nhsNumbers.length ? [{ nhsNumber: In(keys.nhsNumbers) }] : []),
          ...(keys.datesOfBirth.length ? [{ dateOfBirth: In(keys.datesOfBirth) }] : []),
          ...(keys.postcodes.length ? [{ postcode: In(keys.postcodes) }] : []),
        ] as never, // TypeORM cannot type a where-array built over a generic entity
      });
      const matches = subjects.map((subject) => bestMatch(subject, candidates));
      const matchedPeople = [
        ...new Map(matches.flatMap((m) => (m ? [[m.record.id, m.record]] : []))).values(),
      ];
      const records = matchedPeople.length ? await source.loadRecords(matchedPeople) : new Map();

      return matches.map((found): AgencyCheckResult<R> => {
        if (!found) {
          const none = { status: CheckStatus.NONE_FOUND, match: null, checkedAt, reason: null };
          return { agency: source.agency, ...none, ...source.noRecords };
        }
        return {
          agency: source.agency,
          status: CheckStatus.FOUND,
          match: {
            ...found.match,
            recordReference: found.record.id,
            otherCandidates: found.otherCandidates,
          },
          checkedAt,
          reason: null,
          ...(records.get(found.record.id) ?? source.noRecords),
        };
      });
    },
    { cacheKeyFn: (subject) => subject.id },
  );
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
