/**
 * The chronology page the benchmark measures: the household's chronology, 50 events a page
 * (`subgraphs/mash/chronologyResolver.ts`), as a case system pulls it.
 */
export const CHRONOLOGY_PAGE_SIZE = 50;

export function chronologyPageBody(caseReference: string): string {
  return JSON.stringify({
    query: `query ChronologyPage($ref: String!) { caseByReference(reference: $ref) {
      chronology(first: ${CHRONOLOGY_PAGE_SIZE}) {
        totalCount
        edges { cursor node { occurredAt agency kind summary summaryTier recordReference subjectIds } }
        pageInfo { hasNextPage endCursor }
        agencies { agency subjectId status }
        withheld { agency rule count }
      } } }`,
    variables: { ref: caseReference },
  });
}

interface ChronologyAnswer {
  data?: {
    caseByReference?: {
      chronology?: {
        totalCount: number;
        edges: unknown[];
        agencies: { agency: string; status: string }[];
      } | null;
    } | null;
  };
  errors?: { extensions?: { rule?: string; code?: string } }[];
}

/**
 * The page's events and the household's total, or an error when the page is not a proper answer:
 * an error other than a policy's, or an agency UNAVAILABLE while every agency is up.
 */
export function checkChronologyPage(answer: unknown): { events: number; total: number } {
  const { data, errors } = answer as ChronologyAnswer;
  const page = data?.caseByReference?.chronology;
  const unexpected = (errors ?? []).filter((e) => !e.extensions?.rule);
  const unavailable = (page?.agencies ?? []).filter((a) => a.status === 'UNAVAILABLE');
  if (!page || unexpected.length || unavailable.length)
    throw new Error(
      `The chronology page was not answered properly: ${JSON.stringify(unexpected.length ? unexpected : unavailable.length ? unavailable : answer).slice(0, 500)}`,
    );
  return { events: page.edges.length, total: page.totalCount };
}
