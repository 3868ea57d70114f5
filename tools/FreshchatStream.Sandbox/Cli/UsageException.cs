namespace FreshchatStream.Sandbox.Cli;

/// <summary>A command line the sandbox cannot act on; its message is the one line shown to the user (exit code 2).</summary>
public sealed class UsageException(string message) : Exception(message);
