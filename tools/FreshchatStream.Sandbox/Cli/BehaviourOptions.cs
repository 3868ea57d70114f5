using FreshchatStream.Sandbox.Freshchat;

namespace FreshchatStream.Sandbox.Cli;

/// <summary>
/// <c>--behaviour name=value</c> and <c>--profile default|other</c>, shared by <c>up</c> and <c>freshchat</c>. Names are
/// those of <c>/_sandbox/behaviour</c>; each value is checked while parsing, so a typo exits 2 before anything starts.
/// </summary>
internal static class BehaviourOptions
{
    public const string Behaviour = "--behaviour";
    public const string Profile = "--profile";

    /// <summary>Parses one <c>name=value</c> and checks it against <see cref="EmulatorBehaviour"/>.</summary>
    /// <exception cref="UsageException">No '=', an unknown switch or a value of the wrong type.</exception>
    public static KeyValuePair<string, string> Setting(string value)
    {
        var equals = value.IndexOf('=', StringComparison.Ordinal);
        if (equals <= 0)
        {
            throw new UsageException($"option '{Behaviour}' needs name=value (a switch of /_sandbox/behaviour), not '{value}'");
        }

        var setting = KeyValuePair.Create(value[..equals].Trim(), value[(equals + 1)..].Trim());
        if (SettingsReflection.Set(new EmulatorBehaviour(), setting.Key, setting.Value) is { } error)
        {
            throw new UsageException($"option '{Behaviour}': {error}");
        }

        return setting;
    }

    /// <exception cref="UsageException">Neither <c>default</c> nor <c>other</c>.</exception>
    public static EmulatorProfile ParseProfile(string value) =>
        EmulatorProfiles.TryParse(value) ?? throw new UsageException($"option '{Profile}' must be default or other, not '{value}'");
}
