using System.Text.RegularExpressions;

namespace FreshchatStream.Hosting;

/// <summary>
/// Turns the configuration binder's "Failed to convert configuration value …" (a value that does not parse as
/// the option's type, e.g. <c>Capture:BatchSize=many</c>) into the one-line configuration error users get for
/// every other bad setting. The value itself is never repeated: it could be a secret pasted into the wrong key.
/// </summary>
public static partial class ConfigurationBindingFailure
{
    public static bool TryDescribe(Exception exception, out string message)
    {
        message = "";
        if (exception is not InvalidOperationException || BinderMessage().Match(exception.Message) is not { Success: true } match)
        {
            return false;
        }

        var key = match.Groups["key"].Value;
        var expected = match.Groups["type"].Value switch
        {
            "System.Int32" or "System.Int64" => "a whole number",
            "System.TimeSpan" => "a duration such as 00:00:30 (hh:mm:ss) or 1.00:00:00 (one day)",
            "System.Boolean" => "true or false",
            "System.Double" => "a number",
            var type => $"a {type.Split('.')[^1]}",
        };
        message = $"{key} must be {expected}.";
        return true;
    }

    // Microsoft.Extensions.Configuration.Binder's message; its format has been stable since .NET Core 3.
    [GeneratedRegex(@"^Failed to convert configuration value(?: '.*')? at '(?<key>[^']+)' to type '(?<type>[^']+)'", RegexOptions.Singleline)]
    private static partial Regex BinderMessage();
}
