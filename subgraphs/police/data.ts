import type { DataSource } from 'typeorm';
import { insertInChunks } from '../../database/insertInChunks';
import { withBlockingKeys } from '../../schema/agencyPerson';
import {
  ageOn,
  daysBefore,
  agencyIdentity,
  REFERENCE_DATE,
  SyntheticFamily,
  SyntheticPerson,
} from '../../synthetic/population';
import { Random } from '../../synthetic/random';
import { stableUuid } from '../../synthetic/stableUuid';
import {
  DomesticAbuseRisk,
  IncidentType,
  InvolvementRole,
  PoliceArrest,
  PoliceIncident,
  PoliceInvolvement,
  PolicePerson,
} from './entities';

/** Police hold no NHS numbers; names are often taken down at the door, so errors are common. */
const POLICE_HABITS = { nhsNumberKnown: 0, error: 0.2, oldAddress: 0.3 };

export async function seedPolice(
  dataSource: DataSource,
  population: SyntheticFamily[],
): Promise<void> {
  const people: PolicePerson[] = [];
  // updatedAt: the database's, at insert.
  const incidents: Omit<PoliceIncident, 'updatedAt'>[] = [];
  const involvements: Omit<PoliceInvolvement, 'id'>[] = [];
  const arrests: Omit<PoliceArrest, 'id' | 'updatedAt'>[] = [];

  for (const family of population) {
    if (family.newToArea) continue;
    const random = new Random('police', family.familyKey);
    const known =
      family.concern === 'DOMESTIC_ABUSE' ||
      family.concern === 'SUBSTANCE_MISUSE' ||
      random.chance(0.15);
    if (!known) continue;

    const ids = new Map<SyntheticPerson, string>();
    const personId = (person: SyntheticPerson) => {
      if (!ids.has(person)) {
        const id = stableUuid('police', person.personKey);
        ids.set(person, id);
        const identity = agencyIdentity(person, random, POLICE_HABITS);
        people.push({ id, ...withBlockingKeys(identity) });
      }
      return ids.get(person)!;
    };
    const addIncident = (
      type: IncidentType,
      summary: string,
      involved: [SyntheticPerson, InvolvementRole][],
      domesticAbuseRisk: DomesticAbuseRisk | null = null,
    ) => {
      const incident = {
        id: stableUuid('police', 'incident', family.familyKey, incidents.length),
        occurredAt: daysBefore(REFERENCE_DATE, random.int(5, 900)),
        type,
        summary,
        domesticAbuseRisk,
        // Some domestic-abuse incidents are under active investigation: released case by case.
        requiresCustodianRelease: type === IncidentType.DOMESTIC_ABUSE && random.chance(0.25),
      };
      incidents.push(incident);
      for (const [person, role] of involved)
        involvements.push({
          personId: personId(person),
          incident: incident as PoliceIncident,
          role,
        });
      return incident;
    };

    const adults = family.members.filter((m) => ageOn(m.dateOfBirth) >= 18);
    const children = family.members.filter((m) => ageOn(m.dateOfBirth) < 18);
    const victim = adults.find((m) => m.sex === 'FEMALE') ?? adults[0];
    const suspect = adults.find((m) => m.sex === 'MALE');

    if (family.concern === 'DOMESTIC_ABUSE' && suspect) {
      const callOuts = random.int(1, 4);
      // The case study's home: called out to again and again, the children there every time.
      const repeated = family.caseStudy?.kind === 'REPEATED_CALL_OUTS';
      for (let n = repeated ? callOuts + 3 : callOuts; n > 0; n--) {
        const risk = random.pick([
          DomesticAbuseRisk.STANDARD,
          DomesticAbuseRisk.MEDIUM,
          DomesticAbuseRisk.HIGH,
        ]);
        const incident = addIncident(
          IncidentType.DOMESTIC_ABUSE,
          'Verbal and physical altercation at the home address; children present.',
          [
            [victim, InvolvementRole.VICTIM],
            [suspect, InvolvementRole.SUSPECT],
            ...children.map((c): [SyntheticPerson, InvolvementRole] => [
              c,
              InvolvementRole.PRESENT_CHILD,
            ]),
          ],
          risk,
        );
        if (random.chance(0.5)) {
          arrests.push({
            personId: personId(suspect),
            arrestedAt: incident.occurredAt,
            offence: 'Assault occasioning actual bodily harm',
            outcome: random.pick(['Charged', 'No further action', 'Released under investigation']),
          });
        }
      }
    }
    if (family.concern === 'SUBSTANCE_MISUSE') {
      const user = suspect ?? victim;
      const incident = addIncident(IncidentType.DRUGS, 'Stop and search; controlled drugs found.', [
        [user, InvolvementRole.SUSPECT],
      ]);
      arrests.push({
        personId: personId(user),
        arrestedAt: incident.occurredAt,
        offence: 'Possession of a controlled drug (class A)',
        outcome: random.pick(['Charged', 'Community resolution']),
      });
    }
    if (family.concern === 'NEGLECT' || random.chance(0.3)) {
      addIncident(
        IncidentType.CONCERN_FOR_WELFARE,
        'Call from a neighbour: young children heard crying, no adult answering.',
        children.map((c): [SyntheticPerson, InvolvementRole] => [
          c,
          InvolvementRole.SUBJECT_OF_CONCERN,
        ]),
      );
    }
    for (const teenager of children.filter((c) => ageOn(c.dateOfBirth) >= 12)) {
      if (random.chance(0.4)) {
        addIncident(IncidentType.MISSING_EPISODE, 'Reported missing overnight; found next day.', [
          [teenager, InvolvementRole.MISSING_PERSON],
        ]);
      }
    }
  }

  await insertInChunks(dataSource, PolicePerson, people);
  await insertInChunks(dataSource, PoliceIncident, incidents);
  await insertInChunks(dataSource, PoliceInvolvement, involvements as PoliceInvolvement[]);
  await insertInChunks(dataSource, PoliceArrest, arrests as PoliceArrest[]);
}
