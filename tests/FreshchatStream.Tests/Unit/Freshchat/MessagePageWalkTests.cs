using System.Globalization;
using System.Net;
using System.Text.Json.Nodes;
using System.Web;
using FreshchatStream.Producer.Freshchat.Models;
using FreshchatStream.Producer.Freshchat.Pagination;

namespace FreshchatStream.Tests.Unit.Freshchat;

/// <summary>
/// The messages paging rule against a model server that cuts pages anywhere (also inside a group of messages
/// sharing one millisecond) and reads <c>from_time</c> inclusively or exclusively: every message exactly once.
/// </summary>
[Trait("Issue", "#17")]
public sealed class MessagePageWalkTests
{
    private static readonly DateTimeOffset T0 = new(2026, 3, 1, 12, 0, 0, TimeSpan.Zero);

    [Fact]
    public void NextFromTime_AfterNewMessages_IsOneMillisecondAfterTheOldest()
    {
        var walk = new MessagePageWalk();

        Assert.Equal(T0.AddMilliseconds(1), walk.NextFromTime(T0, progressed: true));
        Assert.False(walk.Crowded);
    }

    [Fact]
    public void NextFromTime_PageWithNothingNew_StartsAtTheOldest()
    {
        var walk = new MessagePageWalk();
        walk.NextFromTime(T0.AddSeconds(5), progressed: true);

        Assert.Equal(T0, walk.NextFromTime(T0, progressed: false));
        Assert.False(walk.Crowded);
    }

    [Fact]
    public void NextFromTime_SameRequestAgain_StepsOneMillisecondOlderAndReportsCrowding()
    {
        var walk = new MessagePageWalk();
        Assert.Equal(T0.AddMilliseconds(1), walk.NextFromTime(T0, progressed: true));

        // the whole next page was again at T0: asking for T0 + 1 ms once more would return it forever
        Assert.Equal(T0, walk.NextFromTime(T0, progressed: true));
        Assert.True(walk.Crowded);
    }

    [Fact]
    public void FirstRead_RepeatedId_IsFalse()
    {
        var walk = new MessagePageWalk();

        Assert.True(walk.FirstRead("m1"));
        Assert.False(walk.FirstRead("m1"));
        Assert.Equal(1, walk.Read);
    }

    [Theory]
    [InlineData("/v2/conversations/c1/messages?page=1&items_per_page=50&from_time=2026-01-01T00:00:01.000Z", "/v2/conversations/c1/messages?page=1&items_per_page=50&from_time=2026-03-01T12%3A00%3A00.001Z")]
    [InlineData("/v2/conversations/c1/messages?from_time=x&page=1", "/v2/conversations/c1/messages?from_time=2026-03-01T12%3A00%3A00.001Z&page=1")]
    public void MessageLinks_WithFromTime_ReplacesOnlyFromTime(string href, string expected)
    {
        Assert.True(MessageLinks.HasFromTime(href));
        Assert.Equal(expected, MessageLinks.WithFromTime(href, "2026-03-01T12:00:00.001Z"));
    }

    [Fact]
    public void MessageLinks_PageNumberLink_HasNoFromTime()
    {
        Assert.False(MessageLinks.HasFromTime("/v2/conversations/c1/messages?page=2&items_per_page=50"));
    }

