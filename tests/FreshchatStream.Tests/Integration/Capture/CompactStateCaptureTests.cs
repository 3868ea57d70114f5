using FreshchatStream.Bench;
using FreshchatStream.Producer.Capture;
using FreshchatStream.Producer.Events;
using FreshchatStream.Producer.Publishing;
using FreshchatStream.Producer.State;
using FreshchatStream.Sandbox.Freshchat;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace FreshchatStream.Tests.Integration.Capture;

/// <summary>
/// The compact state layout and the conversation lifecycle end to end (real Redis, emulator, mock Kafka): an
/// account captured under the earlier layout is upgraded without re-publishing anything, and a retired
/// conversation comes back through its user's reconciliation.
/// </summary>
[Trait("Category", "Integration")]
[Trait("Issue", "#21")]
public sealed class CompactStateCaptureTests(CaptureStackFixture stack) : IClassFixture<CaptureStackFixture>
{
    private static readonly FreshchatEmulatorOptions Conversational = CaptureScenario.SmallAccount with
    {
        Users = 20, ConversationsPerUser = 1.0, MessagesPerConversation = 4,
    };

    private async Task<CaptureScenario> StartAsync()
    {
        var scenario = await CaptureScenario.StartAsync(stack, Conversational with { Behaviour = new(), Faults = new() });
        scenario.Settings["Capture:PollInterval"] = "00:00:01";
        // The generated history is quiet (hours old), so a first-seen conversation would wait up to OpenMaxInterval
        // (ConversationSchedule.FirstSeen); the rounds below observe the very next cycle, so that is one poll interval.
        scenario.Settings["Capture:Conversations:OpenMaxInterval"] = "00:00:01";
        scenario.Settings["Capture:Reports:SettleDelay"] = "00:00:00";
        scenario.Settings["Capture:Reports:MinWindow"] = "00:00:00";
        return scenario;
    }

    private RedisCursorStore Store(CaptureScenario scenario) =>
        new(Options.Create(new RedisOptions { Configuration = stack.Redis.Configuration, KeyPrefix = scenario.KeyPrefix }), NullLogger<RedisCursorStore>.Instance);

    [Theory]
    [InlineData(1)] // the release before compact state
    [InlineData(2)] // main before conversation fingerprints were folded into their state entries
    public async Task RunOnce_StateInAnEarlierFormat_IsUpgradedWithoutRepublishingAndCursorsKeepTheirPosition(int format)
    {
        await using var scenario = await StartAsync();
        // Messages are read at every poll, so a message cursor that lost its position would re-publish them.
        scenario.Settings["Capture:Conversations:MessageRecheckInterval"] = "00:00:00";
        var data = scenario.Freshchat.Data;
        Assert.Equal(0, (await scenario.RunAsync("run", "--once")).ExitCode);
        var users = scenario.Read(CaptureCatalogue.UsersTopic);
        var conversationRecords = scenario.Read(CaptureCatalogue.ConversationsTopic);
        var messages = scenario.Read(CaptureCatalogue.MessagesTopic);
        var full = users.Concat(conversationRecords).Select(r => r.Raw).OfType<System.Text.Json.Nodes.JsonNode>().Select(Fingerprint.Compute).Distinct().ToList();
        var counts = Count(scenario);
        var conversations = data.EnumerateConversationIds().ToList();
        await using var store = Store(scenario);
        var positions = (await store.GetConversationStatesAsync(conversations)).ToDictionary(s => s.Key, s => s.Value.Messages);
        Assert.Equal(conversations.Count, positions.Count);

        // Today's state, as an earlier format wrote it. Format 1: the release before compact state (users' and
        // conversations' fingerprints in full, as text; the other hashes stay compact, as after an interrupted
        // upgrade); every conversation due now. Format 2: conversation fingerprints in fp:conversations, beside the states.
        var db = stack.Redis.Connection.GetDatabase();
        var user = (string)data.EnumerateUsers().First()["id"]!;
        if (format == 1)
        {
            await LegacyStateLayout.DowngradeAsync(db, store.Keys, ["users", "conversations"], prefix => full.Single(f => f.StartsWith(prefix, StringComparison.Ordinal)));
            Assert.Equal(64, ((string?)await db.HashGetAsync(store.Keys.Fingerprints("users"), user))?.Length);
        }
        else
        {
            await LegacyStateLayout.UnfoldAsync(db, store.Keys);
            Assert.Equal(conversations.Count, await db.HashLengthAsync(store.Keys.Fingerprints("conversations")));
        }

        var changed = conversations[0];
        var added = data.AddMessage(changed, "after the upgrade");
        await scenario.WaitUntilDueAsync([changed]); // format 2 keeps the schedule the first run wrote

        var result = await scenario.RunAsync("run", "--once");

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Equal([added], scenario.ReadNew(CaptureCatalogue.MessagesTopic, messages).Select(r => r.Id));
        Assert.Equal([(changed, "u")], scenario.ReadNew(CaptureCatalogue.ConversationsTopic, conversationRecords).Select(r => (r.Id, r.Op!)));
        var grown = Count(scenario).Where(c => c.Value != counts[c.Key]).Select(c => c.Key).Order().ToList();
        Assert.Equal(["conversations", "heartbeat", "messages"], grown); // a heartbeat per cycle; nothing else re-published

        Assert.Equal("3", (string?)await db.HashGetAsync(store.Keys.Meta, RedisKeys.StateFormatField));
        Assert.False(await db.KeyExistsAsync(store.Keys.Fingerprints("conversations")));
        Assert.Equal(13, ((byte[]?)await db.HashGetAsync(store.Keys.Fingerprints("users"), RedisIdEncoding.Encode(user)))?.Length);
        var after = await store.GetConversationStatesAsync(conversations);
        foreach (var id in conversations.Where(id => id != changed))
        {
            Assert.Equal(positions[id].HighWaterMark, after[id].Messages.HighWaterMark);
            Assert.Equal(positions[id].IdsAtHighWaterMark, after[id].Messages.IdsAtHighWaterMark);
        }
    }

