using FreshchatStream.Producer.Capture;
using FreshchatStream.Producer.Publishing.Kafka;
using Microsoft.Extensions.Options;

namespace FreshchatStream.Tests.Unit.Publishing.Kafka;

[Trait("Issue", "#19")]
public sealed class SharedTopicHistoryTests
{
    private sealed class ScriptedScan(params string?[] sources) : IPublishedRecordScan
    {
        public List<IReadOnlyCollection<string>> Scanned { get; } = [];

        public int Read { get; private set; }

        public IEnumerable<string?> Sources(IReadOnlyCollection<string> topics)
        {
            Scanned.Add(topics);
            foreach (var source in sources)
            {
                Read++;
                yield return source;
            }
        }
    }

    private static SharedTopicHistory History(IPublishedRecordScan scan, string account) =>
        new(scan, new CaptureAccount(account), Options.Create(new KafkaOptions { TopicPrefix = "shared" }));

    [Fact]
    public void CountCaptured_OtherAccountsRecords_DoNotCount()
    {
        var scan = new ScriptedScan("freshchat-stream/globex", "freshchat-stream/globex", null);

        Assert.Equal(0, History(scan, "acme").CountCaptured());
    }

    [Fact]
    public void CountCaptured_OwnRecordAmongOthers_Counts()
    {
        var scan = new ScriptedScan("freshchat-stream/globex", "freshchat-stream/acme", "freshchat-stream/globex");

        Assert.Equal(1, History(scan, "acme").CountCaptured());
        Assert.Equal(1, History(new ScriptedScan("freshchat-stream/globex", "freshchat-stream/acme"), "globex").CountCaptured());
    }

    [Fact]
    public void CountCaptured_AccountWhoseNameIsAPrefixOfAnother_IsNotConfused()
    {
        Assert.Equal(0, History(new ScriptedScan("freshchat-stream/acme-eu"), "acme").CountCaptured());
    }

    [Fact]
    public void CountCaptured_StopsAtTheFirstOwnRecord_AndSkipsTheHeartbeatTopic()
    {
        var scan = new ScriptedScan("freshchat-stream/acme", "freshchat-stream/acme", "freshchat-stream/acme");

        History(scan, "acme").CountCaptured();

        Assert.Equal(1, scan.Read);
        Assert.Contains("shared.users", scan.Scanned[0]);
        Assert.DoesNotContain("shared.heartbeat", scan.Scanned[0]);
    }
}
