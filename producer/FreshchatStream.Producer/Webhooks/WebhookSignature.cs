using System.Security.Cryptography;
using System.Text.RegularExpressions;

namespace FreshchatStream.Producer.Webhooks;

/// <summary>
/// Checks <c>X-Freshchat-Signature</c>: base64 of an RSA PKCS#1 v1.5 / SHA-256 signature over the exact request
/// body bytes. Freshchat labels its key <c>RSA PUBLIC KEY</c> (which would be PKCS#1) but the base64 inside is an
/// X.509 SubjectPublicKeyInfo, so the armor is ignored and the body imported as SPKI — a PKCS#1 body is accepted
/// too, in case the label is ever made truthful.
/// </summary>
public sealed partial class WebhookSignature : IDisposable
{
    private readonly RSA _key;

    // RSA instances are not documented as safe for concurrent use; webhooks arrive a few at a time, so one lock is enough.
    private readonly Lock _gate = new();

    private WebhookSignature(RSA key) => _key = key;

    public static WebhookSignature Create(string publicKeyPem) =>
        TryCreate(publicKeyPem, out var signature, out var problem) ? signature : throw new ArgumentException(problem, nameof(publicKeyPem));

    public static bool TryCreate(string? publicKeyPem, out WebhookSignature signature, out string problem)
    {
        signature = null!;
        var match = Armor().Match(publicKeyPem ?? string.Empty);
        var base64 = match.Success ? match.Groups["body"].Value : publicKeyPem ?? string.Empty;
        byte[] der;
        try
        {
            der = Convert.FromBase64String(Whitespace().Replace(base64, string.Empty));
        }
        catch (FormatException)
        {
            problem = "its body is not base64 between -----BEGIN ... PUBLIC KEY----- and -----END ... PUBLIC KEY----- lines";
            return false;
        }

        var rsa = RSA.Create();
        try
        {
            try
            {
                rsa.ImportSubjectPublicKeyInfo(der, out _);
            }
            catch (CryptographicException)
            {
                rsa.ImportRSAPublicKey(der, out _);
            }
        }
        catch (CryptographicException)
        {
            rsa.Dispose();
            problem = "its body is neither an X.509 SubjectPublicKeyInfo nor a PKCS#1 RSA public key";
            return false;
        }

        if (rsa.KeySize < 1024)
        {
            rsa.Dispose();
            problem = $"the key has {rsa.KeySize} bits; at least 1024 are expected";
            return false;
        }

        signature = new WebhookSignature(rsa);
        problem = string.Empty;
        return true;
    }

    /// <summary>True when <paramref name="signatureHeader"/> is a valid signature of <paramref name="body"/>.</summary>
    public bool Verify(ReadOnlySpan<byte> body, string? signatureHeader)
    {
        if (string.IsNullOrWhiteSpace(signatureHeader))
        {
            return false;
        }

        var signature = new byte[(signatureHeader.Length * 3 / 4) + 3];
        if (!Convert.TryFromBase64String(signatureHeader.Trim(), signature, out var length))
        {
            return false;
        }

        lock (_gate)
        {
            return _key.VerifyData(body, signature.AsSpan(0, length), HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        }
    }

    public void Dispose() => _key.Dispose();

    [GeneratedRegex(@"-----BEGIN [A-Z ]*PUBLIC KEY-----(?<body>[\s\S]*?)-----END [A-Z ]*PUBLIC KEY-----")]
    private static partial Regex Armor();

    [GeneratedRegex(@"\s+")]
    private static partial Regex Whitespace();
}
