import type { ApolloServerPlugin, GraphQLRequestListener } from '@apollo/server';

type Hook = 'didResolveOperation' | 'willSendResponse';
const HOOKS: Hook[] = ['didResolveOperation', 'willSendResponse'];

/**
 * Apollo Server runs the request hooks of different plugins concurrently. The policies must have
 * pruned the operation before anything else rewrites it, and must have answered the withheld
 * fields before the audit records the answer: this runs the given plugins' hooks one after the
 * other, in the order given.
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- composes plugins of any context
export function inOrder<TContext extends Record<string, any>>(
  ...plugins: ApolloServerPlugin<TContext>[]
): ApolloServerPlugin<TContext> {
  return {
    async requestDidStart(requestContext) {
      const listeners: GraphQLRequestListener<TContext>[] = [];
      for (const plugin of plugins) {
        const listener = await plugin.requestDidStart?.(requestContext);
        if (listener) listeners.push(listener);
      }
      const sequential: GraphQLRequestListener<TContext> = {};
      for (const hook of HOOKS) {
        sequential[hook] = async (context: never) => {
          for (const listener of listeners)
            await (listener[hook] as ((c: never) => Promise<void>) | undefined)?.(context);
        };
      }
      return sequential;
    },
  };
}
