import { withBlockingKeys } from '../../schema/agencyPerson';
import { StoredRecord } from '../../schema/custodianRelease';
import type { DataSource } from 'typeorm';
import { insertInChunks } from '../../database/insertInChunks';
import {
  ageOn,
  agencyIdentity,
  daysBefore,
  isoDate,
  REFERENCE_DATE,
  SyntheticFamily,
  SyntheticPerson,
  daysAfter,
} from '../../synthetic/population';
import { Random } from '../../synthetic/random';
import { stableUuid } from '../../synthetic/stableUuid';
import {
  LicenceConditionKind,
  MappaCategory,
  MappaLevel,
  ProbationLicenceCondition,
  ProbationOffenceCategory,
  ProbationOrderType,
  ProbationPerson,
  ProbationSupervision,
  RiskOfSeriousHarm,
} from './entities';

/** Probation seldom holds an NHS number; people move often between prison, hostels and home. */
const PROBATION_HABITS = { nhsNumberKnown: 0.1, error: 0.15, oldAddress: 0.4 };

/** How likely an adult man of the household is to be under supervision, by the family's concern. */
const SUPERVISED = {
  DOMESTIC_ABUSE: 0.55,
  SUBSTANCE_MISUSE: 0.35,
  NEGLECT: 0.08,
  PARENTAL_MENTAL_HEALTH: 0.05,
  NONE: 0.03,
} as const;

const CONDITION_DETAIL: Record<LicenceConditionKind, string> = {
  NO_UNSUPERVISED_CONTACT_WITH_CHILDREN:
    'No unsupervised contact with any child under 18 without the prior approval of the probation practitioner and children’s social care.',
  NO_CONTACT_WITH_NAMED_VICTIM:
    'No contact, directly or indirectly, with the named victim without prior approval.',
  EXCLUSION_ZONE:
    'Not to enter the exclusion zone drawn on the licence map (the map is held by probation).',
  DISCLOSE_RELATIONSHIPS:
    'To notify the probation practitioner of any developing intimate relationship.',
  ATTEND_PROGRAMME:
    'To attend and complete the Building Better Relationships programme as directed.',
};

/**
 * Custodian release: a condition that protects a victim (no contact with them, an exclusion zone
 * around where they live) comes from the victim contact scheme and can point to the victim;
 * probation's own MASH member releases its detail case by case.
 */
const VICTIM_RELATED: ReadonlySet<LicenceConditionKind> = new Set([
  LicenceConditionKind.NO_CONTACT_WITH_NAMED_VICTIM,
  LicenceConditionKind.EXCLUSION_ZONE,
]);

