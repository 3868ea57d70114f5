using System.Net;

namespace FreshchatStream.Sandbox.SchemaRegistry;

/// <summary>
/// A request the emulated registry refuses, carrying the HTTP status and the Confluent <c>error_code</c>
/// that clients (Confluent's <c>SchemaRegistryException</c>) surface to callers.
/// </summary>
internal sealed class RegistryException(HttpStatusCode status, int errorCode, string message) : Exception(message)
{
    public HttpStatusCode Status { get; } = status;

    public int ErrorCode { get; } = errorCode;

    public static RegistryException SubjectNotFound(string subject) =>
        new(HttpStatusCode.NotFound, 40401, $"Subject '{subject}' not found.");

    public static RegistryException VersionNotFound(string subject, string version) =>
        new(HttpStatusCode.NotFound, 40402, $"Version {version} not found for subject '{subject}'.");

    public static RegistryException SchemaNotFound(string detail) =>
        new(HttpStatusCode.NotFound, 40403, detail);

    public static RegistryException SubjectNotSoftDeleted(string subject) =>
        new(HttpStatusCode.NotFound, 40405, $"Subject '{subject}' was not deleted first before being permanently deleted");

    public static RegistryException VersionNotSoftDeleted(string subject, int version) =>
        new(HttpStatusCode.NotFound, 40407, $"Subject '{subject}' Version {version} was not deleted first before being permanently deleted");

    public static RegistryException SubjectCompatibilityNotConfigured(string subject) =>
        new(HttpStatusCode.NotFound, 40408, $"Subject '{subject}' does not have subject-level compatibility configured");

    public static RegistryException Incompatible(string subject, IReadOnlyList<string> messages) =>
        new(HttpStatusCode.Conflict, 409,
            $"Schema being registered is incompatible with an earlier schema for subject \"{subject}\", details: [{string.Join(", ", messages)}]");

    public static RegistryException InvalidSchema(string detail) =>
        new(HttpStatusCode.UnprocessableEntity, 42201, $"Invalid schema: {detail}");

    public static RegistryException InvalidVersion(string version) =>
        new(HttpStatusCode.UnprocessableEntity, 42202,
            $"The specified version '{version}' is not a valid version id. Allowed values are between [1, 2^31-1] and the string \"latest\"");

    public static RegistryException InvalidCompatibilityLevel(string? level) =>
        new(HttpStatusCode.UnprocessableEntity, 42203,
            $"Invalid compatibility level '{level}'. Valid values are none, backward, forward, full, backward_transitive, forward_transitive and full_transitive");

    public static RegistryException BadRequest(string detail) =>
        new(HttpStatusCode.BadRequest, 400, detail);
}
