namespace FreshchatStream.Producer.Webhooks;

/// <summary>
/// The webhook endpoint of <c>run</c> (<c>Webhooks:*</c>, checked by <see cref="WebhookOptionsValidator"/>): where it
/// listens, the key Freshchat signs with, and how polling adapts while webhooks arrive.
/// </summary>
public sealed class WebhookOptions
{
    public const string Section = "Webhooks";

    /// <summary>Serve the endpoint while <c>run</c> captures. Off by default: polling alone is complete, only slower.</summary>
    public bool Enabled { get; set; }

    /// <summary>Kestrel URL the endpoint listens on, e.g. <c>http://0.0.0.0:8090</c> behind a TLS-terminating proxy.</summary>
    public string Listen { get; set; } = "http://127.0.0.1:8090";

    /// <summary>Request path Freshchat posts to (the path of the URL entered in Freshchat's Admin &gt; Webhooks).</summary>
    public string Path { get; set; } = "/webhooks/freshchat";

    /// <summary>
    /// The public key Freshchat's webhook page shows (armor <c>RSA PUBLIC KEY</c>, body SubjectPublicKeyInfo), with
    /// its line breaks or with spaces instead of them (one line, for an environment variable).
    /// </summary>
    public string? PublicKey { get; set; }

    /// <summary>Larger request bodies are refused with 413 before their signature is checked.</summary>
    public int MaxBodyBytes { get; set; } = 1024 * 1024;

    /// <summary>
    /// Longest wait for Kafka to acknowledge a webhook's event; past it the endpoint answers 503 so Freshchat retries.
    /// Keep it below Freshchat's own request timeout.
    /// </summary>
    public TimeSpan AckTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>
    /// How long the id of a webhook Kafka acknowledged is remembered in Redis, so that Freshchat's retries of it —
    /// to any replica, across restarts — are answered 200 without publishing again. Cover Freshchat's retry window.
    /// </summary>
    public TimeSpan DedupTtl { get; set; } = TimeSpan.FromHours(24);

    /// <summary>
    /// While webhooks arrive (and no gap was detected), open conversations are re-polled at most this often instead
    /// of every <c>Capture:PollInterval</c>: their new messages, assignments, resolutions and reopens are pushed.
    /// </summary>
    public TimeSpan QuietPollInterval { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>
    /// Polling that finds new messages while no webhook arrived for this long means webhooks are not reaching the
    /// producer: a warning is logged, and open conversations go back to being polled every cycle.
    /// </summary>
    public TimeSpan GapWarningAfter { get; set; } = TimeSpan.FromMinutes(15);
}
