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
  EarlyHelpCheck,
  EarlyHelpEpisode,
  EarlyHelpPerson,
  EarlyHelpRecords,
  Subject,
} from './entities';
import { earlyHelpPolicy } from './policy';

/** A flagged episode's needs stay with early help until its member releases them. */
const WITHHELD = withheldUntilReleased(earlyHelpPolicy.fieldTiers.EarlyHelpEpisode);

export function createEarlyHelpContext(dataSource: DataSource, forwarded: ForwardedAccess) {
  const custodianReleases = new CustodianReleases('early-help', dataSource, forwarded);
  return {
    forwarded,
    custodianReleases,
    earlyHelpCheck: createAgencyCheckLoader<EarlyHelpPerson, EarlyHelpRecords>({
      agency: 'early-help',
      people: dataSource.getRepository(EarlyHelpPerson),
      noRecords: { episodes: [] },
      // The family's episodes, for every matched family in one query.
      async loadRecords(people) {
        const episodes = await recordsOfPeople(
          dataSource.getRepository(EarlyHelpEpisode),
          { person: 'familyId', newestFirst: 'openedOn' },
          [...new Set(people.map((p) => p.familyId))],
        );
        const awaiting = await custodianReleases.awaiting(episodes);
        const byFamily = groupByPerson(
          episodes.map((e) => custodianReleases.shown(e, e.id, awaiting, WITHHELD)),
          (e) => e.familyId,
        );
        return new Map(people.map((p) => [p.id, { episodes: byFamily.get(p.familyId) ?? [] }]));
      },
    }),
  };
}

type EarlyHelpContext = ReturnType<typeof createEarlyHelpContext>;

/** early-help's events for the hub's chronology, as its policy declares them (`schema/agencyEvents.ts`). */
export const EarlyHelpEventsResolver = agencyEventsResolver<EarlyHelpContext>({
  agency: 'early-help',
  Subject,
  policy: earlyHelpPolicy,
  check: (ctx) => ctx.earlyHelpCheck,
  forwarded: (ctx) => ctx.forwarded,
});

@Resolver(() => Subject)
export class EarlyHelpCheckResolver {
  @FieldResolver(() => EarlyHelpCheck, {
    nullable: true,
    description: 'Early help check on this subject (their family’s episodes).',
  })
  @Directive(`@requires(fields: "${SUBJECT_DEMOGRAPHICS_FIELDS}")`)
  earlyHelp(
    @Root() subject: Subject,
    @Ctx() ctx: EarlyHelpContext,
  ): Promise<AgencyCheckResult<EarlyHelpRecords>> {
    return ctx.earlyHelpCheck.load(subject);
  }
}
