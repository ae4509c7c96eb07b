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
  ProbationCheck,
  ProbationLicenceCondition,
  ProbationPerson,
  ProbationRecords,
  ProbationSupervision,
  Subject,
} from './entities';
import { probationPolicy } from './policy';

/** A flagged licence condition's detail stays with probation until its member releases it. */
const WITHHELD = withheldUntilReleased(probationPolicy.fieldTiers.ProbationLicenceCondition);

export function createProbationContext(dataSource: DataSource, forwarded: ForwardedAccess) {
  const custodianReleases = new CustodianReleases('probation', dataSource, forwarded);
  return {
    forwarded,
    custodianReleases,
    probationCheck: createAgencyCheckLoader<ProbationPerson, ProbationRecords>({
      agency: 'probation',
      people: dataSource.getRepository(ProbationPerson),
      noRecords: { supervisions: [], licenceConditions: [] },
      async loadRecords(people) {
        const personIds = people.map((p) => p.id);
        const [supervisions, conditions] = await Promise.all([
          recordsOfPeople(
            dataSource.getRepository(ProbationSupervision),
            { person: 'personId', newestFirst: 'sentencedOn' },
            personIds,
          ),
          recordsOfPeople(
            dataSource.getRepository(ProbationLicenceCondition),
            { person: 'personId', newestFirst: 'imposedOn' },
            personIds,
          ),
        ]);
        const supervisionsByPerson = groupByPerson(supervisions, (s) => s.personId);
        const awaiting = await custodianReleases.awaiting(conditions);
        const conditionsByPerson = groupByPerson(
          conditions.map((c) => custodianReleases.shown(c, c.id, awaiting, WITHHELD)),
          (c) => c.personId,
        );
        return new Map(
          people.map((p) => [
            p.id,
            {
              supervisions: supervisionsByPerson.get(p.id) ?? [],
              licenceConditions: conditionsByPerson.get(p.id) ?? [],
            },
          ]),
        );
      },
    }),
  };
}

type ProbationContext = ReturnType<typeof createProbationContext>;

/** probation's events for the hub's chronology, as its policy declares them (`schema/agencyEvents.ts`). */
export const ProbationEventsResolver = agencyEventsResolver<ProbationContext>({
  agency: 'probation',
  Subject,
  policy: probationPolicy,
  check: (ctx) => ctx.probationCheck,
  forwarded: (ctx) => ctx.forwarded,
});

@Resolver(() => Subject)
export class ProbationCheckResolver {
  @FieldResolver(() => ProbationCheck, {
    nullable: true,
    description: 'Probation check on this subject.',
  })
  @Directive(`@requires(fields: "${SUBJECT_DEMOGRAPHICS_FIELDS}")`)
  probation(
    @Root() subject: Subject,
    @Ctx() ctx: ProbationContext,
  ): Promise<AgencyCheckResult<ProbationRecords>> {
    return ctx.probationCheck.load(subject);
  }
}
