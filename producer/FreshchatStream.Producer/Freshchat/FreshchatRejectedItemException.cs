namespace FreshchatStream.Producer.Freshchat;

/// <summary>
/// A GET by id answered 200 with a body that cannot become the record asked for (not a JSON object, or without its
/// id). Unlike a malformed or truncated body, asking again returns the same thing, so the capture moves past it: the
/// body is already set aside for the dead-letter topic (<see cref="ListingRejects"/>) when this is thrown.
/// </summary>
public sealed class FreshchatRejectedItemException(string endpoint, string reason)
    : FreshchatException($"{endpoint} answered an item that is {reason}.", endpoint, 200)
{
    public string Reason { get; } = reason;

    public override bool IsTransient => false;
}
