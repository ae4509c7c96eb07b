import { Ctx, Directive, FieldResolver, Resolver, Root } from 'type-graphql';
import { DataSource } from 'typeorm';
import { AgencyCheckResult } from '../../schema/agencyCheck';
import { agencyEventsResolver } from '../../schema/agencyEvents';
import { recordsOfPeople } from '../../schema/recordsOfPeople';
import { createAgencyCheckLoader, groupByPerson } from '../../schema/agencyCheckLoader';
import { CustodianReleases, withheldUntilReleased } from '../../schema/custodianRelease';
import { ForwardedAccess } from '../../schema/forwardedAccess';
import { SUBJECT_DEMOGRAPHICS_FIELDS } from '../../schema/subject';
import {
  AntisocialBehaviourCase,
  HomelessnessApplication,
  HousingCheck,
  HousingPerson,
  HousingRecords,
  HousingTenancy,
  Subject,
  TemporaryAccommodationPlacement,
} from './entities';
import { housingPolicy } from './policy';

/** A flagged application's reason stays with housing until its member releases it. */
const WITHHELD = withheldUntilReleased(housingPolicy.fieldTiers.HomelessnessApplication);

export function createHousingContext(dataSource: DataSource, forwarded: ForwardedAccess) {
  const custodianReleases = new CustodianReleases('housing', dataSource, forwarded);
  return {
    forwarded,
    custodianReleases,
    housingCheck: createAgencyCheckLoader<HousingPerson, HousingRecords>({
      agency: 'housing',
      people: dataSource.getRepository(HousingPerson),
      noRecords: {
        tenancies: [],
        homelessnessApplications: [],
        temporaryAccommodation: [],
        antisocialBehaviour: [],
      },
      // The household's records, one query per kind for every matched household at once.
      async loadRecords(people) {
        const householdIds = [...new Set(people.map((p) => p.householdId))];
        const [tenancies, applications, placements, antisocial] = await Promise.all([
          recordsOfPeople(
            dataSource.getRepository(HousingTenancy),
            { person: 'householdId', newestFirst: 'startedOn' },
            householdIds,
          ),
          recordsOfPeople(
            dataSource.getRepository(HomelessnessApplication),
            { person: 'householdId', newestFirst: 'appliedOn' },
            householdIds,
          ),
          recordsOfPeople(
            dataSource.getRepository(TemporaryAccommodationPlacement),
            { person: 'householdId', newestFirst: 'placedOn' },
            householdIds,
          ),
          recordsOfPeople(
            dataSource.getRepository(AntisocialBehaviourCase),
            { person: 'householdId', newestFirst: 'openedOn' },
            householdIds,
          ),
        ]);
        const byHousehold = <T extends { householdId: string }>(rows: T[]) =>
          groupByPerson(rows, (r) => r.householdId);
        const awaiting = await custodianReleases.awaiting(applications);
        const [t, a, p, s] = [
          byHousehold(tenancies),
          byHousehold(
            applications.map((r) => custodianReleases.shown(r, r.id, awaiting, WITHHELD)),
          ),
          byHousehold(placements),
          byHousehold(antisocial),
        ];
        return new Map(
          people.map((person) => [
            person.id,
            {
              tenancies: t.get(person.householdId) ?? [],
              homelessnessApplications: a.get(person.householdId) ?? [],
              temporaryAccommodation: p.get(person.householdId) ?? [],
              antisocialBehaviour: s.get(person.householdId) ?? [],
            },
          ]),
        );
      },
    }),
  };
}

type HousingContext = ReturnType<typeof createHousingContext>;

/** housing's events for the hub's chronology, as its policy declares them (`schema/agencyEvents.ts`). */
export const HousingEventsResolver = agencyEventsResolver<HousingContext>({
  agency: 'housing',
  Subject,
  policy: housingPolicy,
  check: (ctx) => ctx.housingCheck,
  forwarded: (ctx) => ctx.forwarded,
});

@Resolver(() => Subject)
export class HousingCheckResolver {
  @FieldResolver(() => HousingCheck, {
    nullable: true,
    description: 'Housing check on this subject (their household’s records).',
  })
  @Directive(`@requires(fields: "${SUBJECT_DEMOGRAPHICS_FIELDS}")`)
  housing(
    @Root() subject: Subject,
    @Ctx() ctx: HousingContext,
  ): Promise<AgencyCheckResult<HousingRecords>> {
    return ctx.housingCheck.load(subject);
  }
}