export async function seedProbation(
  dataSource: DataSource,
  population: SyntheticFamily[],
): Promise<void> {
  const people: ProbationPerson[] = [];
  const supervisions: Omit<ProbationSupervision, 'id' | 'updatedAt'>[] = [];
  const conditions: StoredRecord<ProbationLicenceCondition>[] = [];
  for (const family of population) {
    if (family.newToArea) continue;
    const random = new Random('probation', family.familyKey);
    const men = family.members.filter((m) => m.sex === 'MALE' && ageOn(m.dateOfBirth) >= 18);
    for (const man of men) {
      if (!random.chance(SUPERVISED[family.concern])) continue;
      const personId = supervisedPerson(people, man, random);
      const sentencedOn = daysBefore(REFERENCE_DATE, random.int(90, 1200));
      const domesticAbuse = family.concern === 'DOMESTIC_ABUSE';
      const offence = domesticAbuse
        ? random.chance(0.7)
          ? ProbationOffenceCategory.DOMESTIC_ABUSE_RELATED
          : ProbationOffenceCategory.VIOLENCE_AGAINST_THE_PERSON
        : family.concern === 'SUBSTANCE_MISUSE'
          ? random.pick([
              ProbationOffenceCategory.DRUG_OFFENCE,
              ProbationOffenceCategory.ACQUISITIVE,
            ])
          : random.pick(Object.values(ProbationOffenceCategory));
      const orderType = random.pick(Object.values(ProbationOrderType));
      const onLicence =
        orderType === ProbationOrderType.LICENCE ||
        orderType === ProbationOrderType.POST_SENTENCE_SUPERVISION;
      const licenceStartsOn = onLicence ? daysAfter(sentencedOn, random.int(60, 300)) : null;
      const mappaCategory =
        offence === ProbationOffenceCategory.SEXUAL_OFFENCE
          ? MappaCategory.CATEGORY_1
          : domesticAbuse && random.chance(0.4)
            ? MappaCategory.CATEGORY_2
            : null;
      const riskToChildren = domesticAbuse
        ? random.pick([RiskOfSeriousHarm.MEDIUM, RiskOfSeriousHarm.HIGH])
        : offence === ProbationOffenceCategory.SEXUAL_OFFENCE
          ? RiskOfSeriousHarm.HIGH
          : random.pick([RiskOfSeriousHarm.LOW, RiskOfSeriousHarm.MEDIUM]);
      supervisions.push({
        personId,
        orderType,
        sentencedOn: isoDate(sentencedOn),
        licenceStartsOn: licenceStartsOn && isoDate(licenceStartsOn),
        supervisionEndsOn: isoDate(daysAfter(sentencedOn, random.int(365, 1460))),
        indexOffenceCategory: offence,
        mappaLevel: mappaCategory
          ? random.chance(0.7)
            ? MappaLevel.LEVEL_1
            : random.pick([MappaLevel.LEVEL_2, MappaLevel.LEVEL_3])
          : null,
        mappaCategory,
        riskToChildren,
        riskToKnownAdult: domesticAbuse
          ? random.pick([RiskOfSeriousHarm.HIGH, RiskOfSeriousHarm.VERY_HIGH])
          : random.pick([RiskOfSeriousHarm.LOW, RiskOfSeriousHarm.MEDIUM]),
        riskToPublic: random.pick([RiskOfSeriousHarm.LOW, RiskOfSeriousHarm.MEDIUM]),
      });
      const kinds: LicenceConditionKind[] = [];
      if (riskToChildren === RiskOfSeriousHarm.HIGH)
        kinds.push(LicenceConditionKind.NO_UNSUPERVISED_CONTACT_WITH_CHILDREN);
      if (domesticAbuse) {
        kinds.push(LicenceConditionKind.NO_CONTACT_WITH_NAMED_VICTIM);
        if (random.chance(0.5)) kinds.push(LicenceConditionKind.EXCLUSION_ZONE);
        if (random.chance(0.5)) kinds.push(LicenceConditionKind.DISCLOSE_RELATIONSHIPS);
        if (random.chance(0.6)) kinds.push(LicenceConditionKind.ATTEND_PROGRAMME);
      }
      for (const kind of kinds) {
        conditions.push({
          personId,
          kind,
          imposedOn: isoDate(licenceStartsOn ?? sentencedOn),
          endsOn: random.chance(0.2) ? isoDate(daysAfter(sentencedOn, random.int(200, 400))) : null,
          detail: CONDITION_DETAIL[kind],
          requiresCustodianRelease: VICTIM_RELATED.has(kind),
        });
      }
    }
  }
  await insertInChunks(dataSource, ProbationPerson, people);
  await insertInChunks(dataSource, ProbationSupervision, supervisions as ProbationSupervision[]);
  await insertInChunks(
    dataSource,
    ProbationLicenceCondition,
    conditions as ProbationLicenceCondition[],
  );
}

/** The person row: the one place a person joins probation's index, as probation records people. */
function supervisedPerson(
  people: ProbationPerson[],
  person: SyntheticPerson,
  random: Random,
): string {
  const id = stableUuid('probation', person.personKey);
  people.push({ id, ...withBlockingKeys(agencyIdentity(person, random, PROBATION_HABITS)) });
  return id;
}
