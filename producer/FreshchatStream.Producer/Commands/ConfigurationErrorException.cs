namespace FreshchatStream.Producer.Commands;

/// <summary>Invalid configuration found by a command before the host validates its options; exit code 2, one line.</summary>
public sealed class ConfigurationErrorException(string message) : Exception(message);
