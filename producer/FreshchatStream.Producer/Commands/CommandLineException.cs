namespace FreshchatStream.Producer.Commands;

/// <summary>A user mistake on the command line; reported as one line with exit code 2, never a stack trace.</summary>
public sealed class CommandLineException(string message) : Exception(message);
