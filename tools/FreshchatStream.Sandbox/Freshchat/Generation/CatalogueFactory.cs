using System.Text.Json.Nodes;

namespace FreshchatStream.Sandbox.Freshchat.Generation;

/// <summary>
/// Builds the small, fully materialised catalogues (agents, groups, channels, roles, agent statuses,
/// conversation fields, account configuration) once at start; they are mutated in place afterwards.
/// </summary>
internal sealed class CatalogueFactory(GeneratedWorld world)
{
    private static readonly string[] StatusNames = ["Available", "Tea break ☕", "In a meeting", "Lunch 🍜", "Offline"];
    private static readonly string[] GroupNames = ["Support 🛟", "Billing", "Ventes & Partenariats", "VIP 🌟", "Tier 2", "Nacht-Schicht"];
    private static readonly string[] ChannelNames = ["Inbox", "Sales 💼", "Facturation", "WhatsApp", "Mobile app", "Beta 🧪"];
    private static readonly (string Id, string Name, bool Custom)[] BuiltInRoles =
        [("ACCOUNT_ADMIN", "Account Admin", false), ("ADMIN", "Admin", false), ("SUPERVISOR", "Supervisor", false), ("AGENT", "Agent", false)];

    public string AgentId(int i) => world.Ids.Encode(HashStream.AgentId, i);
    public string GroupId(int g) => world.Ids.Encode(HashStream.GroupId, g);
    public string ChannelId(int c) => world.Ids.Encode(HashStream.ChannelId, c);
    public string StatusId(int s) => world.Ids.Encode(HashStream.StatusId, s);
    public static string AgentOrgId(int i) => (7_000_000_000L + i * 37L).ToString(System.Globalization.CultureInfo.InvariantCulture);
    public static long ChannelInternalId(int c) => 300_000 + c;

    public List<JsonObject> AgentStatuses() =>
        [.. StatusNames.Select((name, s) => new JsonObject { ["id"] = StatusId(s), ["name"] = name })];

    public List<JsonObject> Roles()
    {
        var roles = BuiltInRoles.Select(r => new JsonObject
        {
            ["id"] = r.Id, ["name"] = r.Name, ["is_custom_role"] = r.Custom, ["description"] = $"Built-in {r.Name.ToLowerInvariant()} role",
        }).ToList();
        roles.Add(new JsonObject
        {
            ["id"] = world.Ids.Encode(HashStream.RoleId, 0), ["name"] = "Billing spécialiste", ["is_custom_role"] = true,
            ["description"] = "Can see invoices 🧾",
        });
        return roles;
    }

    public List<JsonObject> Groups()
    {
        var list = new List<JsonObject>();
        for (var g = 0; g < world.GroupCount; g++)
        {
            var h = world.Hash(HashStream.Catalogue, g, 20);
            var group = new JsonObject
            {
                ["id"] = GroupId(g),
                ["name"] = GroupNames[g % GroupNames.Length] + (g >= GroupNames.Length ? $" {g}" : ""),
                ["description"] = g % 3 == 2 ? "" : $"Handles {GroupNames[g % GroupNames.Length]} conversations",
                ["routing_type"] = DeterministicHash.Pick(h, ["DISABLED", "INTELLIASSIGN", "OCR"]),
                ["routing_logic"] = DeterministicHash.Pick(h >> 8, ["DISABLED", "LOAD_BASED", "ROUND_ROBIN", "OCR"]),
                ["chat_group_id"] = (500_000 + g).ToString(System.Globalization.CultureInfo.InvariantCulture),
                ["agents"] = new JsonArray([.. Enumerable.Range(0, world.AgentCount).Where(a => AgentGroups(a).Contains(g)).Select(a => (JsonNode)AgentId(a))]),
            };
            if (g % 2 == 0) group["business_calendar_id"] = world.Ids.Encode(HashStream.Catalogue, 900 + g);
            list.Add(group);
        }
        return list;
    }

    public int[] AgentGroups(int a)
    {
        if (world.GroupCount == 0) return [];
        var first = a % world.GroupCount;
        var h = world.Hash(HashStream.Catalogue, a, 10);
        return DeterministicHash.Percent(h, 30) && world.GroupCount > 1 ? [first, (first + 1) % world.GroupCount] : [first];
    }

