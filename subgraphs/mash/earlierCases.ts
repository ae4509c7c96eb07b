import { Brackets, DataSource, In } from 'typeorm';
import { childIdentityKey } from '../../workflow/measures';
import { Case } from './entities/case';
import { Decision } from './entities/decision';
import { EarlierCaseMatch, EarlierMashCase } from './entities/earlierMashCase';
import { Subject } from './entities/subject';

interface CandidateRow {
  givenName: string;
  familyName: string;
  dateOfBirth: string | null;
  nhsNumber: string | null;
  caseId: string;
  reference: string;
  status: EarlierMashCase['status'];
  openedAt: Date | string;
  decidedAt: Date | string | null;
  outcome: EarlierMashCase['outcome'];
  receivingService: EarlierMashCase['receivingService'];
}

/**
 * The earlier cases of each subject, for every subject of a request at once (two statements): the
 * candidates share an NHS number or a date of birth with one of them, and a candidate matches when
 * `childIdentityKey` gives both the same key, on a case opened before the subject's own.
 */
export async function earlierCasesOf(
  dataSource: DataSource,
  subjects: readonly Subject[],
): Promise<EarlierMashCase[][]> {
  const nhsNumbers = [...new Set(subjects.flatMap((s) => (s.nhsNumber ? [s.nhsNumber] : [])))];
  const datesOfBirth = [
    ...new Set(subjects.flatMap((s) => (!s.nhsNumber && s.dateOfBirth ? [s.dateOfBirth] : []))),
  ];
  if (nhsNumbers.length === 0 && datesOfBirth.length === 0) return subjects.map(() => []);
  const [own, candidates] = await Promise.all([
    dataSource.getRepository(Case).findBy({ id: In([...new Set(subjects.map((s) => s.caseId))]) }),
    dataSource
      .getRepository(Subject)
      .createQueryBuilder('s')
      .innerJoin(Case, 'c', 'c.id = s.caseId')
      .leftJoin(Decision, 'd', 'd.caseId = c.id')
      .select('s.givenName', 'givenName')
      .addSelect('s.familyName', 'familyName')
      .addSelect('s."dateOfBirth"::text', 'dateOfBirth')
      .addSelect('s.nhsNumber', 'nhsNumber')
      .addSelect('c.id', 'caseId')
      .addSelect('c.reference', 'reference')
      .addSelect('c.status', 'status')
      .addSelect('c.openedAt', 'openedAt')
      .addSelect('d.decidedAt', 'decidedAt')
      .addSelect('d.outcome', 'outcome')
      .addSelect('d.receivingService', 'receivingService')
      .where(
        new Brackets((where) => {
          if (nhsNumbers.length) where.orWhere('s.nhsNumber IN (:...nhsNumbers)', { nhsNumbers });
          if (datesOfBirth.length)
            where.orWhere('s.nhsNumber IS NULL AND s.dateOfBirth IN (:...datesOfBirth)', {
              datesOfBirth,
            });
        }),
      )
      .getRawMany<CandidateRow>(),
  ]);
  const openedAt = new Map(own.map((c) => [c.id, c.openedAt.getTime()]));
  return subjects.map((subject) => {
    const key = childIdentityKey(subject);
    if (!key) return [];
    const matchedBy = subject.nhsNumber
      ? EarlierCaseMatch.NHS_NUMBER
      : EarlierCaseMatch.NAME_AND_DATE_OF_BIRTH;
    const found = new Map<string, EarlierMashCase>();
    for (const row of candidates) {
      const opened = new Date(row.openedAt);
      if (row.caseId === subject.caseId || opened.getTime() >= openedAt.get(subject.caseId)!)
        continue;
      if (childIdentityKey(row) !== key) continue;
      found.set(row.reference, {
        reference: row.reference,
        status: row.status,
        openedAt: opened,
        decidedAt: row.decidedAt ? new Date(row.decidedAt) : null,
        outcome: row.outcome,
        receivingService: row.receivingService,
        matchedBy,
      });
    }
    return [...found.values()].sort((a, b) => b.openedAt.getTime() - a.openedAt.getTime());
  });
}
