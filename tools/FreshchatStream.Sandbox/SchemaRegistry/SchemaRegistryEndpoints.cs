using System.Globalization;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace FreshchatStream.Sandbox.SchemaRegistry;

/// <summary>Maps Schema Registry's REST routes onto <see cref="SchemaStore"/>.</summary>
internal static class SchemaRegistryEndpoints
{
    public static void Map(IEndpointRouteBuilder routes, SchemaStore store)
    {
        routes.MapGet("/", () => RegistryJson.Ok(new JsonObject()));

        routes.MapGet("/subjects", (HttpRequest request) =>
            RegistryJson.Ok(Array(store.ListSubjects(Flag(request, "deleted"), request.Query["subjectPrefix"].ToString()))));

        routes.MapGet("/subjects/{subject}/versions", (string subject, HttpRequest request) =>
            RegistryJson.Ok(Array(store.ListVersions(subject, Flag(request, "deleted")))));

        routes.MapPost("/subjects/{subject}/versions", async (string subject, HttpRequest request) =>
        {
            var schema = await ReadSchemaAsync(request).ConfigureAwait(false);
            return RegistryJson.Ok(new JsonObject { ["id"] = store.Register(subject, schema) });
        });

        routes.MapGet("/subjects/{subject}/versions/{version}", (string subject, string version, HttpRequest request) =>
            RegistryJson.Ok(Render(store.GetVersion(subject, ParseVersion(version), Flag(request, "deleted")))));

        routes.MapGet("/subjects/{subject}/versions/{version}/schema", (string subject, string version, HttpRequest request) =>
            RegistryJson.RawSchema(store.GetVersion(subject, ParseVersion(version), Flag(request, "deleted")).Schema));

        routes.MapDelete("/subjects/{subject}/versions/{version}", (string subject, string version, HttpRequest request) =>
            RegistryJson.Ok(JsonValue.Create(store.DeleteVersion(subject, ParseVersion(version), Flag(request, "permanent")))));

        routes.MapPost("/subjects/{subject}", async (string subject, HttpRequest request) =>
        {
            var schema = await ReadSchemaAsync(request).ConfigureAwait(false);
            return RegistryJson.Ok(Render(store.Lookup(subject, schema, Flag(request, "deleted"))));
        });

        routes.MapDelete("/subjects/{subject}", (string subject, HttpRequest request) =>
            RegistryJson.Ok(Array(store.DeleteSubject(subject, Flag(request, "permanent")))));

        routes.MapGet("/schemas/ids/{id:int}", (int id) =>
            RegistryJson.Ok(new JsonObject { ["schema"] = store.GetSchema(id).Text }));

        routes.MapGet("/schemas/ids/{id:int}/schema", (int id) => RegistryJson.RawSchema(store.GetSchema(id).Text));

        routes.MapGet("/schemas/ids/{id:int}/versions", (int id, HttpRequest request) =>
        {
            var versions = new JsonArray();
            foreach (var (subject, version) in store.GetVersionsOfSchema(id, Flag(request, "deleted")))
            {
                versions.Add(new JsonObject { ["subject"] = subject, ["version"] = version });
            }

            return RegistryJson.Ok(versions);
        });

        routes.MapGet("/schemas/types", () => RegistryJson.Ok(new JsonArray(SchemaDocument.AvroType)));

        routes.MapGet("/config", () => RegistryJson.Ok(RenderConfig(store.GlobalCompatibility)));
        routes.MapPut("/config", async (HttpRequest request) =>
        {
            store.GlobalCompatibility = await ReadCompatibilityAsync(request).ConfigureAwait(false);
            return RegistryJson.Ok(RenderConfig(store.GlobalCompatibility));
        });
        routes.MapGet("/config/{subject}", (string subject, HttpRequest request) =>
            RegistryJson.Ok(RenderConfig(store.GetSubjectCompatibility(subject, Flag(request, "defaultToGlobal")))));
        routes.MapPut("/config/{subject}", async (string subject, HttpRequest request) =>
        {
            var level = await ReadCompatibilityAsync(request).ConfigureAwait(false);
            store.SetSubjectCompatibility(subject, level);
            return RegistryJson.Ok(RenderConfig(level));
        });
        routes.MapDelete("/config/{subject}", (string subject) =>
            RegistryJson.Ok(RenderConfig(store.DeleteSubjectCompatibility(subject))));

        routes.MapPost("/compatibility/subjects/{subject}/versions/{version}", async (string subject, string version, HttpRequest request) =>
        {
            var schema = await ReadSchemaAsync(request).ConfigureAwait(false);
            var number = ParseVersion(version);
            return RenderCompatibility(store.CheckCompatibility(subject, number, againstLatestByLevel: number is null, schema), request);
        });
        routes.MapPost("/compatibility/subjects/{subject}/versions", async (string subject, HttpRequest request) =>
        {
            var schema = await ReadSchemaAsync(request).ConfigureAwait(false);
            return RenderCompatibility(store.CheckCompatibility(subject, null, againstLatestByLevel: true, schema), request);
        });

        routes.MapGet("/mode", () => RegistryJson.Ok(new JsonObject { ["mode"] = "READWRITE" }));
        routes.MapGet("/mode/{subject}", (string subject) => RegistryJson.Ok(new JsonObject { ["mode"] = "READWRITE" }));
    }

