using System.Collections.Concurrent;
using System.Text.Json.Nodes;
using FreshchatStream.Sandbox.Freshchat.Generation;

namespace FreshchatStream.Sandbox.Freshchat.Endpoints;

/// <summary>
/// WhatsApp outbound messages sent through POST /outbound-messages/whatsapp. Each read advances a message
/// Accepted → Sent → Delivered; recipients whose number ends in 0000 end Failed, to exercise failure fields.
/// </summary>
internal sealed class OutboundMessageStore(GeneratedWorld world, TimeProvider time)
{
    private static readonly string[] Progression = ["Accepted", "Sent", "Delivered"];
    private readonly ConcurrentQueue<OutboundMessage> _messages = new();
    private int _next;

    public string Send(string fromPhone, IReadOnlyList<string> toPhones, JsonObject messageTemplate)
    {
        var requestId = world.Ids.Encode(HashStream.OutboundId, Interlocked.Increment(ref _next));
        var now = time.GetUtcNow().ToUnixTimeSeconds();
        foreach (var to in toPhones)
            _messages.Enqueue(new OutboundMessage(world.Ids.Encode(HashStream.OutboundId, 1_000_000 + Interlocked.Increment(ref _next)), requestId, fromPhone, to, (JsonObject)messageTemplate.DeepClone(), now));
        return requestId;
    }

    public IReadOnlyList<JsonObject> Read(string? requestId) =>
        [.. _messages.Where(m => requestId is null || m.RequestId == requestId).Select(Render)];

    private static JsonObject Render(OutboundMessage m)
    {
        var reads = Interlocked.Increment(ref m.Reads);
        var failed = m.To.EndsWith("0000", StringComparison.Ordinal) && reads > 1;
        var message = new JsonObject
        {
            ["message_id"] = m.MessageId,
            ["from"] = new JsonObject { ["phone_number"] = m.From },
            ["provider"] = "whatsapp",
            ["to"] = new JsonObject { ["phone_number"] = m.To },
            ["data"] = new JsonObject { ["message_template"] = m.Template.DeepClone() },
            ["request_id"] = m.RequestId,
            ["status"] = failed ? "Failed" : Progression[Math.Min(reads - 1, Progression.Length - 1)],
            ["created_on"] = m.CreatedOnSeconds,
        };
        if (failed)
        {
            message["failure_code"] = "131026";
            message["failure_reason"] = "Message undeliverable";
        }
        return message;
    }

    private sealed class OutboundMessage(string messageId, string requestId, string from, string to, JsonObject template, long createdOnSeconds)
    {
        public string MessageId { get; } = messageId;
        public string RequestId { get; } = requestId;
        public string From { get; } = from;
        public string To { get; } = to;
        public JsonObject Template { get; } = template;
        public long CreatedOnSeconds { get; } = createdOnSeconds;
        public int Reads;
    }
}
