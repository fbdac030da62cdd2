import { IncomingMessage, ServerResponse } from 'node:http';
import { Params } from 'nestjs-pino';
import pino, { DestinationStream } from 'pino';
import { correlationIdOf } from '@conduct/http';
import { LogLevel } from '@conduct/config';

const QUIET_PATHS = ['/health/', '/metrics'];

/** ISO timestamps and level names: readable by people and log shippers alike. */
export const JSON_LOG_FORMAT = {
  timestamp: pino.stdTimeFunctions.isoTime,
  formatters: { level: (label: string) => ({ level: label }) },
};

/** What the access log keeps of a request (pino's standard form, before this): no headers, so no token. */
interface SerializedRequest {
  method: string;
  url: string;
  remoteAddress?: string;
  headers: Record<string, string | undefined>;
}

/**
 * The access log line says who asked what and how it went, not every header: the full request
 * and response headers made each line about 2 KB, most of it the same security headers, and
 * writing them cost more CPU than many requests themselves (npm run bench:http).
 */
const accessLogSerializers = {
  req: ({ method, url, remoteAddress, headers }: SerializedRequest) => ({
    method,
    url,
    remoteAddress,
    ...(headers['user-agent'] ? { userAgent: headers['user-agent'] } : {}),
  }),
  res: ({ statusCode }: { statusCode: number }) => ({ statusCode }),
};

/**
 * One JSON line per log entry, tagged with the service and the request's correlation id.
 * Probes and scrapes are not logged per request; tokens never reach the logs.
 */
export function loggerParams(service: string, level: LogLevel, destination?: DestinationStream): Params {
  const options = {
    name: service,
    level,
    ...JSON_LOG_FORMAT,
    serializers: accessLogSerializers,
    genReqId: (req: IncomingMessage) => correlationIdOf(req) ?? 'none',
    customAttributeKeys: { reqId: 'correlationId' },
    // Handlers' logs carry only the correlation id; the request itself is logged once, on completion.
    quietReqLogger: true,
    autoLogging: { ignore: (req: IncomingMessage) => QUIET_PATHS.some((path) => req.url?.startsWith(path) ?? false) },
    customLogLevel: (_req: IncomingMessage, res: ServerResponse, error?: Error) =>
      error || res.statusCode >= 500 ? ('error' as const) : res.statusCode >= 400 ? ('warn' as const) : ('info' as const),
  };
  return { pinoHttp: destination ? [options, destination] : options };
}
