import { Ctx, Directive, FieldResolver, Resolver, Root } from 'type-graphql';
import { DataSource, In } from 'typeorm';
import { AgencyCheckResult } from '../../schema/agencyCheck';
import { agencyEventsResolver } from '../../schema/agencyEvents';
import { recordsOfPeople } from '../../schema/recordsOfPeople';
import { createAgencyCheckLoader, groupByPerson } from '../../schema/agencyCheckLoader';
import { CustodianReleases, withheldUntilReleased } from '../../schema/custodianRelease';
import { ForwardedAccess } from '../../schema/forwardedAccess';
import { SUBJECT_DEMOGRAPHICS_FIELDS } from '../../schema/subject';
import {
  PoliceArrest,
  PoliceCheck,
  PoliceInvolvement,
  PolicePerson,
  PoliceRecords,
  Subject,
} from './entities';
import { policePolicy } from './policy';

/** A flagged incident's narrative and risk grade stay with the police until they release it. */
const WITHHELD = withheldUntilReleased(policePolicy.fieldTiers.IncidentRecord);

export function createPoliceContext(dataSource: DataSource, forwarded: ForwardedAccess) {
  const custodianReleases = new CustodianReleases('police', dataSource, forwarded);
  return {
    forwarded,
    custodianReleases,
    policeCheck: createAgencyCheckLoader<PolicePerson, PoliceRecords>({
      agency: 'police',
      people: dataSource.getRepository(PolicePerson),
      noRecords: { incidents: [], arrests: [] },
      async loadRecords(people) {
        const personIds = people.map((p) => p.id);
        const [involvements, arrests] = await Promise.all([
          dataSource.getRepository(PoliceInvolvement).find({
            where: { personId: In(personIds) },
            relations: { incident: true },
            order: { incident: { occurredAt: 'DESC' } },
          }),
          recordsOfPeople(
            dataSource.getRepository(PoliceArrest),
            { person: 'personId', newestFirst: 'arrestedAt' },
            personIds,
          ),
        ]);
        const awaiting = await custodianReleases.awaiting(involvements.map((i) => i.incident));
        const incidentsByPerson = groupByPerson(involvements, (i) => i.personId);
        const arrestsByPerson = groupByPerson(arrests, (a) => a.personId);
        return new Map(
          people.map((p) => [
            p.id,
            {
              incidents: (incidentsByPerson.get(p.id) ?? []).map(({ incident, role }) =>
                custodianReleases.shown(
                  {
                    occurredAt: incident.occurredAt,
                    type: incident.type,
                    role,
                    summary: incident.summary,
                    domesticAbuseRisk: incident.domesticAbuseRisk,
                    updatedAt: incident.updatedAt,
                  },
                  incident.id,
                  awaiting,
                  WITHHELD,
                ),
              ),
              arrests: arrestsByPerson.get(p.id) ?? [],
            },
          ]),
        );
      },
    }),
  };
}

type PoliceContext = ReturnType<typeof createPoliceContext>;

/** This agency's events for the hub's chronology, as its policy declares them (`schema/agencyEvents.ts`). */
export const PoliceEventsResolver = agencyEventsResolver<PoliceContext>({
  agency: 'police',
  Subject,
  policy: policePolicy,
  check: (ctx) => ctx.policeCheck,
  forwarded: (ctx) => ctx.forwarded,
});

@Resolver(() => Subject)
export class PoliceCheckResolver {
  @FieldResolver(() => PoliceCheck, {
    nullable: true,
    description: 'Police check on this subject.',
  })
  @Directive(`@requires(fields: "${SUBJECT_DEMOGRAPHICS_FIELDS}")`)
  police(
    @Root() subject: Subject,
    @Ctx() ctx: PoliceContext,
  ): Promise<AgencyCheckResult<PoliceRecords>> {
    return ctx.policeCheck.load(subject);
  }
}
