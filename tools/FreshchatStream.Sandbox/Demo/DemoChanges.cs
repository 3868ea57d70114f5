using FreshchatStream.Sandbox.Freshchat;

namespace FreshchatStream.Sandbox.Demo;

/// <summary>What happens in the account between the demo's live cycles: new users and conversations, messages, status and availability changes.</summary>
public sealed class DemoChanges(FreshchatDataStore data, int seed)
{
    private readonly Random _random = new(seed);
    private int _round;

    /// <summary>Applies one round of changes and says what it did.</summary>
    public string Apply()
    {
        _round++;
        var users = data.EnumerateUsers().Select(u => (string)u["id"]!).ToList();
        var conversations = data.EnumerateConversationIds().ToList();
        var open = conversations.Where(id => (string?)data.GetConversation(id)?["status"] != "resolved").ToList();
        var user = data.CreateUser($"Demo{_round}", "Customer", $"demo{_round}@example.com");
        var conversation = data.CreateConversation(user);
        data.AddMessage(conversation, $"Hi! This is new customer #{_round} 👋");
        foreach (var id in open.OrderBy(_ => _random.Next()).Take(5))
        {
            data.AddMessage(id, "Any update on this? 🙏");
        }

        var resolved = open.OrderBy(_ => _random.Next()).Take(2).ToList();
        resolved.ForEach(id => data.ResolveConversation(id));
        data.UpdateUser(users[_random.Next(users.Count)], lastName: $"Renamed{_round}");
        var agent = data.GetAgents()[_random.Next(data.GetAgents().Count)];
        var available = (string?)agent["availability_status"] == "AVAILABLE";
        data.SetAgentAvailability((string)agent["id"]!, available ? "UNAVAILABLE" : "AVAILABLE");
        return $"1 new user with a new conversation, 5 new messages, 2 conversations resolved, 1 user renamed, agent {(available ? "went away" : "came back")}";
    }
}
