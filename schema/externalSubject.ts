import { Directive, Field, ID, ObjectType } from 'type-graphql';
import { RequiredDemographics, Sex, SubjectMatchDecision } from './subject';

/**
 * The `Subject` entity as an agency subgraph sees it: owned by the `mash` subgraph, extended by the
 * agency with its check field. The demographics are `@external`: the gateway fetches them from
 * `mash` and hands them over (`@requires`) so the agency can search its own records by them.
 *
 * A factory, called once per agency: type-graphql writes an agency's field resolvers into the
 * class's metadata when a schema is built, so a class shared by all agencies would carry every
 * agency's check field into every subgraph.
 */
export function externalSubjectType() {
  @Directive('@key(fields: "id")')
  @ObjectType('Subject')
  class ExternalSubject implements RequiredDemographics {
    @Field(() => ID)
    id: string;

    @Directive('@external')
    @Field()
    givenName: string;

    @Directive('@external')
    @Field()
    familyName: string;

    @Directive('@external')
    @Field(() => String, { nullable: true })
    dateOfBirth: string | null;

    @Directive('@external')
    @Field(() => Sex, { nullable: true })
    sex: Sex | null;

    // The hub's matching-only postcode (hidden from clients), not its client-facing `postcode`.
    @Directive('@external')
    @Field(() => String, { nullable: true })
    matchingPostcode: string | null;

    @Directive('@external')
    @Field(() => String, { nullable: true })
    nhsNumber: string | null;

    // The hub's decisions on possible matches for this subject in its case (hidden from clients).
    @Directive('@external')
    @Field(() => [SubjectMatchDecision])
    matchDecisions: SubjectMatchDecision[];
  }
  return ExternalSubject;
}
