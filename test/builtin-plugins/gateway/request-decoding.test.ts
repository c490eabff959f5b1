import { BinaryWriter } from '@bufbuild/protobuf/wire';
import { Client, credentials, Metadata, status, type ServiceError } from '@grpc/grpc-js';
import { describe, expect, it } from 'vitest';
import { SessionStoreToken } from '@nexus/plugin-sdk';
import { CreateSessionRequest } from '../../../src/builtin-plugins/gateway/generated/nexus/v1/sessions.js';
import { startGateway } from './gateway-test-kit.js';

const raw = (bytes: Buffer) => bytes;

/** Sends `bytes` as the request of a unary method, byte for byte; resolves with the call's status. */
function unaryRaw(target: string, path: string, bytes: Uint8Array): Promise<{ readonly code: status; readonly details: string }> {
  const client = new Client(target, credentials.createInsecure());
  return new Promise((resolve) => {
    client.makeUnaryRequest(path, raw, raw, Buffer.from(bytes), new Metadata(), { deadline: Date.now() + 10_000 }, (error: ServiceError | null) => {
      client.close();
      resolve(error ? { code: error.code, details: error.details } : { code: status.OK, details: '' });
    });
  });
}

/** The same for the bidi Stream: writes `bytes` as one message and waits for the call's end. */
function streamRaw(target: string, bytes: Uint8Array): Promise<{ readonly code: status; readonly details: string }> {
  const client = new Client(target, credentials.createInsecure());
  const call = client.makeBidiStreamRequest('/nexus.v1.NexusGateway/Stream', raw, raw, new Metadata(), { deadline: Date.now() + 10_000 });
  return new Promise((resolve) => {
    call.on('data', () => undefined);
    call.on('error', (error: ServiceError) => {
      client.close();
      resolve({ code: error.code, details: error.details });
    });
    call.on('end', () => {
      client.close();
      resolve({ code: status.OK, details: '' });
    });
    call.write(Buffer.from(bytes));
  });
}

/** A string field (wire type 2) holding `value` exactly, whether or not it is valid UTF-8. */
function bytesField(writer: BinaryWriter, field: number, value: Uint8Array): BinaryWriter {
  return writer.uint32((field << 3) | 2).bytes(value);
}

/** 0xC3 opens a two-byte sequence; 0x28 cannot continue it. */
const INVALID_UTF8 = Uint8Array.from([0x68, 0x69, 0xc3, 0x28]);

describe('requests whose bytes are not what the method takes', () => {
  it('answers malformed protobuf INVALID_ARGUMENT, saying so, on our services and the standard health service', async () => {
    const { target } = await startGateway();
    // A length-delimited field whose length runs past the end of the message.
    const truncated = Uint8Array.from([0x0a, 0x40, 0x61]);
    for (const path of ['/nexus.v1.SessionService/GetSession', '/nexus.v1.HealthService/Check', '/grpc.health.v1.Health/Check']) {
      const answer = await unaryRaw(target, path, truncated);
      expect(answer.code, path).toBe(status.INVALID_ARGUMENT);
      expect(answer.details).toContain(`the request to ${path} is not a valid protobuf message for that method`);
    }
  });

  it('refuses a string field that is not valid UTF-8 with INVALID_ARGUMENT, and stores nothing', async () => {
    const { target, kernel } = await startGateway();
    const request = bytesField(bytesField(new BinaryWriter(), 3, new TextEncoder().encode('conversation-1')), 4, INVALID_UTF8).finish();
    const answer = await unaryRaw(target, '/nexus.v1.SessionService/CreateSession', request);
    expect(answer).toEqual({ code: status.INVALID_ARGUMENT, details: expect.stringContaining('a string field is not valid UTF-8') });
    const sessions = await kernel.services.get(SessionStoreToken);
    expect((await sessions.list({}, { limit: 10 })).total).toBe(0);

    // The same request with valid text is taken, so it was the encoding that was refused.
    const valid = CreateSessionRequest.encode({ agentId: '', channel: '', channelId: 'conversation-1', title: 'hi', metadata: {} }).finish();
    expect((await unaryRaw(target, '/nexus.v1.SessionService/CreateSession', valid)).code).toBe(status.OK);
  });

  it('ends a Stream call whose message carries invalid UTF-8 with INVALID_ARGUMENT', async () => {
    const { target } = await startGateway();
    // ClientMessage { send_message (1) { content (2): <invalid> } }
    const sendMessage = bytesField(new BinaryWriter(), 2, INVALID_UTF8).finish();
    const message = new BinaryWriter().uint32((1 << 3) | 2).bytes(sendMessage).finish();
    expect(await streamRaw(target, message)).toEqual({ code: status.INVALID_ARGUMENT, details: expect.stringContaining('a string field is not valid UTF-8') });
  });
});
