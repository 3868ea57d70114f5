namespace FreshchatStream.Producer.State;

/// <summary>
/// A fenced write was refused because this process no longer holds the account's lease (another instance took it
/// over with a higher epoch, or it was never held). Nothing of the write was applied: the writer stops capturing
/// the account and stands by.
/// </summary>
public sealed class LeaseLostException(string message) : Exception(message);
