using System.Security.Cryptography;
using System.Text;

namespace FreshchatStream.Sandbox.Freshchat.Webhooks;

/// <summary>
/// The account's webhook key pair, made for this emulator run (never persisted: a restarted sandbox has a new key,
/// as if an admin had regenerated it). Signs exactly as Freshchat does: RSA PKCS#1 v1.5 over SHA-256 of the raw
/// body, base64. The key is generated on first use, so emulators that never send webhooks skip the cost.
/// </summary>
public sealed class WebhookSigner : IDisposable
{
    private const string Begin = "-----BEGIN RSA PUBLIC KEY-----";
    private const string End = "-----END RSA PUBLIC KEY-----";

    private readonly Lazy<RSA> _key = new(() => RSA.Create(2048));
    private readonly Lock _signing = new(); // RSA instances are not documented as thread-safe; mutations sign from any thread

    /// <summary>
    /// The public key as Freshchat's admin page shows it: the armor says "RSA PUBLIC KEY" (PKCS#1) but the body is an
    /// X.509 SubjectPublicKeyInfo, so verifiers must strip the armor and import SPKI. 64-character lines.
    /// </summary>
    public string PublicKeyPem
    {
        get
        {
            var body = PublicKeyBase64;
            var pem = new StringBuilder().Append(Begin).Append('\n');
            for (var i = 0; i < body.Length; i += 64) pem.Append(body, i, Math.Min(64, body.Length - i)).Append('\n');
            return pem.Append(End).Append('\n').ToString();
        }
    }

    /// <summary><see cref="PublicKeyPem"/> on one line (armor, base64 and armor separated by single spaces), for env files.</summary>
    public string PublicKeyOneLine => $"{Begin} {PublicKeyBase64} {End}";

    /// <summary>The SubjectPublicKeyInfo, base64, without armor.</summary>
    public string PublicKeyBase64 => Convert.ToBase64String(_key.Value.ExportSubjectPublicKeyInfo());

    /// <summary>The X-Freshchat-Signature value for <paramref name="body"/>.</summary>
    public string Sign(ReadOnlySpan<byte> body)
    {
        var key = _key.Value;
        lock (_signing) return Convert.ToBase64String(key.SignData(body, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1));
    }

    public void Dispose()
    {
        if (_key.IsValueCreated) _key.Value.Dispose();
    }
}
