using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using FreshchatStream.Sandbox.Freshchat;

namespace FreshchatStream.Tests.Integration.Sandbox.Freshchat;

/// <summary>A plain HttpClient against an emulator, with the bearer token and small JSON helpers.</summary>
internal sealed class EmulatorHttp : IDisposable
{
    private readonly HttpClient _client;

    public EmulatorHttp(FreshchatEmulator emulator, string? apiKey = null)
    {
        _client = new HttpClient { BaseAddress = emulator.Root, Timeout = TimeSpan.FromSeconds(20) };
        _client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", apiKey ?? emulator.ApiKey);
        _client.DefaultRequestHeaders.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
    }

    public HttpClient Client => _client;

    public Task<HttpResponseMessage> GetAsync(string pathAndQuery) => _client.GetAsync(pathAndQuery);

    public async Task<JsonNode> GetJsonAsync(string pathAndQuery)
    {
        using var response = await _client.GetAsync(pathAndQuery);
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, $"GET {pathAndQuery} -> {(int)response.StatusCode}: {body}");
        return JsonNode.Parse(body)!;
    }

    public static async Task<JsonObject> ReadObjectAsync(HttpResponseMessage response) =>
        (JsonObject)JsonNode.Parse(await response.Content.ReadAsStringAsync())!;

    public Task<HttpResponseMessage> SendJsonAsync(HttpMethod method, string path, string json) =>
        _client.SendAsync(new HttpRequestMessage(method, path) { Content = new StringContent(json, Encoding.UTF8, "application/json") });

    /// <summary>Follows links.next_page.href from <paramref name="firstPath"/>, checking the three stop rules agree on every page.</summary>
    public async Task<List<JsonObject>> PageAllAsync(string firstPath, string resource)
    {
        var items = new List<JsonObject>();
        string? next = firstPath;
        var guard = 0;
        while (next is not null)
        {
            Assert.True(++guard < 10_000, "pagination did not terminate");
            var page = await GetJsonAsync(next);
            var pageItems = page[resource]!.AsArray();
            var pagination = page["pagination"]!;
            var current = (int)pagination["current_page"]!;
            var totalPages = (int)pagination["total_pages"]!;
            next = (string?)page["links"]?["next_page"]?["href"];
            var lastByLink = next is null;
            var lastByCount = current >= totalPages;
            Assert.Equal(lastByLink, lastByCount);
            if (!lastByLink) Assert.NotEmpty(pageItems);
            items.AddRange(pageItems.Select(i => (JsonObject)i!));
        }
        return items;
    }

    /// <summary>Follows the messages link.href until it is absent; returns the messages in the order served (newest first).</summary>
    public async Task<List<JsonObject>> AllMessagesAsync(string conversationId, int itemsPerPage)
    {
        var messages = new List<JsonObject>();
        string? next = $"/v2/conversations/{conversationId}/messages?page=1&items_per_page={itemsPerPage}";
        var guard = 0;
        while (next is not null)
        {
            Assert.True(++guard < 10_000, "message paging did not terminate");
            var page = await GetJsonAsync(next);
            Assert.Null(page["pagination"]);
            messages.AddRange(page["messages"]!.AsArray().Select(m => (JsonObject)m!));
            next = (string?)page["link"]?["href"];
            if (next is not null) Assert.NotEmpty(page["messages"]!.AsArray());
        }
        return messages;
    }

    public void Dispose() => _client.Dispose();
}
