using System.Globalization;
using System.Text.Json.Nodes;

namespace FreshchatStream.Sandbox.Freshchat.Generation;

/// <summary>
/// Renders message k of generated conversation j: who sent it (user, agent, system), its kind of
/// message_parts (text, image, file, url_button, quick_reply_button, collection) and its numeric-string ids.
/// </summary>
internal sealed class MessageFactory(GeneratedWorld world, UserFactory users, ConversationFactory conversations, CatalogueFactory catalogue)
{
    private static readonly string[] UserSources = ["web", "mobile", "web", "fb_messenger", "api", "web"];

    public string Id(long key) => world.Ids.Encode(HashStream.MessageId, key);

    public JsonObject Build(int j, int k)
    {
        var key = GeneratedWorld.MessageKey(j, k);
        var h = world.Hash(HashStream.Message, key, 1);
        var count = world.MessageCount(j);
        var status = world.ConversationStatus(j);
        var owner = world.ConversationOwner(j);
        var shared = world.SharedWith(j);
        var agent = world.AssignedAgent(j);
        var channel = world.ConversationChannel(j);

        string actorType;
        var messageType = "normal";
        if (status == "resolved" && k == count - 1 && k > 0) (actorType, messageType) = ("system", "system");
        else if (k == 0 || agent < 0) actorType = "user";
        else actorType = DeterministicHash.Percent(h, 45) ? "agent" : "user";
        if (actorType == "agent" && DeterministicHash.Percent(h >> 7, 6)) messageType = "private";

        var userIndex = shared >= 0 && actorType == "user" && DeterministicHash.Percent(h >> 11, 30) ? shared : owner;
        string actorId, orgActorId;
        switch (actorType)
        {
            case "agent":
                actorId = catalogue.AgentId(agent);
                orgActorId = CatalogueFactory.AgentOrgId(agent);
                break;
            case "system":
                actorId = world.AppId;
                orgActorId = "0";
                break;
            default:
                actorId = users.Id(userIndex);
                orgActorId = UserFactory.OrgContactId(userIndex);
                break;
        }

        var message = new JsonObject
        {
            ["id"] = Id(key),
            ["created_time"] = Timestamps.Format(world.MessageMs(j, k)),
            ["app_id"] = world.AppId,
            ["conversation_id"] = conversations.Id(j),
            ["channel_id"] = catalogue.ChannelId(channel),
            ["actor_type"] = actorType,
            ["actor_id"] = actorId,
            ["org_actor_id"] = orgActorId,
            ["user_id"] = users.Id(owner),
            ["message_type"] = messageType,
            ["message_parts"] = Parts(actorType, h >> 16),
            ["message_source"] = actorType switch { "user" => DeterministicHash.Pick(h >> 20, UserSources), "system" => "system", _ => "web" },
            ["interaction_id"] = conversations.InteractionId(j, world.ConversationCreatedMs(j)),
            ["freshchat_conversation_id"] = ConversationFactory.InternalIdString(j),
            ["freshchat_channel_id"] = CatalogueFactory.ChannelInternalId(channel).ToString(CultureInfo.InvariantCulture),
        };
        if (actorType == "system") message["meta_data"] = new JsonObject { ["isResolved"] = true };
        if (actorType == "agent" && DeterministicHash.Percent(h >> 24, 20) && k > 0)
            message["in_reply_to"] = new JsonObject { ["message_id"] = Id(GeneratedWorld.MessageKey(j, k - 1)) };
        if (actorType == "agent" && DeterministicHash.Percent(h >> 28, 10))
            message["reply_parts"] = new JsonArray(new JsonObject { ["collection"] = new JsonObject { ["sub_parts"] = QuickReplies(h >> 32) } });
        return message;
    }

    private static JsonArray Parts(string actorType, ulong h)
    {
        if (actorType == "system") return [Text(DeterministicHash.Pick(h, TextCorpus.SystemLines))];
        var p = DeterministicHash.Below(h, 100);
        var lines = actorType == "agent" ? TextCorpus.AgentLines : TextCorpus.CustomerLines;
        var text = DeterministicHash.Percent(h >> 8, 3) ? TextCorpus.LongText(h) : DeterministicHash.Pick(h >> 12, lines);
        return p switch
        {
            < 70 => [Text(text)],
            < 78 => [new JsonObject { ["image"] = new JsonObject { ["url"] = $"https://cdn.example.com/img/{h % 100_000}.png" } }, Text(text)],
            < 84 => [File(h >> 16)],
            < 89 => [Text(text), new JsonObject { ["url_button"] = new JsonObject { ["url"] = "https://help.example.com/articles/42", ["label"] = "Read the guide 📖", ["target"] = (h & 1) == 0 ? "_blank" : "_self" } }],
            < 94 => [Text(text), .. QuickReplies(h >> 20).Select(n => n!.DeepClone())],
            _ => [new JsonObject { ["collection"] = new JsonObject { ["sub_parts"] = new JsonArray(Text(text), File(h >> 24)) } }],
        };
    }

    private static JsonObject Text(string content) => new() { ["text"] = new JsonObject { ["content"] = content } };

    private static JsonObject File(ulong h)
    {
        var f = DeterministicHash.Below(h, TextCorpus.FileNames.Length);
        return new JsonObject
        {
            ["file"] = new JsonObject
            {
                ["name"] = TextCorpus.FileNames[f],
                ["url"] = $"https://cdn.example.com/files/{h % 1_000_000}/{Uri.EscapeDataString(TextCorpus.FileNames[f])}",
                ["content_type"] = TextCorpus.ContentTypes[f],
                ["file_size_in_bytes"] = 1_000 + (long)(h % 5_000_000),
            },
        };
    }

    private static JsonArray QuickReplies(ulong h)
    {
        var array = new JsonArray();
        var n = 2 + DeterministicHash.Below(h, 3);
        for (var i = 0; i < n; i++)
        {
            var label = TextCorpus.QuickReplies[(int)((h >> (i * 4)) % (ulong)TextCorpus.QuickReplies.Length)];
            var button = new JsonObject { ["label"] = label };
            if (i % 2 == 0) button["custom_reply_text"] = label;
            if (i == 1) button["payload"] = $"qr-{i}";
            array.Add(new JsonObject { ["quick_reply_button"] = button });
        }
        return array;
    }
}
