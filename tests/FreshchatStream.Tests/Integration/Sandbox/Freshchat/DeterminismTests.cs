using FreshchatStream.Sandbox.Freshchat;

namespace FreshchatStream.Tests.Integration.Sandbox.Freshchat;

[Trait("Category", "Integration")]
public sealed class DeterminismTests
{
    [Fact]
    public async Task SameSeed_ServesIdenticalData_DifferentSeedDiffers()
    {
        var options = new FreshchatEmulatorOptions { Profile = EmulatorProfile.Default, Users = 60, MessagesPerConversation = 6, Seed = 7 };
        async Task<string> DumpAsync(FreshchatEmulatorOptions o)
        {
            await using var emulator = await FreshchatEmulator.StartAsync(o with { Behaviour = new(), Faults = new(), Profile = EmulatorProfile.Default });
            using var http = new EmulatorHttp(emulator);
            var users = await http.PageAllAsync("/v2/users?created_from=2000-01-01T00:00:00.000Z&items_per_page=50", "users");
            var conversation = emulator.Data.EnumerateConversationIds().First();
            var messages = await http.AllMessagesAsync(conversation, 50);
            var agents = await http.PageAllAsync("/v2/agents?items_per_page=50", "agents");
            return string.Join("\n", users.Concat(messages).Concat(agents).Select(n => n.ToJsonString()));
        }

        var first = await DumpAsync(options);
        Assert.Equal(first, await DumpAsync(options));
        Assert.NotEqual(first, await DumpAsync(options with { Seed = 8 }));
    }
}
