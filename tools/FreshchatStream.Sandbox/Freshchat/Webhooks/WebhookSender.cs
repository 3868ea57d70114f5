using System.Net.Http.Headers;
using System.Text.Json.Nodes;
using System.Threading.Channels;
using FreshchatStream.Sandbox.Freshchat.Data;
using FreshchatStream.Sandbox.Freshchat.Endpoints;

namespace FreshchatStream.Sandbox.Freshchat.Webhooks;

/// <summary>
/// The account's webhook: signs each event and POSTs it to <see cref="TargetUrl"/>, one delivery at a time so the
/// receiver sees events in mutation order. A failed attempt (non-2xx, transport error, timeout) is repeated with the
/// same body and signature and the next <c>X-Retry-Count</c> after an exponential backoff, until
/// <see cref="MaxRetries"/> retries are spent; the event is then abandoned. Settings can change while running.
/// Backoff uses the real clock, not the emulator's <see cref="TimeProvider"/>, so a fake clock cannot stall delivery.
/// </summary>
public sealed class WebhookSender : IAsyncDisposable
{
    public const string SignatureHeader = "X-Freshchat-Signature";
    public const string PayloadVersionHeader = "X-Freshchat-Payload-Version";
    public const string RetryCountHeader = "X-Retry-Count";

    /// <summary>Freshchat's current payload format (message_parts); "1" was the 2018 msg_parts format.</summary>
    public const string PayloadVersion = "2";

    private readonly Channel<WebhookDelivery> _queue = Channel.CreateUnbounded<WebhookDelivery>(new UnboundedChannelOptions { SingleReader = true });
    private readonly CancellationTokenSource _stopping = new();
    private readonly HttpClient _http;
    private readonly Task _loop;
    private readonly Lock _idleGate = new();
    private TaskCompletionSource? _idle;
    private int _pending;
    private long _queued, _attempts, _delivered, _retried, _abandoned;
    private volatile Uri? _targetUrl;
    private volatile int _maxRetries = 5;
    private long _retryDelayTicks = TimeSpan.FromSeconds(1).Ticks;
    private long _maxRetryDelayTicks = TimeSpan.FromSeconds(30).Ticks;
    private long _attemptTimeoutTicks = TimeSpan.FromSeconds(10).Ticks;

    internal WebhookSender(WebhookSigner signer)
    {
        Signer = signer;
        // No redirects and no proxy: the only host this client ever contacts is the configured URL's.
        _http = new HttpClient(new SocketsHttpHandler { AllowAutoRedirect = false, UseProxy = false, ConnectTimeout = TimeSpan.FromSeconds(5) })
        {
            Timeout = Timeout.InfiniteTimeSpan,
        };
        _loop = Task.Run(() => RunAsync(_stopping.Token));
    }

    public WebhookSigner Signer { get; }

    /// <summary>The key the receiver verifies signatures with (see <see cref="WebhookSigner.PublicKeyPem"/>).</summary>
    public string PublicKeyPem => Signer.PublicKeyPem;

    /// <summary>Where events go; null turns webhooks off (events are then not queued at all).</summary>
    public Uri? TargetUrl
    {
        get => _targetUrl;
        set => _targetUrl = value is null ? null : ValidTarget(value);
    }

    /// <summary>Retries after the first attempt before an event is abandoned (default 5).</summary>
    public int MaxRetries
    {
        get => _maxRetries;
        set => _maxRetries = value >= 0 ? value : throw new ArgumentOutOfRangeException(nameof(value), value, "must be 0 or more");
    }

    /// <summary>Wait before the first retry (default 1 s); doubles for each further retry up to <see cref="MaxRetryDelay"/>.</summary>
    public TimeSpan RetryDelay
    {
        get => TimeSpan.FromTicks(Interlocked.Read(ref _retryDelayTicks));
        set => Interlocked.Exchange(ref _retryDelayTicks, NonNegative(value).Ticks);
    }

    /// <summary>Cap of the doubling backoff (default 30 s).</summary>
    public TimeSpan MaxRetryDelay
    {
        get => TimeSpan.FromTicks(Interlocked.Read(ref _maxRetryDelayTicks));
        set => Interlocked.Exchange(ref _maxRetryDelayTicks, NonNegative(value).Ticks);
    }

    /// <summary>How long one POST may take before it counts as failed (default 10 s).</summary>
    public TimeSpan AttemptTimeout
    {
        get => TimeSpan.FromTicks(Interlocked.Read(ref _attemptTimeoutTicks));
        set => Interlocked.Exchange(ref _attemptTimeoutTicks, value > TimeSpan.Zero ? value.Ticks : throw new ArgumentOutOfRangeException(nameof(value), value, "must be positive"));
    }

    /// <summary>Events accepted for delivery.</summary>
    public long Queued => Interlocked.Read(ref _queued);

    /// <summary>POSTs made, first attempts and retries together.</summary>
    public long Attempts => Interlocked.Read(ref _attempts);

    /// <summary>Events the receiver answered 2xx.</summary>
    public long Delivered => Interlocked.Read(ref _delivered);

    /// <summary>Failed attempts that were followed by another.</summary>
    public long Retried => Interlocked.Read(ref _retried);

