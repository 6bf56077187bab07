/**
 * The one Powertools setup every Lambda handler shares: the logger, the metrics namespace and the
 * logger middleware with this project's defaults.
 */
import { Logger } from '@aws-lambda-powertools/logger';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { Metrics } from '@aws-lambda-powertools/metrics';

/** The service's logger (JSON lines; level from POWERTOOLS_LOG_LEVEL). */
export const logger = new Logger({ serviceName: 'contact-auditor' });

/**
 * EMF metrics in the `ContactAuditor` namespace. Pure: a bundle whose handler publishes no metric
 * (contactChange) drops it, and with it the metrics package.
 */
export const metrics = /* @__PURE__ */ new Metrics({ namespace: 'ContactAuditor', serviceName: 'contact-auditor' });

/**
 * The logger middleware: the Lambda context in every line, and the keys a handler appended
 * (`runId`, `accountId`) removed after each invocation so they never leak into the next one.
 * `logEvent` is false explicitly: events carry contact names and e-mail addresses, and
 * POWERTOOLS_LOGGER_LOG_EVENT=true would otherwise log every one of them.
 */
export function lambdaLogging(log: Logger = logger) {
  return injectLambdaContext(log, { resetKeys: true, logEvent: false });
}
