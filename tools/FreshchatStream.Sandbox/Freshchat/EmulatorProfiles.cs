namespace FreshchatStream.Sandbox.Freshchat;

/// <summary>
/// Named sets of <see cref="EmulatorBehaviour"/> readings. The "other reading" profile flips every UNCONFIRMED
/// reading whose other reading must yield the same captured data, so a suite run under it proves the product
/// holds under both. Faults (403 scopes, poison items, unfiltered 404s) are not readings and stay out of it.
/// </summary>
public static class EmulatorProfiles
{
    /// <summary>Flips every UNCONFIRMED reading whose other reading must yield the same captured data.</summary>
    public static void ApplyOtherReading(EmulatorBehaviour behaviour)
    {
        ArgumentNullException.ThrowIfNull(behaviour);
        // A filtered agents list without matches answers 404 (Pipedream's reading) instead of an empty array.
        behaviour.EmptyAgentListAs404 = true;
        // The raw report CSV's conversation id column is in no public source: a header spelled another way.
        behaviour.ReportConversationIdHeader = "Conversation ID";
        // A report job can read COMPLETED while one of its links is still PENDING for a poll.
        behaviour.ReportLinkPendingPolls = 1;
    }
}
