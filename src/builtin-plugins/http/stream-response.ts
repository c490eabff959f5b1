import type { ServerResponse } from 'node:http';

/**
 * Writes a route's stream to the response as its chunks come, waiting for the socket to drain
 * when it is behind, and ends the response when the stream closes. The stream is cancelled as
 * soon as the response closes first (the client went away, the server cut the connection), so
 * its source stops producing; an error from the stream cuts the connection, since the status
 * went out long ago and a half-written body must not look complete.
 */
export async function pipeStream(response: ServerResponse, stream: ReadableStream<Uint8Array | string>, onError: (error: unknown) => void): Promise<void> {
  const reader = stream.getReader();
  const cancel = () => void reader.cancel(new Error('the client closed the connection')).catch(() => undefined);
  response.once('close', cancel);
  try {
    for (;;) {
      const { value, done } = await reader.read();
      if (done || response.destroyed) break;
      if (!response.write(value)) await drained(response);
    }
    if (!response.destroyed) response.end();
  } catch (error) {
    onError(error);
    response.destroy();
  } finally {
    response.off('close', cancel);
    reader.releaseLock();
  }
}

/** Resolves once the response can take more, or is gone. */
function drained(response: ServerResponse): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      response.off('drain', done);
      response.off('close', done);
      resolve();
    };
    response.once('drain', done);
    response.once('close', done);
  });
}

/** Releases a stream nobody will read (its answer came too late to be sent). */
export function discardStream(stream: ReadableStream<Uint8Array | string>): void {
  void stream.cancel(new Error('the request was already answered')).catch(() => undefined);
}
