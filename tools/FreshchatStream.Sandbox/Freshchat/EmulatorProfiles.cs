namespace FreshchatStream.Sandbox.Freshchat;

/// <summary>
/// The "other reading" profile: every UNCONFIRMED switch of <see cref="EmulatorBehaviour"/> whose other reading
/// must leave what the producer captures unchanged is flipped, so the whole test suite can run against an API that
/// differs from the emulator's default everywhere it is allowed to (<c>FRESHCHAT_EMULATOR_PROFILE=other</c>,
/// <c>--profile other</c>). Left out on purpose, because their other reading changes what there is to capture or
/// is a fault rather than a reading: <c>DeleteUserRemovesConversations</c> (deletes data),
/// <c>OutboundMessagesRequireRequestId</c> (outbound messages become listable, so more is captured),
/// <c>WrongHostHtml</c> (a misconfiguration), <c>MessagesPerMillisecond</c> (changes the messages' timestamps),
/// <c>AgentStatusWithoutId</c> and <c>MinimalConversations</c> (the payloads themselves change: <c>raw_json</c>,
/// <c>agent_status_id</c>, a conversation's <c>user_id</c>; their own end-to-end tests run under both readings),
/// <c>MessagesPageByNumber</c> (would bypass <c>from_time</c>, whose inclusive reading this profile exercises),
/// the page-size numbers and <c>ReportPendingPolls</c> (sizes and delays, not readings), and the faults
/// <c>ForbiddenScopes</c>, <c>CatalogueListsAs404</c>, <c>ReportLinkFails</c> and <c>PoisonItems</c>.
/// docs/sandbox.md ("Real-API readings") lists each switch with the product's behaviour under both readings.
/// </summary>
public static class EmulatorProfiles
{
    /// <summary>The environment variable that makes every emulator started without an explicit profile use one.</summary>
    public const string EnvironmentVariable = "FRESHCHAT_EMULATOR_PROFILE";

    /// <summary>Flips every switch of the other-reading profile (see the type's remarks for what stays).</summary>
    public static void ApplyOtherReading(EmulatorBehaviour behaviour)
    {
        ArgumentNullException.ThrowIfNull(behaviour);

        // Users: changes found by the reconciliation scan instead of updated_from (the scenarios reconcile every cycle).
        behaviour.HonourUpdatedFilters = false;
        // Page sizes above the cap: the client falls back to 50 instead of being clamped.
        behaviour.PageSizeOverflow = PageSizeOverflow.Reject;
        // Only filtered agent lists are affected; the producer lists agents unfiltered.
        behaviour.EmptyAgentListAs404 = true;
        // The client unwraps {"configuration":{...}}.
        behaviour.WrapAccountConfiguration = true;
        // 429 without Retry-After and no X-RateLimit-* headers: backoff and the token bucket alone pace the client.
        behaviour.SendRetryAfter = false;
        behaviour.SendRateLimitHeaders = false;
        // Paginated lists end by the page numbers or an empty page instead of a full links block.
        behaviour.OnlyNextPageLink = true;
        behaviour.ReportCreatedStatusCode = 202;

        // Messages: an inclusive from_time, pages cut through a group of messages sharing one millisecond.
        behaviour.MessagesFromTimeInclusive = true;
        behaviour.SplitMessageTiesAcrossPages = true;
        // The server ignores the explicit sort and lists users newest first.
        behaviour.IgnoreSortOrder = true;
        behaviour.UsersNewestFirstByDefault = true;

        // Reports: the conversation id column is in no public source, so a header spelled another way; a job that
        // reads COMPLETED while one of its links is still PENDING for a poll.
        behaviour.ReportConversationIdHeader = "Conversation ID";
        behaviour.ReportLinkPendingPolls = 1;
    }

    /// <summary>The profile named by <see cref="EnvironmentVariable"/>; <see cref="EmulatorProfile.Default"/> when unset.</summary>
    /// <exception cref="InvalidOperationException">The variable holds something other than <c>default</c> or <c>other</c>.</exception>
    public static EmulatorProfile FromEnvironment() =>
        Environment.GetEnvironmentVariable(EnvironmentVariable) is not { Length: > 0 } value
            ? EmulatorProfile.Default
            : TryParse(value) ?? throw new InvalidOperationException($"{EnvironmentVariable}={value} is not a profile: use default or other.");

    /// <summary>Parses <c>default</c> or <c>other</c> (any case); null for anything else.</summary>
    public static EmulatorProfile? TryParse(string value) =>
        value.Trim().ToLowerInvariant() switch
        {
            "default" => EmulatorProfile.Default,
            "other" => EmulatorProfile.Other,
            _ => null,
        };

    /// <summary>Applies <paramref name="profile"/> to <paramref name="behaviour"/> (the default profile changes nothing).</summary>
    public static void Apply(EmulatorProfile profile, EmulatorBehaviour behaviour)
    {
        if (profile == EmulatorProfile.Other)
        {
            ApplyOtherReading(behaviour);
        }
    }
}
