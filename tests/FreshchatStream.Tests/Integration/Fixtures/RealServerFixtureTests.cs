using FreshchatStream.Tests.Fixtures;
using Npgsql;
using StackExchange.Redis;

namespace FreshchatStream.Tests.Integration.Fixtures;

[Collection(RedisCollection.Name)]
[Trait("Category", "Integration")]
public sealed class RedisServerFixtureTests(RedisServerFixture redis)
{
    [Fact]
    public async Task Server_AfterStart_StoresAndReadsKeys()
    {
        var key = $"{RedisServerFixture.NewKeyPrefix()}:probe";
        var db = redis.Connection.GetDatabase();

        await db.StringSetAsync(key, "value");

        Assert.Equal("value", (string?)await db.StringGetAsync(key));
    }

    [Fact]
    public void NewKeyPrefix_TwoCalls_Differ()
    {
        Assert.NotEqual(RedisServerFixture.NewKeyPrefix(), RedisServerFixture.NewKeyPrefix());
    }
}

[Collection(PostgresCollection.Name)]
[Trait("Category", "Integration")]
public sealed class PostgresServerFixtureTests(PostgresServerFixture postgres)
{
    [Fact]
    public async Task CreateDatabase_EachCall_GivesAnIsolatedWritableDatabase()
    {
        var first = await postgres.CreateDatabaseAsync();
        var second = await postgres.CreateDatabaseAsync();

        await using (var connection = new NpgsqlConnection(first))
        {
            await connection.OpenAsync();
            await using var create = new NpgsqlCommand("CREATE TABLE t (id int); INSERT INTO t VALUES (1);", connection);
            await create.ExecuteNonQueryAsync();
        }

        await using var other = new NpgsqlConnection(second);
        await other.OpenAsync();
        await using var exists = new NpgsqlCommand("SELECT to_regclass('public.t') IS NULL", other);
        Assert.True((bool)(await exists.ExecuteScalarAsync())!);
    }
}