    /// <summary>Records per topic, from the partitions' high watermarks (reading every topic would take seconds each).</summary>
    private Dictionary<string, long> Count(CaptureScenario scenario)
    {
        using var consumer = new Confluent.Kafka.ConsumerBuilder<byte[], byte[]>(new Confluent.Kafka.ConsumerConfig
        {
            BootstrapServers = stack.Kafka.BootstrapServers, GroupId = $"count-{Guid.NewGuid():N}",
        }).Build();
        return CaptureCatalogue.Topics.ToDictionary(r => r.Resource, r => Enumerable.Range(0, scenario.Partitions)
            .Sum(p => consumer.QueryWatermarkOffsets(new Confluent.Kafka.TopicPartition(scenario.Topics.For(r), p), TimeSpan.FromSeconds(10)).High.Value));
    }

    [Fact]
    public async Task RunOnce_RetiredConversationReopened_ComesBackThroughItsUsersReconciliation()
    {
        await using var scenario = await StartAsync();
        scenario.Settings["Capture:Conversations:ResolvedInterval"] = "00:00:00";
        scenario.Settings["Capture:Conversations:ResolvedMaxInterval"] = "00:00:01";
        scenario.Settings["Capture:Conversations:RetainResolved"] = "00:00:01";
        var data = scenario.Freshchat.Data;
        var quietSince = DateTimeOffset.UtcNow.AddMinutes(-1);
        var retired = data.EnumerateConversationIds().First(id => data.GetConversation(id) is { } c && (string?)c["status"] == "resolved"
            && c["updated_time"] is { } updated && DateTimeOffset.Parse((string)updated!, System.Globalization.CultureInfo.InvariantCulture) < quietSince);
        var owner = (string)data.GetConversation(retired)!["user_id"]!;
        Assert.Equal(0, (await scenario.RunAsync("run", "--once")).ExitCode);
        await using var store = Store(scenario);
        Assert.True((await store.GetConversationStatesAsync([retired]))[retired].Retired);
        Assert.DoesNotContain(retired, await store.GetDueConversationsAsync(DateTimeOffset.MaxValue, int.MaxValue));

        // Reopened with a new message and no webhook: nothing names it, so a cycle does not see it (the trade-off).
        Assert.True(data.ReopenConversation(retired));
        var message = data.AddMessage(retired, "back again");
        var conversationsBefore = scenario.Read(CaptureCatalogue.ConversationsTopic);
        var messagesBefore = scenario.Read(CaptureCatalogue.MessagesTopic);
        Assert.Equal(0, (await scenario.RunAsync("run", "--once")).ExitCode);
        Assert.DoesNotContain(retired, scenario.ReadNew(CaptureCatalogue.ConversationsTopic, conversationsBefore).Select(r => r.Id));

        // Its user changes: the users' reconciliation queues the user, its conversation list names the retired one.
        Assert.True(data.UpdateUser(owner, firstName: "Reconciled"));
        Assert.Equal(0, (await scenario.RunAsync("run", "--once")).ExitCode);

        var back = Assert.Single(scenario.ReadNew(CaptureCatalogue.ConversationsTopic, conversationsBefore), r => r.Id == retired);
        Assert.Equal(("u", "reopened"), (back.Op, (string?)back.Raw!["status"]));
        Assert.Equal([message], scenario.ReadNew(CaptureCatalogue.MessagesTopic, messagesBefore).Select(r => r.Id));
        Assert.False((await store.GetConversationStatesAsync([retired]))[retired].Retired);
        Assert.Contains(retired, await store.GetDueConversationsAsync(DateTimeOffset.MaxValue, int.MaxValue));
    }
}
