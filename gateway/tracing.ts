import { context, propagation, ROOT_CONTEXT, SpanKind, trace } from '@opentelemetry/api';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { resourceFromAttributes } from '@opentelemetry/resources';
import {
  BatchSpanProcessor,
  ConsoleSpanExporter,
  NodeTracerProvider,
  SimpleSpanProcessor,
  SpanExporter,
} from '@opentelemetry/sdk-trace-node';
import type express from 'express';

/** Where traces go: OTEL_TRACES_EXPORTER=otlp | console | none (the default: no tracing at all). */
export type TracesExporter = 'otlp' | 'console' | 'none';

export interface Tracing {
  shutdown(): Promise<void>;
}

/**
 * OpenTelemetry tracing for this process, as OTEL_TRACES_EXPORTER asks: off by default. `otlp`
 * sends spans over OTLP/HTTP to OTEL_EXPORTER_OTLP_ENDPOINT (or OTEL_EXPORTER_OTLP_TRACES_ENDPOINT;
 * default http://localhost:4318), batched; `console` prints them. The gateway's spans are Apollo
 * Gateway's own (request, plan, fetch per subgraph…); each subgraph fetch carries the W3C trace
 * context, and each subgraph's span joins the same trace. Spans carry no operation text or variables.
 */
export function startTracing(
  serviceName: string,
  env: NodeJS.ProcessEnv = process.env,
): Tracing | null {
  const choice = (env.OTEL_TRACES_EXPORTER?.trim() || 'none') as TracesExporter;
  if (choice === 'none') return null;
  if (choice === 'console') return tracingTo(new ConsoleSpanExporter(), serviceName, env, false);
  if (choice === 'otlp') return tracingTo(new OTLPTraceExporter(), serviceName, env, true);
  throw new Error(
    `Configuration: OTEL_TRACES_EXPORTER must be otlp, console or none (got "${env.OTEL_TRACES_EXPORTER}").`,
  );
}

/** Spans to `exporter` (a test's in-memory one, or the configured one), for the whole process. */
export function tracingTo(
  exporter: SpanExporter,
  serviceName: string,
  env: NodeJS.ProcessEnv = process.env,
  batched = false,
): Tracing {
  const provider = new NodeTracerProvider({
    resource: resourceFromAttributes({ 'service.name': env.OTEL_SERVICE_NAME || serviceName }),
    spanProcessors: [
      batched ? new BatchSpanProcessor(exporter) : new SimpleSpanProcessor(exporter),
    ],
  });
  // The global provider, W3C trace-context propagation and an AsyncLocalStorage context manager.
  provider.register();
  return {
    async shutdown() {
      await provider.shutdown();
      trace.disable();
      propagation.disable();
      context.disable();
    },
  };
}

/**
 * A span for each request a subgraph serves, child of the gateway's fetch span when the request
 * carries its trace context. Named after the subgraph; nothing of the request's body goes in.
 */
export function subgraphRequestSpan(subgraph: string): express.RequestHandler {
  const tracer = trace.getTracer('mash-subgraph');
  return (req, res, next) => {
    const parent = propagation.extract(ROOT_CONTEXT, req.headers);
    const span = tracer.startSpan(
      `${subgraph} subgraph request`,
      { kind: SpanKind.SERVER, attributes: { 'mash.subgraph': subgraph } },
      parent,
    );
    res.on('finish', () => {
      span.setAttribute('http.response.status_code', res.statusCode);
      span.end();
    });
    context.with(trace.setSpan(parent, span), next);
  };
}
