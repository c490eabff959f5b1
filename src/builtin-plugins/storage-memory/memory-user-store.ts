import { NotFoundError, type Clock, type User, type UserIdentity, type UserStore } from '@nexus/plugin-sdk';
import { checkId, checkIdentity, type UuidV7Generator } from '@nexus/plugin-sdk/storage';

export class MemoryUserStore implements UserStore {
  private readonly users = new Map<string, User>();
  /** `provider\0providerId` → user id. */
  private readonly identities = new Map<string, string>();
  /** Case-folded email → user id. */
  private readonly emails = new Map<string, string>();

  constructor(
    private readonly clock: Clock,
    private readonly ids: UuidV7Generator,
  ) {}

  async findOrCreate(identity: UserIdentity): Promise<User> {
    const checked = checkIdentity(identity);
    const identityKey = `${checked.provider}\0${checked.providerId}`;
    const linked = this.identities.get(identityKey);
    if (linked !== undefined) return { ...this.users.get(linked)! };

    const byEmail = checked.emailKey === undefined ? undefined : this.emails.get(checked.emailKey);
    if (byEmail !== undefined) {
      this.identities.set(identityKey, byEmail);
      return { ...this.users.get(byEmail)! };
    }

    const now = this.clock.now();
    const user: User = {
      id: this.ids.next(now),
      ...(checked.email !== undefined ? { email: checked.email } : {}),
      ...(checked.name !== undefined ? { name: checked.name } : {}),
      createdAt: now,
    };
    this.users.set(user.id, user);
    this.identities.set(identityKey, user.id);
    if (checked.emailKey !== undefined) this.emails.set(checked.emailKey, user.id);
    return { ...user };
  }

  async get(id: string): Promise<User> {
    const user = this.users.get(checkId('user.id', id));
    if (!user) throw new NotFoundError('user', id);
    return { ...user };
  }
}
