using FreshchatStream.Sandbox.Freshchat;

namespace FreshchatStream.Tests.Integration.Sandbox.Freshchat;

[Trait("Category", "Integration")]
public sealed class LargeAccountTests
{
    [Fact]
    public async Task HundredThousandUsers_ServesAnyPageAndMessagesWithoutMaterialising()
    {
        await using var emulator = await FreshchatEmulator.StartAsync(new FreshchatEmulatorOptions { Profile = EmulatorProfile.Default, Users = 100_000 });
        Assert.Equal(100_000, emulator.Data.UserCount);
        Assert.Equal(20_000, emulator.Data.ConversationCount);
        Assert.InRange(emulator.Data.MessageCount, 950_000, 1_050_000);

        using var http = new EmulatorHttp(emulator);
        var last = await http.GetJsonAsync("/v2/users?created_from=2000-01-01T00:00:00.000Z&items_per_page=50&page=2000");
        Assert.Equal(50, last["users"]!.AsArray().Count);
        Assert.Null(last["links"]!["next_page"]);
        var newest = await http.GetJsonAsync("/v2/users?created_from=2000-01-01T00:00:00.000Z&items_per_page=1&sort_order=desc");
        Assert.Equal((string)last["users"]![49]!["id"]!, (string)newest["users"]![0]!["id"]!);

        var middle = (string)last["users"]![0]!["created_time"]!;
        var window = await http.GetJsonAsync($"/v2/users?created_from={middle}&created_to={middle}");
        Assert.Contains((string)last["users"]![0]!["id"]!, window["users"]!.AsArray().Select(u => (string)u!["id"]!));

        var conversation = emulator.Data.GetUserConversationIds((string)last["users"]![0]!["id"]!) is { Count: > 0 } ids
            ? ids[0]
            : emulator.Data.EnumerateConversationIds().Last();
        var messages = await http.AllMessagesAsync(conversation, 50);
        Assert.Equal(emulator.Data.GetMessages(conversation)!.Count, messages.Count);
    }
}
