import { DummyDriver, Kysely, SqliteAdapter, SqliteIntrospector, SqliteQueryCompiler } from 'kysely';
import { describe, expect, it } from 'vitest';
import { QueryTemplate } from '../../../plugin-sdk/src/storage-sql/sql/query-template.js';

interface Db {
  messages: { id: string; session_id: string; seq: number };
}

// kysely's own SQLite compiler over a driver that runs nothing: what is tested is the compiled SQL.
const db = new Kysely<Db>({
  dialect: {
    createAdapter: () => new SqliteAdapter(),
    createDriver: () => new DummyDriver(),
    createIntrospector: (kysely) => new SqliteIntrospector(kysely),
    createQueryCompiler: () => new SqliteQueryCompiler(),
  },
});

describe('query template', () => {
  it('builds the query once, on first use, and binds values by name in the order the SQL needs them', () => {
    let builds = 0;
    const template = QueryTemplate.build(['sessionId', 'seq'], (p) => {
      builds++;
      return db.selectFrom('messages').selectAll().where('seq', '>', p('seq')).where('session_id', '=', p('sessionId'));
    });
    expect(builds).toBe(0);

    const first = template.bind({ sessionId: 's1', seq: 4 });
    const second = template.bind({ sessionId: 's2', seq: 9 });

    expect(builds).toBe(1);
    expect(first.sql).toBe('select * from "messages" where "seq" > ? and "session_id" = ?');
    expect(first.parameters).toEqual([4, 's1']);
    expect(second.parameters).toEqual([9, 's2']);
  });

  it('says which value never reached the SQL, or which parameter is not a named value, when first used', () => {
    const unused = QueryTemplate.build(['sessionId', 'limit'], (p) => db.selectFrom('messages').selectAll().where('session_id', '=', p('sessionId')));
    expect(() => unused.bind({ sessionId: 's', limit: 1 })).toThrow('QueryTemplate: limit never reached the SQL of "select * from "messages" where "session_id" = ?"');

    const literal = QueryTemplate.build(['sessionId'], (p) => db.selectFrom('messages').selectAll().where('session_id', '=', p('sessionId')).where('seq', '>', 3));
    expect(() => literal.sql).toThrow(/parameter 2 of .* is not one of the named values; pass every value through param\(\)/);
  });
});
