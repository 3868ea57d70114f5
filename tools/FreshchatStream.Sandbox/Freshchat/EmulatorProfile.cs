namespace FreshchatStream.Sandbox.Freshchat;

/// <summary>Which reading of the API's unconfirmed behaviours the Freshchat emulator starts with (see <see cref="EmulatorProfiles"/>).</summary>
public enum EmulatorProfile
{
    /// <summary>The switches' defaults.</summary>
    Default,

    /// <summary><see cref="EmulatorProfiles.ApplyOtherReading"/> applied.</summary>
    Other,
}