    /// <summary>Events given up after <see cref="MaxRetries"/> retries (or when webhooks were turned off meanwhile).</summary>
    public long Abandoned => Interlocked.Read(ref _abandoned);

    /// <summary>True once every queued event was delivered or abandoned; false when <paramref name="timeout"/> passes first.</summary>
    public async Task<bool> WaitUntilIdleAsync(TimeSpan timeout)
    {
        Task idle;
        lock (_idleGate)
        {
            if (_idle is null) return true;
            idle = _idle.Task;
        }

        try
        {
            await idle.WaitAsync(timeout).ConfigureAwait(false);
            return true;
        }
        catch (TimeoutException)
        {
            return false;
        }
    }

    /// <summary>Queues the event of a data-store change; a no-op while no target URL is set.</summary>
    internal void Enqueue(ConversationChange change)
    {
        if (_targetUrl is not null) Enqueue(WebhookPayloads.For(change));
    }

    /// <summary>Signs and queues a payload; false (nothing queued) while no target URL is set or after disposal.</summary>
    internal bool Enqueue(JsonObject payload)
    {
        if (_targetUrl is null || _stopping.IsCancellationRequested) return false;
        var body = ApiResults.Serialize(payload);
        var delivery = new WebhookDelivery(body, Signer.Sign(body));
        lock (_idleGate)
        {
            if (!_queue.Writer.TryWrite(delivery)) return false;
            Interlocked.Increment(ref _queued);
            if (_pending++ == 0) _idle = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        }

        return true;
    }

    private async Task RunAsync(CancellationToken stopping)
    {
        try
        {
            await foreach (var delivery in _queue.Reader.ReadAllAsync(stopping).ConfigureAwait(false))
            {
                try
                {
                    await DeliverAsync(delivery, stopping).ConfigureAwait(false);
                }
                finally
                {
                    Completed();
                }
            }
        }
        catch (OperationCanceledException) when (stopping.IsCancellationRequested)
        {
        }
    }

    private async Task DeliverAsync(WebhookDelivery delivery, CancellationToken stopping)
    {
        for (var attempt = 0; ; attempt++)
        {
            if (_targetUrl is not { } target)
            {
                Interlocked.Increment(ref _abandoned);
                return;
            }

            if (await PostAsync(target, delivery, attempt, stopping).ConfigureAwait(false))
            {
                Interlocked.Increment(ref _delivered);
                return;
            }

            if (attempt >= MaxRetries)
            {
                Interlocked.Increment(ref _abandoned);
                return;
            }

            Interlocked.Increment(ref _retried);
            await Task.Delay(Backoff(attempt), stopping).ConfigureAwait(false);
        }
    }

    private async Task<bool> PostAsync(Uri target, WebhookDelivery delivery, int attempt, CancellationToken stopping)
    {
        Interlocked.Increment(ref _attempts);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(stopping);
        timeout.CancelAfter(AttemptTimeout);
        using var request = new HttpRequestMessage(HttpMethod.Post, target) { Content = new ByteArrayContent(delivery.Body) };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        request.Headers.TryAddWithoutValidation(SignatureHeader, delivery.Signature);
        request.Headers.TryAddWithoutValidation(PayloadVersionHeader, PayloadVersion);
        request.Headers.TryAddWithoutValidation(RetryCountHeader, attempt.ToString(System.Globalization.CultureInfo.InvariantCulture));
        try
        {
            using var response = await _http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, timeout.Token).ConfigureAwait(false);
            return response.IsSuccessStatusCode;
        }
        catch (Exception e) when (e is HttpRequestException || (e is OperationCanceledException && !stopping.IsCancellationRequested))
        {
            return false;
        }
    }

    private TimeSpan Backoff(int attempt)
    {
        var delay = RetryDelay.Ticks * Math.Pow(2, Math.Min(attempt, 30));
        return TimeSpan.FromTicks((long)Math.Min(delay, MaxRetryDelay.Ticks));
    }

    private void Completed()
    {
        lock (_idleGate)
        {
            if (--_pending == 0)
            {
                _idle?.TrySetResult();
                _idle = null;
            }
        }
    }

    /// <summary>Stops at once: the delivery in flight is cancelled, queued events are dropped.</summary>
    public async ValueTask DisposeAsync()
    {
        _queue.Writer.TryComplete();
        await _stopping.CancelAsync().ConfigureAwait(false);
        await _loop.ConfigureAwait(false);
        _http.Dispose();
        _stopping.Dispose();
        Signer.Dispose();
        lock (_idleGate) _idle?.TrySetResult();
    }

    private static Uri ValidTarget(Uri url) =>
        url.IsAbsoluteUri && (url.Scheme == Uri.UriSchemeHttp || url.Scheme == Uri.UriSchemeHttps)
            ? url
            : throw new ArgumentException($"webhook URL must be an absolute http(s) URL, got '{url}'", nameof(url));

    private static TimeSpan NonNegative(TimeSpan value) =>
        value >= TimeSpan.Zero ? value : throw new ArgumentOutOfRangeException(nameof(value), value, "must not be negative");

    private sealed record WebhookDelivery(byte[] Body, string Signature);
}
