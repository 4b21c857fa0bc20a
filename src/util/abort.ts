/**
 * The one abort error of the library: what an aborted sweep, training or worker job rejects with.
 */

/**
 * The signal's reason when it is an `Error`, else an `Error` named `'AbortError'` (with the
 * reason as its message when it is a string).
 *
 * @example
 * if (signal?.aborted) throw abortError(signal);
 */
export function abortError(signal: AbortSignal, what = 'The operation'): Error {
  const reason: unknown = signal.reason;
  if (reason instanceof Error) return reason;
  const error = new Error(typeof reason === 'string' ? reason : `${what} was aborted`);
  error.name = 'AbortError';
  return error;
}
