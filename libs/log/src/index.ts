export { createLogger, type CreateLoggerOptions } from './create-logger.js';
export type { DestinationStream, Logger } from 'pino';
