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
  SocialCareCheck,
  SocialCareEpisode,
  SocialCarePerson,
  SocialCareRecords,
  Subject,
} from './entities';
import { socialCarePolicy } from './policy';

/** A flagged episode's category and outcome stay with social care until its member releases it. */
const WITHHELD = withheldUntilReleased(socialCarePolicy.fieldTiers.SocialCareEpisode);

export function createSocialCareContext(dataSource: DataSource, forwarded: ForwardedAccess) {
  const custodianReleases = new CustodianReleases('social-care', dataSource, forwarded);
  return {
    forwarded,
    custodianReleases,
    socialCareCheck: createAgencyCheckLoader<SocialCarePerson, SocialCareRecords>({
      agency: 'social-care',
      people: dataSource.getRepository(SocialCarePerson),
      noRecords: { episodes: [] },
      async loadRecords(people) {
        const episodes = await recordsOfPeople(
          dataSource.getRepository(SocialCareEpisode),
          { person: 'personId', newestFirst: 'startDate' },
          people.map((p) => p.id),
        );
        const awaiting = await custodianReleases.awaiting(episodes);
        const episodesByPerson = groupByPerson(
          episodes.map((e) => custodianReleases.shown(e, e.id, awaiting, WITHHELD)),
          (e) => e.personId,
        );
        return new Map(people.map((p) => [p.id, { episodes: episodesByPerson.get(p.id) ?? [] }]));
      },
    }),
  };
}

type SocialCareContext = ReturnType<typeof createSocialCareContext>;

/** This agency's events for the hub's chronology, as its policy declares them (`schema/agencyEvents.ts`). */
export const SocialCareEventsResolver = agencyEventsResolver<SocialCareContext>({
  agency: 'social-care',
  Subject,
  policy: socialCarePolicy,
  check: (ctx) => ctx.socialCareCheck,
  forwarded: (ctx) => ctx.forwarded,
});

@Resolver(() => Subject)
export class SocialCareCheckResolver {
  @FieldResolver(() => SocialCareCheck, {
    nullable: true,
    description: "Children's social care check on this subject.",
  })
  @Directive(`@requires(fields: "${SUBJECT_DEMOGRAPHICS_FIELDS}")`)
  socialCare(
    @Root() subject: Subject,
    @Ctx() ctx: SocialCareContext,
  ): Promise<AgencyCheckResult<SocialCareRecords>> {
    return ctx.socialCareCheck.load(subject);
  }
}
