import { withBlockingKeys } from '../../schema/agencyPerson';
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
  DashRiskLevel,
  DomesticAbuseCase,
  DomesticAbuseClient,
  DomesticAbuseInvolvement,
  DomesticAbuseRole,
} from './entities';

/** Victims move, often in a hurry, and give a safe contact rather than their address. */
const DOMESTIC_ABUSE_HABITS = { nhsNumberKnown: 0.2, error: 0.1, oldAddress: 0.5 };

/** What a safety plan puts in place: measures, never a place. */
const SAFETY_MEASURES = [
  'Panic alarm fitted; police flag on the home; agreed code word with a trusted friend.',
  'Sanctuary scheme (target hardening); non-molestation order applied for.',
  'Safe contact times agreed; school informed of who may collect the children.',
  'Move to refuge accommodation arranged; the location is held by the IDVA service only.',
];

/**
 * Custodian release: a safety plan that moves the victim to a refuge, or fortifies the home (a
 * sanctuary scheme), tells an abuser where she is or how to reach her; the IDVA service's own
 * MASH member releases the case's risk grade and measures case by case.
 */
const PROTECTS_WHERE_SHE_LIVES: ReadonlySet<string | null> = new Set([
  SAFETY_MEASURES[1],
  SAFETY_MEASURES[3],
]);

export async function seedDomesticAbuse(
  dataSource: DataSource,
  population: SyntheticFamily[],
): Promise<void> {
  const people: DomesticAbuseClient[] = [];
  // updatedAt: the database's, at insert.
  const cases: Omit<DomesticAbuseCase, 'updatedAt'>[] = [];
  const involvements: Omit<DomesticAbuseInvolvement, 'id'>[] = [];
  for (const family of population) {
    if (family.newToArea) continue;
    const random = new Random('domestic-abuse', family.familyKey);
    if (!random.chance(family.concern === 'DOMESTIC_ABUSE' ? 0.8 : 0.03)) continue;
    const adults = family.members.filter((m) => ageOn(m.dateOfBirth) >= 18);
    const victim = adults.find((m) => m.sex === 'FEMALE') ?? adults[0];
    const perpetrator = adults.find((m) => m.sex === 'MALE' && m !== victim);
    const children = family.members.filter((m) => ageOn(m.dateOfBirth) < 18);

    const referredOn = daysBefore(REFERENCE_DATE, random.int(14, 700));
    const dashRiskLevel =
      family.concern === 'DOMESTIC_ABUSE'
        ? random.pick([
            DashRiskLevel.HIGH,
            DashRiskLevel.HIGH,
            DashRiskLevel.MEDIUM,
            DashRiskLevel.STANDARD,
          ])
        : DashRiskLevel.STANDARD;
    const dashAssessedOn = daysAfter(referredOn, random.int(0, 3));
    const marac = dashRiskLevel === DashRiskLevel.HIGH;
    const maracReferredOn = marac ? daysAfter(dashAssessedOn, random.int(1, 5)) : null;
    const safetyPlanAgreedOn = random.chance(0.85)
      ? daysAfter(dashAssessedOn, random.int(0, 7))
      : null;
    const caseRecord: Omit<DomesticAbuseCase, 'updatedAt'> = {
      id: stableUuid('domestic-abuse', 'case', family.familyKey),
      referredOn: isoDate(referredOn),
      dashRiskLevel,
      dashAssessedOn: isoDate(dashAssessedOn),
      maracReferredOn: maracReferredOn && isoDate(maracReferredOn),
      maracMeetingOn: maracReferredOn && isoDate(daysAfter(maracReferredOn, random.int(7, 21))),
      safetyPlanAgreedOn: safetyPlanAgreedOn && isoDate(safetyPlanAgreedOn),
      safetyPlanReviewedOn:
        safetyPlanAgreedOn && random.chance(0.5)
          ? isoDate(daysAfter(safetyPlanAgreedOn, random.int(20, 60)))
          : null,
      safetyMeasures: safetyPlanAgreedOn ? random.pick(SAFETY_MEASURES) : null,
      closedOn: random.chance(0.4) ? isoDate(daysAfter(referredOn, random.int(60, 200))) : null,
      requiresCustodianRelease: false,
    };
    caseRecord.requiresCustodianRelease = PROTECTS_WHERE_SHE_LIVES.has(caseRecord.safetyMeasures);
    if (caseRecord.closedOn && caseRecord.closedOn > isoDate(REFERENCE_DATE))
      caseRecord.closedOn = null;
    cases.push(caseRecord);
    const named: [SyntheticPerson | undefined, DomesticAbuseRole][] = [
      [victim, DomesticAbuseRole.VICTIM],
      // The MARAC names the alleged perpetrator and the children of the household too.
      ...(marac
        ? [
            [perpetrator, DomesticAbuseRole.ALLEGED_PERPETRATOR] as [
              SyntheticPerson | undefined,
              DomesticAbuseRole,
            ],
            ...children.map((c): [SyntheticPerson, DomesticAbuseRole] => [
              c,
              DomesticAbuseRole.CHILD_IN_HOUSEHOLD,
            ]),
          ]
        : []),
    ];
    for (const [person, role] of named) {
      if (!person) continue;
      involvements.push({
        personId: clientRow(people, person, random),
        case: caseRecord as DomesticAbuseCase,
        role,
      });
    }
  }
  await insertInChunks(dataSource, DomesticAbuseClient, people);
  await insertInChunks(dataSource, DomesticAbuseCase, cases as DomesticAbuseCase[]);
  await insertInChunks(
    dataSource,
    DomesticAbuseInvolvement,
    involvements as DomesticAbuseInvolvement[],
  );
}

/** The person row: the one place a person joins the service's index, as it records people. */
function clientRow(people: DomesticAbuseClient[], person: SyntheticPerson, random: Random): string {
  const id = stableUuid('domestic-abuse', person.personKey);
  people.push({ id, ...withBlockingKeys(agencyIdentity(person, random, DOMESTIC_ABUSE_HABITS)) });
  return id;
}