    public List<JsonObject> Agents(IReadOnlyList<JsonObject> roles, IReadOnlyList<JsonObject> statuses)
    {
        var list = new List<JsonObject>();
        for (var a = 0; a < world.AgentCount; a++)
        {
            var h = world.Hash(HashStream.Catalogue, a, 11);
            var first = DeterministicHash.Pick(h, TextCorpus.FirstNames);
            var last = DeterministicHash.Pick(h >> 12, TextCorpus.LastNames);
            var role = roles[a == 0 ? 0 : 1 + DeterministicHash.Below(h >> 20, roles.Count - 1)];
            var available = a % 3 != 2;
            var status = statuses[available ? 0 : 1 + DeterministicHash.Below(h >> 28, statuses.Count - 1)];
            var agent = new JsonObject
            {
                ["id"] = AgentId(a),
                ["email"] = $"agent{a}@support.example.com",
                ["first_name"] = first,
                ["last_name"] = last,
                ["groups"] = new JsonArray([.. AgentGroups(a).Select(g => (JsonNode)GroupId(g))]),
                ["role_id"] = role["id"]!.GetValue<string>(),
                ["role_name"] = role["name"]!.GetValue<string>(),
                ["is_deactivated"] = a % 11 == 10,
                ["is_deleted"] = false,
                ["availability_status"] = available ? "AVAILABLE" : "UNAVAILABLE",
                ["agent_status"] = status.DeepClone(),
                ["routing_type"] = DeterministicHash.Pick(h >> 34, ["OCR", "INTELLIASSIGN", "DISABLED"]),
                ["agent_capacity"] = 3 + DeterministicHash.Below(h >> 40, 8),
                ["login_status"] = available,
                ["locale"] = DeterministicHash.Pick(h >> 44, TextCorpus.Locales),
                ["timezone"] = DeterministicHash.Pick(h >> 48, TextCorpus.Timezones),
                ["license_type"] = a % 5 == 4 ? "occasional" : "fulltime",
                ["scope"] = DeterministicHash.Pick(h >> 52, ["Global", "Group", "Me"]),
                ["org_contact_id"] = AgentOrgId(a),
                ["freshid_uuid"] = world.Ids.Encode(HashStream.Catalogue, 1000 + a),
                ["freshchat_access"] = true,
                ["created_time"] = Timestamps.Format(world.HistoryStartMs - (world.AgentCount - a) * 86_400_000L),
            };
            if (a % 4 == 0) agent["avatar"] = new JsonObject { ["url"] = $"https://cdn.example.com/avatars/agent-{a}.png" };
            if (a % 3 == 0) agent["phone"] = $"+44 20 7946 {a:D4}";
            if (a % 5 == 1) agent["biography"] = "Loves tricky billing questions 🤓";
            if (a % 6 == 0) agent["skill_id"] = 4000 + a;
            list.Add(agent);
        }
        return list;
    }

    public List<JsonObject> Channels()
    {
        var list = new List<JsonObject>();
        for (var c = 0; c < world.ChannelCount; c++)
        {
            var name = ChannelNames[c % ChannelNames.Length] + (c >= ChannelNames.Length ? $" {c}" : "");
            var channel = new JsonObject
            {
                ["id"] = ChannelId(c),
                ["name"] = name,
                ["icon"] = new JsonObject { ["url"] = $"https://cdn.example.com/channels/{c}.svg" },
                ["enabled"] = c % 5 != 4,
                ["public"] = c % 2 == 0,
                ["tags"] = new JsonArray([.. (c % 2 == 0 ? new[] { "support", "général" } : new[] { "sales" }).Select(t => (JsonNode)t)]),
                ["welcome_message"] = new JsonObject
                {
                    ["message_parts"] = new JsonArray(new JsonObject { ["text"] = new JsonObject { ["content"] = $"Welcome to {name}! 👋" } }),
                    ["message_type"] = "normal",
                },
                ["locale"] = "en",
                ["updated_time"] = Timestamps.Format(world.HistoryStartMs + c * 3_600_000L),
                ["source"] = c % 3 == 1 ? "WHATSAPP" : "FRESHCHAT",
            };
            if (world.GroupCount > 0 && c % 2 == 1) channel["assign_to_group"] = GroupId(c % world.GroupCount);
            list.Add(channel);
        }
        return list;
    }

    public JsonArray ConversationFields() =>
    [
        Field(1, "priority", "Priority", "DROPDOWN", false, ["Low", "Medium", "High", "Urgent"]),
        Field(2, "cf_order_number", "Order number", "TEXT", true, []),
        Field(3, "cf_type", "Type de demande", "DROPDOWN", true, ["Question", "Incident", "Remboursement 💸"]),
        Field(4, "cf_vip", "VIP", "CHECKBOX", true, []),
    ];

    private JsonObject Field(int n, string name, string label, string type, bool custom, string[] choices)
    {
        var field = new JsonObject
        {
            ["id"] = world.Ids.Encode(HashStream.Catalogue, 2000 + n),
            ["name"] = name, ["label"] = label, ["type"] = type, ["custom"] = custom, ["editable"] = true,
            ["required"] = n == 1, ["position"] = n, ["column_name"] = custom ? $"cf_str{n:D2}" : name,
            ["choices"] = new JsonArray([.. choices.Select((v, i) => (JsonNode)new JsonObject { ["id"] = world.Ids.Encode(HashStream.Catalogue, 3000 + n * 10 + i), ["value"] = v })]),
            ["fields"] = new JsonArray(),
        };
        if (choices.Length > 0) field["default_value"] = choices[0];
        return field;
    }

    public JsonObject AccountConfiguration() => new()
    {
        ["account_id"] = 100_000 + world.Seed,
        ["app_id"] = world.AppId,
        ["organisation_id"] = 200_000 + world.Seed,
        ["organisation_domain"] = "sandbox-org.myfreshworks.com",
        ["account_domain"] = "sandbox.freshchat.com",
        ["bundle_id"] = 0,
        ["bundle_type"] = "freshchat",
        ["plan_type"] = "Growth",
        ["datacenter"] = "US",
        ["web_chat_id"] = world.Ids.Encode(HashStream.Catalogue, 4000),
    };
}
