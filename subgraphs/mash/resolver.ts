import DataLoader from 'dataloader';
import { GraphQLError } from 'graphql';
import { Arg, Ctx, FieldResolver, ID, Int, Query, Resolver, Root } from 'type-graphql';
import { DataSource, In, MoreThan } from 'typeorm';
import { Case, CaseConnection, CaseStatus, Referral, Subject } from './entities';

export interface MashContext {
  dataSource: DataSource;
  subjectsByCase: DataLoader<string, Subject[]>;
  referralById: DataLoader<string, Referral | null>;
  subjectById: DataLoader<string, Subject | null>;
}

export function createMashContext(dataSource: DataSource): MashContext {
  const subjects = dataSource.getRepository(Subject);
  return {
    dataSource,
    subjectsByCase: new DataLoader(async (caseIds) => {
      // The household oldest first, as a case record lists it; unknown dates of birth last.
      const rows = await subjects.find({
        where: { caseId: In([...caseIds]) },
        order: { dateOfBirth: 'ASC', id: 'ASC' },
      });
      return caseIds.map((id) => rows.filter((s) => s.caseId === id));
    }),
    referralById: new DataLoader(async (ids) => {
      const rows = await dataSource.getRepository(Referral).findBy({ id: In([...ids]) });
      return ids.map((id) => rows.find((r) => r.id === id) ?? null);
    }),
    subjectById: new DataLoader(async (ids) => {
      const rows = await subjects.findBy({ id: In([...ids]) });
      return ids.map((id) => rows.find((s) => s.id === id) ?? null);
    }),
  };
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const MAX_PAGE = 100;

@Resolver(() => Case)
export class CaseResolver {
  @Query(() => Case, { nullable: true, description: 'A case by its id; null when there is none.' })
  async case(@Arg('id', () => ID) id: string, @Ctx() ctx: MashContext): Promise<Case | null> {
    if (!UUID.test(id)) throw badInput(`"${id}" is not a case id (a UUID).`, 'id');
    return ctx.dataSource.getRepository(Case).findOneBy({ id });
  }

  @Query(() => Case, { nullable: true, description: 'A case by its MASH reference.' })
  async caseByReference(
    @Arg('reference') reference: string,
    @Ctx() ctx: MashContext,
  ): Promise<Case | null> {
    return ctx.dataSource.getRepository(Case).findOneBy({ reference });
  }

  @Query(() => CaseConnection, { description: 'Cases in reference order, a page at a time.' })
  async cases(
    @Ctx() ctx: MashContext,
    @Arg('first', () => Int, { defaultValue: 20 }) first: number,
    @Arg('after', () => String, { nullable: true }) after: string | undefined,
    @Arg('status', () => CaseStatus, { nullable: true }) status: CaseStatus | undefined,
  ): Promise<CaseConnection> {
    if (first < 1 || first > MAX_PAGE)
      throw badInput(`first must be between 1 and ${MAX_PAGE}.`, 'first');
    // An argument the client leaves out arrives as undefined, one it sends as null as null.
    const afterReference = after ? decodeCursor(after) : null;
    const repository = ctx.dataSource.getRepository(Case);
    const filter = status ? { status } : {};
    const [rows, totalCount] = await Promise.all([
      repository.find({
        where: afterReference ? { ...filter, reference: MoreThan(afterReference) } : filter,
        order: { reference: 'ASC' },
        take: first + 1,
      }),
      repository.countBy(filter),
    ]);
    const page = rows.slice(0, first);
    const edges = page.map((node) => ({ cursor: encodeCursor(node.reference), node }));
    return {
      edges,
      pageInfo: { hasNextPage: rows.length > first, endCursor: edges.at(-1)?.cursor ?? null },
      totalCount,
    };
  }

  @FieldResolver(() => [Subject], { description: 'The people named in the case (the household).' })
  subjects(@Root() parent: Case, @Ctx() ctx: MashContext): Promise<Subject[]> {
    return ctx.subjectsByCase.load(parent.id);
  }

  @FieldResolver(() => Referral)
  async referral(@Root() parent: Case, @Ctx() ctx: MashContext): Promise<Referral> {
    const referral = await ctx.referralById.load(parent.referralId);
    if (!referral)
      throw new GraphQLError('The referral of this case is missing.', {
        extensions: { code: 'DATA_INTEGRITY' },
      });
    return referral;
  }
}

/** Federation: other subgraphs refer to a subject by id only. */
export const mashReferenceResolvers = {
  Subject: {
    __resolveReference: (reference: { id: string }, ctx: MashContext) =>
      ctx.subjectById.load(reference.id),
  },
  Case: {
    __resolveReference: (reference: { id: string }, ctx: MashContext) =>
      ctx.dataSource.getRepository(Case).findOneBy({ id: reference.id }),
  },
};

function encodeCursor(reference: string): string {
  return Buffer.from(`case:${reference}`).toString('base64url');
}

function decodeCursor(cursor: string): string {
  const decoded = Buffer.from(cursor, 'base64url').toString();
  if (!decoded.startsWith('case:'))
    throw badInput('after is not a cursor this API gave out.', 'after');
  return decoded.slice('case:'.length);
}

function badInput(message: string, argument: string): GraphQLError {
  return new GraphQLError(message, { extensions: { code: 'BAD_USER_INPUT', argument } });
}
