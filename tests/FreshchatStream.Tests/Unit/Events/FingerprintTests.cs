using System.Text.Json;
using FreshchatStream.Producer.Events;
using FreshchatStream.Producer.Publishing;

namespace FreshchatStream.Tests.Unit.Events;

public sealed class FingerprintTests
{
    private static JsonElement Json(string text) => JsonDocument.Parse(text).RootElement;

    [Fact]
    public void Write_NestedObjects_SortsKeysOrdinallyWithoutWhitespace()
    {
        var canonical = CanonicalJson.Write(Json("""{ "b": 1, "a": { "z": [3, {"y": true, "x": null}], "B": "t" }, "_": 1.50 }"""));

        Assert.Equal("""{"_":1.50,"a":{"B":"t","z":[3,{"x":null,"y":true}]},"b":1}""", canonical);
    }

    [Fact]
    public void Write_StringEscapes_AreMinimalAndNormalised()
    {
        var canonical = CanonicalJson.Write(Json("""{"s":"caf\u00e9 \"q\" \\ \n\u0001 😀 \/"}"""));

        Assert.Equal("{\"s\":\"café \\\"q\\\" \\\\ \\n\\u0001 😀 /\"}", canonical);
    }

    [Fact]
    public void Compute_KeyOrderAndWhitespace_DoNotMatter()
    {
        var a = Fingerprint.Compute(Json("""{"id":"u1","email":"a@b.c","properties":[{"name":"plan","value":"Pro"}]}"""));
        var b = Fingerprint.Compute(Json("""
            {
              "properties" : [ { "value" : "Pro", "name" : "plan" } ],
              "email" : "a@b.c",
              "id" : "u1"
            }
            """));

        Assert.Equal(a, b);
        Assert.Matches("^[0-9a-f]{64}$", a);
    }

    [Theory]
    [InlineData("""{"id":"u1","n":2,"t":"2025-01-01T00:00:00.001Z","a":[1,2]}""")]
    [InlineData("""{"id":"u1","n":1,"t":"2025-01-01T00:00:00.000Z","a":[1,2]}""")]
    [InlineData("""{"id":"u1","n":1,"t":"2025-01-01T00:00:00.001Z","a":[2,1]}""")]
    [InlineData("""{"id":"u1","n":1,"t":"2025-01-01T00:00:00.001Z","a":[1,2],"new":null}""")]
    [InlineData("""{"id":"u1","n":"1","t":"2025-01-01T00:00:00.001Z","a":[1,2]}""")]
    [InlineData("""{"id":"u1","n":1.0,"t":"2025-01-01T00:00:00.001Z","a":[1,2]}""")]
    public void Compute_AnyValueChange_ChangesTheFingerprint(string changed)
    {
        var original = Fingerprint.Compute(Json("""{"id":"u1","n":1,"t":"2025-01-01T00:00:00.001Z","a":[1,2]}"""));

        Assert.NotEqual(original, Fingerprint.Compute(Json(changed)));
    }

    [Fact]
    public void Compute_KnownObject_MatchesDocumentedDefinition()
    {
        // SHA-256 of the UTF-8 text {"a":1,"b":"x"} (docs/topics-and-schemas.md shows the same example).
        var expected = Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData("{\"a\":1,\"b\":\"x\"}"u8));

        Assert.Equal(expected, Fingerprint.Compute(Json("""{"b":"x","a":1}""")));
    }
}