    public static TheoryData<bool, int, int> Layouts()
    {
        var data = new TheoryData<bool, int, int>();
        foreach (var inclusive in new[] { true, false })
        {
            foreach (var (count, run) in new[] { (130, 3), (130, 1), (101, 7), (150, 10), (60, 49) })
            {
                data.Add(inclusive, count, run);
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Layouts))]
    public async Task ListMessages_BoundaryMillisecondsSplitAcrossPages_EveryMessageExactlyOnce(bool inclusive, int count, int run)
    {
        var server = new MessageServer(inclusive, Timeline(count, run));
        using var freshchat = new ScriptedFreshchat((request, _) => server.Answer(request));

        var ids = await freshchat.Client.ListMessagesAsync("c1").Select(m => m.Id).ToListAsync();

        Assert.Equal(count, ids.Count);
        Assert.Equal(server.AllIds.Order(StringComparer.Ordinal), ids.Order(StringComparer.Ordinal));
        Assert.DoesNotContain(freshchat.Logs.GetSnapshot(), l => l.Message.Contains("more than a page", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task ListMessages_FromACursorInsideATieGroup_YieldsOnlyTheMessagesNotCapturedBefore(bool inclusive)
    {
        // 120 old messages in runs of 3, then the cursor: the last captured time and the ids captured at it.
        var timeline = Timeline(120, 3);
        var last = timeline[^1].Time;
        var capturedAtLast = timeline.Where(m => m.Time == last).Select(m => m.Id).Take(2).ToHashSet(StringComparer.Ordinal);
        var expected = timeline.Where(m => m.Time == last && !capturedAtLast.Contains(m.Id)).Select(m => m.Id).ToList();
        // 70 new messages, the first ones sharing the cursor's millisecond too
        for (var i = 0; i < 70; i++)
        {
            var message = new Message($"n{i:D3}", i < 2 ? last : last.AddMilliseconds(10 + i / 4));
            timeline.Add(message);
            expected.Add(message.Id);
        }

        var server = new MessageServer(inclusive, timeline);
        using var freshchat = new ScriptedFreshchat((request, _) => server.Answer(request));

        var ids = await freshchat.Client.ListMessagesAsync("c1", new MessageBoundary(last, capturedAtLast)).Select(m => m.Id).ToListAsync();

        Assert.Equal(expected.Order(StringComparer.Ordinal), ids.Order(StringComparer.Ordinal));
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task ListMessages_NothingNewSinceTheCursor_IsOneRequest(bool inclusive)
    {
        var timeline = Timeline(130, 3);
        var last = timeline[^1].Time;
        var server = new MessageServer(inclusive, timeline);
        using var freshchat = new ScriptedFreshchat((request, _) => server.Answer(request));
        var atLast = timeline.Where(m => m.Time == last).Select(m => m.Id).ToHashSet(StringComparer.Ordinal);

        var ids = await freshchat.Client.ListMessagesAsync("c1", new MessageBoundary(last, atLast)).ToListAsync();

        Assert.Empty(ids);
        Assert.Equal(1, freshchat.Handler.Calls);
    }

    [Fact]
    public async Task ListMessages_MoreThanAPageInOneMillisecond_EndsAndWarns()
    {
        var timeline = Timeline(20, 1);
        timeline.AddRange(Enumerable.Range(0, 80).Select(i => new Message($"x{i:D3}", T0.AddMinutes(5))));
        var server = new MessageServer(inclusive: true, timeline);
        using var freshchat = new ScriptedFreshchat((request, _) => server.Answer(request));

        var ids = await freshchat.Client.ListMessagesAsync("c1").Select(m => m.Id).ToListAsync();

        Assert.Equal(ids.Count, ids.Distinct(StringComparer.Ordinal).Count());
        Assert.True(freshchat.Handler.Calls < 20, $"{freshchat.Handler.Calls} requests");
        Assert.Single(freshchat.Logs.GetSnapshot(), l => l.Message.Contains("more than a page of messages", StringComparison.Ordinal));
    }

    private static List<Message> Timeline(int count, int run) =>
        [.. Enumerable.Range(0, count).Select(k => new Message($"m{k:D4}", T0.AddSeconds(k - k % run)))];

    private sealed record Message(string Id, DateTimeOffset Time);

    /// <summary>
    /// Newest first, 50 a page cut at exactly 50 (ties in a fixed order), a link carrying the page's oldest time as
    /// <c>from_time</c>; <c>from_time</c> keeps messages at or before it (inclusive) or strictly before it (exclusive).
    /// </summary>
    private sealed class MessageServer(bool inclusive, IReadOnlyList<Message> timeline)
    {
        private const int PageSize = 50;

        public IEnumerable<string> AllIds => timeline.Select(m => m.Id);

        public HttpResponseMessage Answer(HttpRequestMessage request)
        {
            var query = HttpUtility.ParseQueryString(request.RequestUri!.Query);
            var size = Math.Min(PageSize, int.Parse(query["items_per_page"] ?? "50", CultureInfo.InvariantCulture));
            var newestFirst = timeline.Select((m, i) => (m, i)).OrderByDescending(x => x.m.Time).ThenByDescending(x => x.i).Select(x => x.m);
            if (query["from_time"] is { } from)
            {
                var time = DateTimeOffset.Parse(from, CultureInfo.InvariantCulture);
                newestFirst = newestFirst.Where(m => inclusive ? m.Time <= time : m.Time < time);
            }

            var remaining = newestFirst.ToList();
            var page = remaining.Take(size).ToList();
            var body = new JsonObject
            {
                ["messages"] = new JsonArray([.. page.Select(m => (JsonNode)new JsonObject
                {
                    ["id"] = m.Id, ["created_time"] = m.Time.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture),
                })]),
            };
            if (remaining.Count > page.Count)
            {
                var oldest = page[^1].Time.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);
                body["link"] = new JsonObject { ["href"] = $"/v2/conversations/c1/messages?page=1&items_per_page={size}&from_time={oldest}" };
            }

            return ScriptedFreshchat.Json(HttpStatusCode.OK, body.ToJsonString());
        }
    }
}
