using FreshchatStream.Producer.State;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace FreshchatStream.Tests.Unit.State;

public sealed class InMemoryCursorStoreTests
{
    private static readonly DateTimeOffset T0 = new(2025, 7, 3, 0, 0, 0, TimeSpan.Zero);

    [Fact]
    public async Task CommitAsync_EveryKindOfChange_IsReadBack()
    {
        var store = new InMemoryCursorStore();
        var commit = new StateCommit()
            .SetCursor("users", ResourceCursor.Initial().Advance(T0, ["u1"]))
            .SetFingerprint("users", "u1", "f1")
            .SetFingerprint("users", "u2", "f2")
            .SetConversationState("c1", new ConversationPollState { Messages = ResourceCursor.Initial().Advance(T0, ["m1"]) })
            .ScheduleConversation("c1", T0)
            .ScheduleConversation("c2", T0.AddMinutes(5))
            .SetMeta("users:updated_from", "ignored");

        await store.CommitAsync(commit);
        await store.CommitAsync(new StateCommit().RemoveFingerprint("users", "u2").UnscheduleConversation("c2"));

        Assert.Equal(T0, (await store.LoadCursorsAsync())["users"].HighWaterMark);
        Assert.Equal(new Dictionary<string, string> { ["u1"] = "f1" }, await store.GetFingerprintsAsync("users", ["u1", "u2", "u3"]));
        Assert.Equal(["m1"], (await store.GetConversationStatesAsync(["c1", "c9"]))["c1"].Messages.IdsAtHighWaterMark);
        Assert.Equal(["c1"], await store.GetDueConversationsAsync(T0.AddHours(1), 10));
        Assert.Equal("ignored", (await store.LoadMetaAsync())["users:updated_from"]);
        Assert.Equal(2, store.Commits);
    }

    [Fact]
    public async Task ResetAsync_Resource_ClearsCursorFingerprintsAndScopedMeta()
    {
        var store = new InMemoryCursorStore();
        await store.CommitAsync(new StateCommit()
            .SetCursor("users", ResourceCursor.Initial(T0)).SetCursor("agents", ResourceCursor.Initial(T0))
            .SetFingerprint("users", "u1", "f").SetMeta("users:probe", "x").SetMeta("agents:probe", "y"));

        await store.ResetAsync("users");

        Assert.Equal(["agents"], (await store.LoadCursorsAsync()).Keys);
        Assert.Empty(await store.GetFingerprintsAsync("users", ["u1"]));
        Assert.Equal(["agents:probe"], (await store.LoadMetaAsync()).Keys);
    }

    [Fact]
    public async Task EnsureStateMarkerAsync_SecondCall_ReportsExistingState()
    {
        var store = new InMemoryCursorStore();

        Assert.True((await store.EnsureStateMarkerAsync(T0)).CreatedNow);
        var again = await store.EnsureStateMarkerAsync(T0.AddDays(1));
        Assert.False(again.CreatedNow);
        Assert.Equal(T0, again.CreatedAt);
    }

    [Theory]
    [InlineData(null, "Redis:Configuration is required")]
    [InlineData("", "Redis:Configuration is required")]
    public void RedisOptions_MissingConfiguration_FailsNamingTheKey(string? configuration, string expected)
    {
        var builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings());
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?> { ["Redis:Configuration"] = configuration });
        builder.AddCursorStore();
        using var host = builder.Build();

        var e = Assert.Throws<OptionsValidationException>(() => host.Services.GetRequiredService<IOptions<RedisOptions>>().Value);
        Assert.Contains(expected, e.Message);
    }

    [Fact]
    public void RedisOptions_BadPrefix_FailsNamingTheKeyAndDefaultsApply()
    {
        var builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings());
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?> { ["Redis:Configuration"] = "localhost:6379,password=hunter2", ["Redis:KeyPrefix"] = "a b" });
        builder.AddCursorStore();
        using var host = builder.Build();

        var e = Assert.Throws<OptionsValidationException>(() => host.Services.GetRequiredService<IOptions<RedisOptions>>().Value);
        Assert.Contains("Redis:KeyPrefix", e.Message);
        Assert.DoesNotContain("hunter2", e.Message);
        Assert.Equal("freshchat-stream", new RedisOptions().KeyPrefix);
    }
}
