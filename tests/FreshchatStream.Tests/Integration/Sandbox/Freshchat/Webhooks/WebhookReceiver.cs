using System.Collections.Concurrent;
using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace FreshchatStream.Tests.Integration.Sandbox.Freshchat.Webhooks;

/// <summary>One POST as the receiver saw it: the raw body bytes and the three Freshchat headers.</summary>
internal sealed record ReceivedWebhook(byte[] Body, string? Signature, string? PayloadVersion, string? RetryCount, string? ContentType);

/// <summary>
/// A webhook endpoint on 127.0.0.1 (port 0) that records every POST and answers the queued status codes in turn
/// (200 once the queue is empty); <see cref="OnReceived"/> runs before the answer, to look at the emulator meanwhile.
/// </summary>
internal sealed class WebhookReceiver : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly ConcurrentQueue<int> _answers = new();
    private readonly ConcurrentQueue<ReceivedWebhook> _received = new();
    private readonly SemaphoreSlim _arrivals = new(0);

    private WebhookReceiver(WebApplication app) => _app = app;

    public Uri Url { get; private set; } = null!;

    /// <summary>Answer the next requests with these statuses; a status of 0 holds the request until the client gives up.</summary>
    public void Answer(params int[] statuses)
    {
        foreach (var status in statuses) _answers.Enqueue(status);
    }

    public Func<ReceivedWebhook, Task>? OnReceived { get; set; }

    public IReadOnlyList<ReceivedWebhook> Received => [.. _received];

    public static async Task<WebhookReceiver> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(k => k.Listen(IPAddress.Loopback, 0));
        var app = builder.Build();
        var receiver = new WebhookReceiver(app);
        app.MapPost("/hooks/freshchat", receiver.HandleAsync);
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        receiver.Url = new Uri(new Uri(address), "/hooks/freshchat");
        return receiver;
    }

    /// <summary>Waits for <paramref name="count"/> requests in total; fails the test after <paramref name="timeout"/>.</summary>
    public async Task<IReadOnlyList<ReceivedWebhook>> WaitForAsync(int count, TimeSpan timeout)
    {
        using var cts = new CancellationTokenSource(timeout);
        while (_received.Count < count)
        {
            try
            {
                await _arrivals.WaitAsync(cts.Token);
            }
            catch (OperationCanceledException)
            {
                Assert.Fail($"received {_received.Count} of {count} webhook requests within {timeout}");
            }
        }
        return Received;
    }

    private async Task HandleAsync(HttpContext context)
    {
        using var buffer = new MemoryStream();
        await context.Request.Body.CopyToAsync(buffer, context.RequestAborted);
        var headers = context.Request.Headers;
        var received = new ReceivedWebhook(buffer.ToArray(), headers["X-Freshchat-Signature"], headers["X-Freshchat-Payload-Version"],
            headers["X-Retry-Count"], context.Request.ContentType);
        if (OnReceived is { } onReceived) await onReceived(received);
        _received.Enqueue(received);
        _arrivals.Release();
        var status = _answers.TryDequeue(out var s) ? s : StatusCodes.Status200OK;
        if (status == 0)
        {
            try
            {
                await Task.Delay(Timeout.Infinite, context.RequestAborted);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
        context.Response.StatusCode = status;
    }

    public async ValueTask DisposeAsync()
    {
        using (var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(5))) await _app.StopAsync(timeout.Token);
        await _app.DisposeAsync();
        _arrivals.Dispose();
    }
}
