using System.Globalization;
using System.Text.Json.Nodes;

namespace FreshchatStream.Sandbox.Freshchat.Generation;

/// <summary>Renders generated user i as the API returns it; optional keys are omitted, never null.</summary>
internal sealed class UserFactory(GeneratedWorld world)
{
    public string Id(int i) => world.Ids.Encode(HashStream.UserId, i);

    public static string OrgContactId(int i) => (900_000_000_000L + i).ToString(CultureInfo.InvariantCulture);

    public string? Email(int i)
    {
        var h = world.Hash(HashStream.UserProfile, i, 1);
        if (!DeterministicHash.Percent(h, 85)) return null;
        var domain = DeterministicHash.Pick(h >> 8, TextCorpus.Domains);
        return DeterministicHash.Percent(h >> 16, 10) ? $"user.{i}+chat@{domain}" : $"user.{i}@{domain}";
    }

    public string? ReferenceId(int i) =>
        DeterministicHash.Percent(world.Hash(HashStream.UserProfile, i, 2), 70) ? $"crm-{i:D7}" : null;

    public JsonObject Build(int i)
    {
        var h = world.Hash(HashStream.UserProfile, i, 3);
        var user = new JsonObject
        {
            ["id"] = Id(i),
            ["created_time"] = Timestamps.Format(world.UserCreatedMs(i)),
            ["updated_time"] = Timestamps.Format(world.UserUpdatedMs(i)),
        };
        if (Email(i) is { } email) user["email"] = email;
        if (DeterministicHash.Percent(h, 95)) user["first_name"] = DeterministicHash.Pick(h >> 4, TextCorpus.FirstNames);
        if (DeterministicHash.Percent(h >> 10, 80)) user["last_name"] = DeterministicHash.Pick(h >> 14, TextCorpus.LastNames);
        if (DeterministicHash.Percent(h >> 20, 50)) user["phone"] = $"+33 6 {(h >> 24) % 100:D2} {(h >> 31) % 100:D2} {(h >> 38) % 100:D2} {i % 100:D2}";
        if (DeterministicHash.Percent(h >> 27, 30)) user["avatar"] = new JsonObject { ["url"] = $"https://cdn.example.com/avatars/u{i}.jpg" };
        if (DeterministicHash.Percent(h >> 33, 60))
        {
            user["properties"] = new JsonArray(
                new JsonObject { ["name"] = "plan", ["value"] = DeterministicHash.Pick(h >> 40, ["Free", "Growth", "Pro", "Enterprise"]) },
                new JsonObject { ["name"] = "cf_loyalty", ["value"] = DeterministicHash.Pick(h >> 44, ["🥇 gold", "silver", "bronze", "aucun"]) });
        }
        if (ReferenceId(i) is { } reference) user["reference_id"] = reference;
        if (DeterministicHash.Percent(h >> 47, 20)) user["restore_id"] = world.Ids.Encode(HashStream.UserProfile, i);
        if (DeterministicHash.Percent(h >> 50, 10))
            user["social_profiles"] = new JsonArray(new JsonObject { ["type"] = DeterministicHash.Pick(h >> 53, ["facebook", "twitter", "skype", "linkedin"]), ["id"] = $"social-{i}" });
        user["login_status"] = DeterministicHash.Percent(h >> 56, 40);
        user["org_contact_id"] = OrgContactId(i);
        return user;
    }
}
