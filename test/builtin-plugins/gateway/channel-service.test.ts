import { randomUUID } from 'node:crypto';
import { status } from '@grpc/grpc-js';
import { describe, expect, it } from 'vitest';
import { ConnectionStatus } from '../../../src/builtin-plugins/gateway/generated/nexus/v1/channels.js';
import { BEACON_ERROR, BEACON_LAST_ACTIVITY } from './fixtures/test-channels/index.js';
import { call, createApiKey, creds, failure, startGateway } from './gateway-test-kit.js';

/** A gateway with an admin (the first key) and two users. */
async function twoUsers() {
  const gw = await startGateway();
  const admin = creds({ apiKey: (await createApiKey(gw.kernel, 'ops')).key });
  const alice = creds({ apiKey: (await createApiKey(gw.kernel, 'alice-key', 'alice')).key });
  const bob = creds({ apiKey: (await createApiKey(gw.kernel, 'bob-key', 'bob')).key });
  return { gw, admin, alice, bob };
}

describe('ChannelService', () => {
  it('records a connection on connect and marks it disconnected on disconnect', async () => {
    const { gw, alice } = await twoUsers();
    const connected = await call(gw.channels, 'connectChannel', { channelType: 'mute', channelId: 'bot-1' }, alice);
    expect(connected).toMatchObject({ userId: 'alice', channelType: 'mute', channelId: 'bot-1', status: ConnectionStatus.CONNECTION_STATUS_CONNECTED });
    expect(connected.connectedAt).toBeInstanceOf(Date);

    const again = await call(gw.channels, 'connectChannel', { channelType: 'mute', channelId: 'bot-1' }, alice);
    expect(again.id).toBe(connected.id);

    const disconnected = await call(gw.channels, 'disconnectChannel', { id: connected.id }, alice);
    expect(disconnected).toMatchObject({ id: connected.id, status: ConnectionStatus.CONNECTION_STATUS_DISCONNECTED });
    const listed = await call(gw.channels, 'listChannels', { pageSize: 0, pageToken: '' }, alice);
    expect(listed.channels.map((c) => [c.id, c.status])).toEqual([[connected.id, ConnectionStatus.CONNECTION_STATUS_DISCONNECTED]]);
  });

  it('names the default account when the request names none', async () => {
    const { gw, alice } = await twoUsers();
    expect(await call(gw.channels, 'connectChannel', { channelType: 'beacon', channelId: '' }, alice)).toMatchObject({ channelId: 'default' });
  });

  it('refuses a channel no enabled plugin provides, listing the ones that exist', async () => {
    const { gw, alice } = await twoUsers();
    const error = await failure(call(gw.channels, 'connectChannel', { channelType: 'carrier-pigeon', channelId: '' }, alice));
    expect(error.code).toBe(status.INVALID_ARGUMENT);
    expect(error.details).toBe('unknown channel_type "carrier-pigeon": enabled channels are beacon, mute');
  });

  it('reports live status from the channel plugin\'s health, with its error', async () => {
    const { gw, admin, alice } = await twoUsers();
    const connection = await call(gw.channels, 'connectChannel', { channelType: 'beacon', channelId: 'main-bot' }, alice);

    const byId = await call(gw.channels, 'getChannelStatus', { id: connection.id, channelType: '' }, alice);
    expect(byId).toMatchObject({
      channelType: 'beacon',
      channelId: 'main-bot',
      status: ConnectionStatus.CONNECTION_STATUS_ERROR,
      error: BEACON_ERROR,
      healthReported: true,
      lastActivityAt: new Date(BEACON_LAST_ACTIVITY),
    });
    expect(byId.connection?.id).toBe(connection.id);

    const byType = await call(gw.channels, 'getChannelStatus', { id: '', channelType: 'beacon' }, admin);
    expect(byType).toMatchObject({ status: ConnectionStatus.CONNECTION_STATUS_ERROR, healthReported: true });
    expect(byType.connection).toBeUndefined();
  });

  it('reports a channel as a whole to admins only; a user asks by its own connection', async () => {
    const { gw, admin, alice } = await twoUsers();
    const refused = await failure(call(gw.channels, 'getChannelStatus', { id: '', channelType: 'beacon' }, alice));
    expect(refused.code).toBe(status.PERMISSION_DENIED);
    expect(refused.details).toBe('only admins see the status of channel "beacon" as a whole; ask by the id of your own connection');
    await expect(call(gw.channels, 'getChannelStatus', { id: '', channelType: 'beacon' }, admin)).resolves.toMatchObject({ healthReported: true });
  });

  it('falls back to the recorded status for a channel that reports no health', async () => {
    const { gw, admin, alice } = await twoUsers();
    const connection = await call(gw.channels, 'connectChannel', { channelType: 'mute', channelId: '' }, alice);
    const reported = await call(gw.channels, 'getChannelStatus', { id: connection.id, channelType: '' }, alice);
    expect(reported).toMatchObject({ status: ConnectionStatus.CONNECTION_STATUS_CONNECTED, healthReported: false, error: '' });
    const byType = await call(gw.channels, 'getChannelStatus', { id: '', channelType: 'mute' }, admin);
    expect(byType).toMatchObject({ status: ConnectionStatus.CONNECTION_STATUS_UNSPECIFIED, healthReported: false });
  });

  it('keeps connections per user, admins\' included: another user\'s id is NOT_FOUND, and lists show only one\'s own', async () => {
    const { gw, admin, alice, bob } = await twoUsers();
    const hers = await call(gw.channels, 'connectChannel', { channelType: 'mute', channelId: 'a' }, alice);
    await call(gw.channels, 'connectChannel', { channelType: 'mute', channelId: 'b' }, bob);

    expect((await failure(call(gw.channels, 'disconnectChannel', { id: hers.id }, bob))).code).toBe(status.NOT_FOUND);
    expect((await failure(call(gw.channels, 'getChannelStatus', { id: hers.id, channelType: '' }, bob))).code).toBe(status.NOT_FOUND);
    expect((await failure(call(gw.channels, 'disconnectChannel', { id: hers.id }, admin))).code).toBe(status.NOT_FOUND);
    expect((await failure(call(gw.channels, 'disconnectChannel', { id: randomUUID() }, alice))).code).toBe(status.NOT_FOUND);
    const bobs = await call(gw.channels, 'listChannels', { pageSize: 0, pageToken: '' }, bob);
    expect(bobs.channels.map((c) => c.channelId)).toEqual(['b']);
  });

  it('pages through connections and refuses ambiguous or empty status requests', async () => {
    const { gw, alice } = await twoUsers();
    for (const account of ['a', 'b', 'c']) await call(gw.channels, 'connectChannel', { channelType: 'mute', channelId: account }, alice);
    const first = await call(gw.channels, 'listChannels', { pageSize: 2, pageToken: '' }, alice);
    const second = await call(gw.channels, 'listChannels', { pageSize: 2, pageToken: first.nextPageToken }, alice);
    expect([...first.channels, ...second.channels].map((c) => c.channelId)).toEqual(['a', 'b', 'c']);
    expect(second.nextPageToken).toBe('');

    expect((await failure(call(gw.channels, 'getChannelStatus', { id: first.channels[0]!.id, channelType: 'mute' }, alice))).code).toBe(status.INVALID_ARGUMENT);
    expect((await failure(call(gw.channels, 'getChannelStatus', { id: '', channelType: '' }, alice))).code).toBe(status.INVALID_ARGUMENT);
  });
});
