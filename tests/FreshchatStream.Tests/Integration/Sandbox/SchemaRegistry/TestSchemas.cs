namespace FreshchatStream.Tests.Integration.Sandbox.SchemaRegistry;

/// <summary>Small Avro schemas for the emulator's integration tests.</summary>
internal static class TestSchemas
{
    public const string TicketV1 = """
        {"type":"record","name":"Ticket","namespace":"freshchat.test","fields":[
          {"name":"id","type":"string"},
          {"name":"count","type":"int"}]}
        """;

    /// <summary>V1 plus an optional field with default null: a backward-compatible evolution.</summary>
    public const string TicketV2 = """
        {"type":"record","name":"Ticket","namespace":"freshchat.test","fields":[
          {"name":"id","type":"string"},
          {"name":"count","type":"int"},
          {"name":"note","type":["null","string"],"default":null}]}
        """;

    /// <summary>V1 plus a required field: new readers cannot read old data.</summary>
    public const string TicketWithRequiredField = """
        {"type":"record","name":"Ticket","namespace":"freshchat.test","fields":[
          {"name":"id","type":"string"},
          {"name":"count","type":"int"},
          {"name":"owner","type":"string"}]}
        """;

    /// <summary>V1 with <c>count</c> changed from int to string: not a permitted promotion.</summary>
    public const string TicketWithChangedType = """
        {"type":"record","name":"Ticket","namespace":"freshchat.test","fields":[
          {"name":"id","type":"string"},
          {"name":"count","type":"string"}]}
        """;

    public static string UniqueTopic() => $"sr-test-{Guid.NewGuid():N}";
}