    private static async Task<SchemaDocument> ReadSchemaAsync(HttpRequest request)
    {
        var body = await RegistryJson.ReadObjectAsync(request).ConfigureAwait(false);
        if (body["references"] is JsonArray { Count: > 0 })
        {
            throw RegistryException.InvalidSchema("schema references are not supported by the emulator.");
        }

        return SchemaDocument.Parse(RegistryJson.OptionalString(body, "schema"), RegistryJson.OptionalString(body, "schemaType"));
    }

    private static async Task<CompatibilityLevel> ReadCompatibilityAsync(HttpRequest request)
    {
        var body = await RegistryJson.ReadObjectAsync(request).ConfigureAwait(false);
        var requested = RegistryJson.OptionalString(body, "compatibility") ?? RegistryJson.OptionalString(body, "compatibilityLevel");
        return CompatibilityLevels.TryParse(requested, out var level) ? level : throw RegistryException.InvalidCompatibilityLevel(requested);
    }

    /// <summary>Null means "latest".</summary>
    private static int? ParseVersion(string version)
    {
        if (string.Equals(version, "latest", StringComparison.OrdinalIgnoreCase) || version == "-1")
        {
            return null;
        }

        return int.TryParse(version, NumberStyles.None, CultureInfo.InvariantCulture, out var number) && number >= 1
            ? number
            : throw RegistryException.InvalidVersion(version);
    }

    private static bool Flag(HttpRequest request, string name) =>
        bool.TryParse(request.Query[name].ToString(), out var value) && value;

    private static JsonObject Render(SubjectVersionView view) => new()
    {
        ["subject"] = view.Subject,
        ["version"] = view.Version,
        ["id"] = view.Id,
        ["schema"] = view.Schema,
    };

    /// <remarks>
    /// Real registries answer GET with <c>compatibilityLevel</c> and PUT with <c>compatibility</c>; Confluent's
    /// .NET <c>ServerConfig</c> binds the former through its constructor and the latter not at all, so both
    /// names are sent on every answer and any client reads the level it expects.
    /// </remarks>
    private static JsonObject RenderConfig(CompatibilityLevel level) => new()
    {
        ["compatibilityLevel"] = level.ToWireName(),
        ["compatibility"] = level.ToWireName(),
    };

    private static IResult RenderCompatibility(IReadOnlyList<string> problems, HttpRequest request)
    {
        var result = new JsonObject { ["is_compatible"] = problems.Count == 0 };
        if (Flag(request, "verbose"))
        {
            result["messages"] = Array(problems);
        }

        return RegistryJson.Ok(result);
    }

    private static JsonArray Array<T>(IEnumerable<T> items) => new(items.Select(item => (JsonNode?)JsonValue.Create(item)).ToArray());
}
