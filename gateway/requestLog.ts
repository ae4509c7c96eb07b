import type { ApolloServerPlugin } from '@apollo/server';
import { serviceLog } from '../service/logger';
import { outcomeOf } from './auditPlugin';
import { requestDuration, requests, withheldFields } from './metrics';
import { enforcementOf } from './policyEnforcement';
import type { GatewayContext } from './requestAccess';

/**
 * One log line and the metrics for every request answered, after its audit record is written (so
 * an answer the audit refused counts as the error it became). The line names the request by the
 * id its audit record carries, and the caller by user id and role: never what was asked or answered.
 */
export function requestLogPlugin(): ApolloServerPlugin<GatewayContext> {
  return {
    async requestDidStart() {
      const started = performance.now();
      return {
        async willSendResponse({ response, contextValue }) {
          const { body, http } = response;
          if (body.kind !== 'single') return;
          const errors = body.singleResult.errors;
          const denied = enforcementOf(contextValue)?.denied ?? [];
          const asked = denied.filter((d) => !d.internal);
          const outcome = outcomeOf(errors, asked, contextValue.granted ?? []);
          const seconds = (performance.now() - started) / 1000;
          requests.inc({ outcome });
          requestDuration.observe({ outcome }, seconds);
          for (const d of asked) withheldFields.inc({ rule: d.rule }, d.count ?? 1);
          const { access, requestId } = contextValue;
          serviceLog('gateway').info(
            {
              requestId,
              userId: access?.caller?.userId ?? null,
              role: access?.caller?.role ?? null,
              agency: access?.caller?.agency ?? null,
              purpose: access?.purpose ?? null,
              caseReference: access?.case?.reference ?? access?.declaredCase ?? null,
              outcome,
              status: http.status ?? 200,
              latencyMs: Math.round(seconds * 1000),
              withheld: asked.reduce((n, d) => n + (d.count ?? 1), 0),
              errorCodes: [...new Set((errors ?? []).map((e) => String(e.extensions?.code)))],
            },
            'request answered',
          );
        },
      };
    },
  };
}
