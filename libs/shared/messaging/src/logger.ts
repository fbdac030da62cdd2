/** What the relay and the consumer log through; Nest's `Logger` fits it as is. */
export interface MessagingLogger {
  log(message: string): void;
  warn(message: string): void;
  error(message: string): void;
}

/** Default: problems to stderr, routine messages nowhere. */
export const stderrLogger: MessagingLogger = {
  log: () => undefined,
  warn: (message) => console.warn(message),
  error: (message) => console.error(message),
};

export const describeError = (error: unknown): string => (error instanceof Error ? error.message : String(error));
